/**
 * Time enters the pure core only through a `Clock` (STYLE.md): decisions, expiries and
 * sunsets are computed against an injected instant so that any past moment can be replayed.
 * Instants are milliseconds since the Unix epoch, UTC.
 */
export interface Clock {
  /** The current instant, in epoch milliseconds. */
  now(): number;
}

/** The wall clock. The composition root hands it to the core; tests use `fixedClock`. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that always answers `instant` (tests, replay, `--at`). */
export function fixedClock(instant: number): Clock {
  return { now: () => instant };
}

/** A clock tests can move forward. */
export interface ManualClock extends Clock {
  set(instant: number): void;
  advance(ms: number): void;
}

/** A clock that starts at `instant` and moves only when told to. */
export function manualClock(instant: number): ManualClock {
  let current = instant;
  return {
    now: () => current,
    set: (next) => {
      current = next;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}
