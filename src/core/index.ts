/**
 * Core helpers shared by every module: errors and their registry, the injected clock,
 * durations and instants. Pure: no I/O.
 */
export { ERROR_CODES } from './error-codes.js';
export type { ErrorCode, ErrorSpec } from './error-codes.js';
export { ConcordatError, isConcordatError } from './errors.js';
export { systemClock, fixedClock, manualClock } from './clock.js';
export type { Clock, ManualClock } from './clock.js';
export {
  parseDuration,
  formatDuration,
  addDuration,
  isFixedDuration,
  fixedDurationMs,
  minDurationMs,
  maxDurationMs,
  durationNeverExceeds,
} from './duration.js';
export type { Duration } from './duration.js';
export { parseInstant, formatInstant } from './instant.js';
export { Mutex } from './mutex.js';
