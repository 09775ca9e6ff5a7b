/**
 * How many property runs to make: `CONCORDAT_PROPERTY_RUNS` when set, else a local default,
 * and at least the CI floor when `CI=true`.
 */
export function propertyRuns(localDefault: number, ciFloor: number): number {
  const fromEnv = Number(process.env['CONCORDAT_PROPERTY_RUNS']);
  const base = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : localDefault;
  return process.env['CI'] === 'true' ? Math.max(base, ciFloor) : base;
}
