/**
 * Rate limiting per principal: one token bucket per agency, refilled continuously at
 * `perSecond` up to `burst`. Time comes from the server's injected clock, so tests step it.
 * Keyed by the authenticated agency (never by a header or address a client chooses), after
 * authentication: an unauthenticated request is refused before it costs anyone's budget.
 */

/** A bucket's size and refill rate. */
export interface RateLimit {
  /** Requests per second an agency may sustain. */
  readonly perSecond: number;
  /** Requests an idle agency may make at once. */
  readonly burst: number;
}

/** Takes one request from a key's budget. */
export interface RateLimiter {
  /** 0 when the request may proceed; otherwise the milliseconds until it would. */
  take(key: string, now: number): number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token-bucket limiter. Buckets of keys that have refilled completely are forgotten once more
 * than `maxKeys` are held (a full bucket and no bucket behave the same).
 */
export function tokenBucketLimiter(limit: RateLimit, maxKeys = 10_000): RateLimiter {
  if (!(limit.perSecond > 0) || !(limit.burst >= 1))
    throw new RangeError('a rate limit needs perSecond > 0 and burst >= 1');
  const buckets = new Map<string, Bucket>();
  const perMs = limit.perSecond / 1000;
  const refill = (b: Bucket, now: number): void => {
    // A clock that steps back refills nothing (and does not drain either).
    const elapsed = Math.max(0, now - b.at);
    b.tokens = Math.min(limit.burst, b.tokens + elapsed * perMs);
    b.at = Math.max(b.at, now);
  };
  const sweep = (now: number): void => {
    for (const [k, b] of buckets) {
      refill(b, now);
      if (b.tokens >= limit.burst) buckets.delete(k);
    }
  };
  return {
    take(key, now) {
      let b = buckets.get(key);
      if (b === undefined) {
        if (buckets.size >= maxKeys) sweep(now);
        b = { tokens: limit.burst, at: now };
        buckets.set(key, b);
      } else refill(b, now);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      // The epsilon absorbs floating-point dust (0.998 tokens is 1 ms away, not 2).
      return Math.max(1, Math.ceil((1 - b.tokens) / perMs - 1e-6));
    },
  };
}
