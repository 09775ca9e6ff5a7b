/**
 * The automatic-inputs schedule of a served node: every `everyMs` (default one minute), one
 * automatic pass per agreement (incident signals and intel quality from ingested metadata,
 * docs/spec/escalation.md "Automatic inputs"), so signals enter their sliding windows soon
 * after ingest even when no official evaluates. A failed pass is reported and the loop goes
 * on; `stop` waits for the pass under way.
 */
import type { RestPorts } from '../server/index.js';

/** Waits `ms`, or less when `signal` aborts (the default uses a timer). */
export type Wait = (ms: number, signal: AbortSignal) => Promise<void>;

/** Options of {@link startAutomaticInputs}. */
export interface AutomaticScheduleOptions {
  /** Between passes; default 60 000 ms. */
  readonly everyMs?: number;
  /** The instant of a pass (the node's clock). */
  readonly now: () => number;
  readonly wait?: Wait;
  /** After each pass of one agreement, with how many events it wrote. */
  readonly onPass?: (agreement: string, written: number) => void;
  readonly onError?: (agreement: string, error: unknown) => void;
}

/** A running schedule. */
export interface AutomaticSchedule {
  stop(): Promise<void>;
}

const timerWait: Wait = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    timer.unref();
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Starts the schedule over `port` for `agreements`; the first pass starts at once. */
export function startAutomaticInputs(
  port: Pick<NonNullable<RestPorts['escalation']>, 'automaticInputs'>,
  agreements: readonly string[],
  options: AutomaticScheduleOptions,
): AutomaticSchedule {
  const controller = new AbortController();
  const wait = options.wait ?? timerWait;
  const pass = port.automaticInputs;
  const loop = (async () => {
    if (pass === undefined) return;
    while (!controller.signal.aborted) {
      for (const id of agreements) {
        if (controller.signal.aborted) break;
        try {
          const r = await pass(id, options.now());
          options.onPass?.(id, r.written.length);
        } catch (err) {
          options.onError?.(id, err);
        }
      }
      await wait(options.everyMs ?? 60_000, controller.signal);
    }
  })();
  return {
    async stop() {
      controller.abort();
      await loop;
    },
  };
}
