/**
 * The pull schedule of a serving node: one loop per peer, pulling every `pullEvery` ms
 * (`federation.peers[].pull_every`), one pull at a time per peer. A failed pull is reported and
 * the loop goes on (the next pull resumes from the stored cursors). `stop()` aborts the current
 * pull between pages and waits for every loop to end.
 */
import { pullPeer } from './pull.js';
import type { PullOptions, PullPeer, PullReport } from './pull.js';
import type { FederationHost } from './host.js';

/** A scheduled peer. */
export interface ScheduledPeer extends PullPeer {
  /** Milliseconds between the end of one pull and the start of the next. */
  readonly pullEveryMs: number;
}

/** Options of {@link startPullScheduler}. */
export interface SchedulerOptions {
  readonly pull?: Omit<PullOptions, 'signal'>;
  readonly onReport?: (report: PullReport) => void;
  readonly onError?: (peer: string, error: unknown) => void;
  /** Waits `ms` or until `signal` aborts (default: a timer). */
  readonly wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** A running schedule. */
export interface PullScheduler {
  /** Stops every loop (the current pull ends after its page) and resolves when all ended. */
  stop(): Promise<void>;
}

function timerWait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Starts one pull loop per peer. The first pull of each starts at once. */
export function startPullScheduler(
  host: FederationHost,
  peers: readonly ScheduledPeer[],
  options: SchedulerOptions = {},
): PullScheduler {
  const controller = new AbortController();
  const wait = options.wait ?? timerWait;
  const loops = peers.map(async (peer) => {
    while (!controller.signal.aborted) {
      try {
        const report = await pullPeer(host, peer, { ...options.pull, signal: controller.signal });
        options.onReport?.(report);
      } catch (err) {
        options.onError?.(peer.party, err);
      }
      await wait(peer.pullEveryMs, controller.signal);
    }
  });
  return {
    async stop() {
      controller.abort();
      await Promise.all(loops);
    },
  };
}
