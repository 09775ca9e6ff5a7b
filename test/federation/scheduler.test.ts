/**
 * The pull schedule: one loop per peer, each pull starting after the previous one and its
 * `pull_every` wait (an injected wait: the test releases each wait by hand, no timers), a
 * failing peer reported without stopping the loop, and `stop()` ending every loop.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/index.js';
import { startPullScheduler } from '../../src/federation/index.js';
import type { PullReport, Transport } from '../../src/federation/index.js';
import { NO_WAIT, NOW, indicator, makeNodes, peerOf, publish } from './harness.js';
import type { FedNode } from './harness.js';

let running: FedNode[] = [];
afterEach(async () => {
  for (const n of running) await n.stop();
  running = [];
});

describe('pull schedule', () => {
  it('pulls, waits pull_every, pulls again; reports failures; stops', async () => {
    const nodes = await makeNodes(['ARV', 'BOR'], manualClock(NOW));
    running = Object.values(nodes);
    const arv = nodes.ARV as FedNode;
    const bor = nodes.BOR as FedNode;
    await publish(arv, [indicator(), indicator()]);
    const peer = await peerOf(arv, bor);
    const down: Transport = async () => {
      throw new Error('refused');
    };
    const reports: PullReport[] = [];
    const errors: string[] = [];
    const waits: { ms: number; go: () => void }[] = [];
    let waited: () => void = () => undefined;
    const scheduler = startPullScheduler(
      bor.host,
      [
        { ...peer, pullEveryMs: 30_000 },
        { party: 'CAL', url: 'http://127.0.0.1:1/taxii2/', transport: down, pullEveryMs: 5_000 },
      ],
      {
        pull: { retry: NO_WAIT },
        onReport: (r) => reports.push(r),
        onError: (p) => errors.push(p),
        wait: (ms, signal) =>
          new Promise<void>((resolve) => {
            waits.push({ ms, go: resolve });
            signal.addEventListener('abort', () => resolve(), { once: true });
            waited();
          }),
      },
    );
    const waitFor = (n: number): Promise<void> =>
      new Promise((resolve) => {
        waited = () => {
          if (waits.length >= n) resolve();
        };
        waited();
      });
    await waitFor(2);
    expect(reports.map((r) => r.peer)).toEqual(['ARV']);
    expect(reports[0]?.collections.find((c) => c.purpose === 'incident-response')?.inserted).toBe(
      2,
    );
    expect(errors).toEqual(['CAL']);
    expect(waits.map((w) => w.ms).sort((a, b) => a - b)).toEqual([5_000, 30_000]);

    // The next ARV pull starts only when its wait ends, and brings what is new.
    await publish(arv, [indicator()]);
    waits.find((w) => w.ms === 30_000)?.go();
    await waitFor(3);
    expect(reports).toHaveLength(2);
    expect(reports[1]?.collections.find((c) => c.purpose === 'incident-response')?.inserted).toBe(
      1,
    );
    await scheduler.stop();
  });
});
