/**
 * The demo's clock: scripted while the timeline plays (it jumps over the hours and days the
 * story needs — hysteresis holds, waiver expiry, retention — so the demo ends in seconds), then
 * running at wall-clock pace from where the story ended, so the servers left up for real
 * clients see time pass and never go backwards.
 */
import type { Clock } from '../core/index.js';

/** A clock the timeline moves, that can then follow the wall clock. */
export interface DemoClock extends Clock {
  /** Moves to `instant` (never backwards). */
  advanceTo(instant: number): void;
  /** From now on, advances with the wall clock from the current instant. */
  follow(): void;
}

/** A demo clock starting at `start`; `wall` is the wall clock it follows after the story. */
export function demoClock(start: number, wall: () => number = Date.now): DemoClock {
  let current = start;
  let followingFrom: { instant: number; wall: number } | undefined;
  return {
    now: () =>
      followingFrom === undefined ? current : followingFrom.instant + (wall() - followingFrom.wall),
    advanceTo(instant) {
      if (followingFrom !== undefined) return;
      current = Math.max(current, instant);
    },
    follow() {
      if (followingFrom === undefined) followingFrom = { instant: current, wall: wall() };
    },
  };
}
