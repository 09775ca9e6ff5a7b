/**
 * The automatic-inputs schedule: a pass per agreement at once, then one per interval (the
 * interval is an injected wait, so no test waits on a timer); a failing pass is reported and
 * the loop goes on; `stop` ends it after the pass under way.
 */
import { describe, expect, it } from 'vitest';
import { startAutomaticInputs } from '../../src/node/index.js';

/** A wait that resolves when the test says so (or on abort). */
function steppedWait(): {
  wait: (ms: number, signal: AbortSignal) => Promise<void>;
  step: () => void;
  waits: number[];
} {
  let release: (() => void) | undefined;
  const waits: number[] = [];
  return {
    waits,
    wait: (ms, signal) =>
      new Promise((resolve) => {
        waits.push(ms);
        release = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
      }),
    step: () => release?.(),
  };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('automatic inputs schedule', () => {
  it('passes every agreement at once, then per interval; errors reported; stop ends it', async () => {
    const calls: [string, number][] = [];
    const errors: string[] = [];
    let now = 1000;
    const stepper = steppedWait();
    const schedule = startAutomaticInputs(
      {
        automaticInputs: async (id, at) => {
          calls.push([id, at]);
          if (id === 'bad') throw new Error('store unreachable');
          return { written: [] };
        },
      },
      ['a', 'bad', 'b'],
      {
        everyMs: 30_000,
        now: () => now,
        wait: stepper.wait,
        onError: (id, err) => errors.push(`${id}: ${(err as Error).message}`),
      },
    );
    await settle();
    expect(calls).toEqual([
      ['a', 1000],
      ['bad', 1000],
      ['b', 1000],
    ]);
    expect(errors).toEqual(['bad: store unreachable']);
    expect(stepper.waits).toEqual([30_000]);
    now = 31_000;
    stepper.step();
    await settle();
    expect(calls.slice(3)).toEqual([
      ['a', 31_000],
      ['bad', 31_000],
      ['b', 31_000],
    ]);
    await schedule.stop();
    const after = calls.length;
    stepper.step();
    await settle();
    expect(calls.length).toBe(after);
  });

  it('a port without automatic inputs runs nothing', async () => {
    const schedule = startAutomaticInputs({}, ['a'], { now: () => 0 });
    await schedule.stop();
  });
});
