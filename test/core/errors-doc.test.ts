import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ConcordatError } from '../../src/core/index.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const rows = [...doc.matchAll(/^\| `(ERR_[A-Z_]+)` \| (\d+) \| (\d+) \|/gm)].map((m) => ({
  code: m[1] as string,
  status: Number(m[2]),
  exit: Number(m[3]),
}));

describe('docs/errors.md', () => {
  it('documents every registered code with its status and exit code', () => {
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      const row = rows.find((r) => r.code === code);
      expect(row, `${code} is missing from docs/errors.md`).toBeDefined();
      expect(row).toEqual({ code, status: spec.status, exit: spec.exit });
    }
  });

  it('documents nothing that is not registered', () => {
    for (const row of rows) expect(Object.keys(ERROR_CODES)).toContain(row.code);
  });
});

describe('ConcordatError', () => {
  it('carries the code, status, exit code and a JSON form without a stack', () => {
    const err = new ConcordatError('ERR_AGREEMENT_INVALID', 'agreement `x` is invalid', {
      details: [{ code: 'duplicate-id' }],
    });
    expect(err.status).toBe(422);
    expect(err.exitCode).toBe(1);
    expect(JSON.parse(JSON.stringify(err))).toEqual({
      code: 'ERR_AGREEMENT_INVALID',
      message: 'agreement `x` is invalid',
      details: [{ code: 'duplicate-id' }],
    });
  });
});
