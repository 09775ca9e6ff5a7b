import { describe, expect, it } from 'vitest';
import { cli } from './harness.js';

describe('concordat walkthrough', () => {
  it('runs every step, exits 0, and ends with a next step', async () => {
    const started = Date.now();
    const r = await cli(['walkthrough']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const step of [
      '1. Validate',
      '2. Explain',
      '3. Decide',
      '4. Digest',
      '5. Sign and verify',
      '6. Diff',
    ])
      expect(r.stdout).toContain(step);
    expect(r.stdout).toContain('verified: 3 of 3 parties signed validly');
    expect(r.stdout).toContain('NOT verified');
    expect(r.stdout).toMatch(/ALLOW/);
    expect(r.stdout).toMatch(/stage +constraint/);
    expect(r.stdout).toMatch(/stage +never-release/);
    expect(r.stdout).toContain('next: try `concordat agreement explain examples/agreements/');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
