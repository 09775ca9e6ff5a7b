/**
 * The demo's fallback transport (`runDemo({ federation: false })`): partners read each
 * producer's analyst TAXII listener with bearer tokens and store what they receive in a
 * collection of their own. The same story holds: the level changes what flows, the pause
 * stops only Borealia's flow, and nothing reaches a consumer through a third node.
 */
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/index.js';
import type { DemoStep, DemoStepId } from '../../src/demo/index.js';
import { tempDir } from '../cli/harness.js';

const { dir, cleanup } = tempDir();
afterAll(() => cleanup());

describe('demo over bearer tokens', () => {
  it('plays the story with exact per-pair flows and no onward sharing', async () => {
    const steps: DemoStep[] = [];
    const run = await runDemo({
      dir: resolve(dir, 'nodes'),
      agreementFile: resolve('examples/agreements/northsea-compact.yaml'),
      federation: false,
      onStep: (s) => {
        steps.push(s);
      },
    });
    await run.cluster.close();
    const byId = new Map(steps.map((s) => [s.id, s]));
    expect(byId.get('nodes-up')?.facts?.['transport']).toBe('taxii-bearer');
    expect(byId.has('receipts')).toBe(false);
    // What each pull stored equals what each consumer newly holds: no third-node copies.
    for (const s of steps) {
      if (s.flows === undefined) continue;
      expect(s.transfers, s.id).toStrictEqual(s.flows);
      expect(
        Object.values(s.onward ?? {}).every((n) => n === 0),
        s.id,
      ).toBe(true);
    }
    const flows = (id: DemoStepId): Readonly<Record<string, number>> => byId.get(id)?.flows ?? {};
    expect(flows('baseline-flow')).toStrictEqual({
      'ARV→BOR': 8,
      'ARV→CAL': 7,
      'BOR→ARV': 8,
      'BOR→CAL': 7,
      'CAL→ARV': 7,
      'CAL→BOR': 7,
    });
    for (const [pair, n] of Object.entries(flows('waiver-granted')))
      expect(n - (flows('waiver-expired')[pair] ?? 0), pair).toBe(3);
    expect(flows('pause')['BOR→ARV']).toBe(0);
    expect(flows('pause')['BOR→CAL']).toBe(0);
    expect(flows('resume')['BOR→ARV']).toBe(20);
    expect(byId.get('ledgers')?.ledgers?.['CAL']?.ok).toBe(true);
  }, 60_000);
});
