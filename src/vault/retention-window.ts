import { ConcordatError } from '../core/index.js';

/** Width of a retention window: every object of one party due in a window shares a data key. */
export type RetentionWindow = 'hour' | 'day' | 'week';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WIDTH: Record<RetentionWindow, number> = { hour: HOUR, day: DAY, week: 7 * DAY };
// 1970-01-01 was a Thursday; UTC weeks here start on Monday (ISO 8601), 4 days later.
const OFFSET: Record<RetentionWindow, number> = { hour: 0, day: 0, week: 4 * DAY };

/** A retention window (`startMs`, `endMs`]: its data key is destroyed once `endMs` passes. */
export interface WindowBounds {
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * The UTC hour, day or ISO week whose end is the first boundary at or after `retainUntilMs`.
 * A deadline on a boundary (midnight, for a day window) is shredded exactly then; any other is
 * shredded at most one window late, never early, and the vault refuses reads from the deadline
 * on, so nothing is readable past its retention.
 */
export function windowFor(retainUntilMs: number, window: RetentionWindow): WindowBounds {
  if (!Number.isSafeInteger(retainUntilMs))
    throw new ConcordatError('ERR_INSTANT_INVALID', 'retention deadline is not an instant');
  const w = WIDTH[window];
  const off = OFFSET[window];
  const endMs = Math.ceil((retainUntilMs - off) / w) * w + off;
  return { startMs: endMs - w, endMs };
}
