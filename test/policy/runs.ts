/**
 * How many property runs to make: `CONCORDAT_PROPERTY_RUNS` when set, else a local default,
 * and at least the CI floor when `CI=true`.
 */
export function propertyRuns(localDefault: number, ciFloor: number): number {
  const fromEnv = Number(process.env['CONCORDAT_PROPERTY_RUNS']);
  const base = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : localDefault;
  return process.env['CI'] === 'true' ? Math.max(base, ciFloor) : base;
}

/**
 * fast-check options for the engine properties. Shrinking is off (`endOnFailure`): a scenario
 * is a whole agreement plus a batch of requests, and shrinking it exhausts memory before it
 * helps; fast-check still reports the `seed` and `path` that replay the failure (pass them back
 * as `{ seed, path }` to reproduce) and the failing value.
 */
export function propertyOptions(numRuns: number): { numRuns: number; endOnFailure: true } {
  return { numRuns, endOnFailure: true };
}
