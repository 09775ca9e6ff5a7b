/**
 * Retries with exponential back-off and full jitter (delay = random × min(cap, base × 2^n)),
 * on an injected sleep and random source so tests wait for nothing and assert exact delays.
 */
import { ConcordatError, isConcordatError } from '../core/index.js';

/** How {@link withRetry} waits and how often it tries. */
export interface RetryPolicy {
  /** Tries in all, at least 1 (default 5). */
  readonly attempts?: number;
  /** First back-off ceiling, ms (default 500). */
  readonly baseMs?: number;
  /** Largest back-off ceiling, ms (default 30 000). */
  readonly capMs?: number;
  /** Waits `ms` (default: a timer). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1) (default `Math.random`). */
  readonly random?: () => number;
  /** Told before each wait: the attempt that failed (1-based), the delay and why. */
  readonly onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
}

/** The default sleep: a timer. */
export const timerSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Whether an error is worth another try: network failures and `ERR_FEDERATION_PEER` marked
 * retriable (429, 5xx); never a coded refusal such as 401, 403, 404 or a protocol error.
 */
export function isRetriable(err: unknown): boolean {
  if (isConcordatError(err))
    return (
      err.code === 'ERR_FEDERATION_PEER' &&
      (err.details as { retriable?: boolean } | undefined)?.retriable === true
    );
  return err instanceof Error;
}

/**
 * Runs `fn` until it succeeds, an error is not retriable, or the attempts are spent; then
 * throws the last error.
 */
export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy = {}): Promise<T> {
  const attempts = Math.max(1, policy.attempts ?? 5);
  const base = policy.baseMs ?? 500;
  const cap = policy.capMs ?? 30_000;
  const sleep = policy.sleep ?? timerSleep;
  const random = policy.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !isRetriable(err)) throw err;
      const ceiling = Math.min(cap, base * 2 ** (attempt - 1));
      const delay = Math.floor(random() * ceiling);
      policy.onRetry?.(attempt, delay, err);
      await sleep(delay);
    }
  }
}

/** `ERR_FEDERATION_PEER` for a failed exchange with `peer` at `url`. */
export function peerError(
  peer: string,
  url: string,
  status: number | undefined,
  cause?: unknown,
): ConcordatError {
  const retriable = status === undefined || status === 429 || status >= 500;
  const what =
    status === undefined
      ? `could not be reached (${cause instanceof Error ? cause.message.slice(0, 120) : 'network error'})`
      : `answered http ${status}`;
  return new ConcordatError('ERR_FEDERATION_PEER', `peer \`${peer}\` at \`${url}\` ${what}`, {
    details: { peer, url, ...(status === undefined ? {} : { status }), retriable },
    ...(cause === undefined ? {} : { cause }),
  });
}
