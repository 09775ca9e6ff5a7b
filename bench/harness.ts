/**
 * The benchmark harness. Each suite measures its figures beside a baseline measured in the
 * same run (README: "Fast, measured"), and reports medians over several rounds because these
 * machines are noisy. `npm run bench` prints a table; `npm run bench -- --json` prints one
 * JSON object, figure name → number.
 */
export interface Figure {
  /** Stable name, used as the JSON key: `decide.compiled.ops_per_s`. */
  readonly name: string;
  readonly value: number;
  /** `ops/s`, `ns`, `ms`, `x` (a ratio), ... */
  readonly unit: string;
  /** What the figure means, one line. */
  readonly label: string;
}

export interface BenchContext {
  /** `--quick`: fewer rounds and smaller inputs (smoke runs); figures are then rough. */
  readonly quick: boolean;
  /** Progress on stderr, so `--json` stdout stays one object. */
  log(line: string): void;
}

export interface Suite {
  readonly name: string;
  /** The issue target this suite checks, one line, printed under the table. */
  readonly target: string;
  run(ctx: BenchContext): Promise<readonly Figure[]>;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The p-th percentile (0–100) of a non-empty list, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * Runs `fn` repeatedly for about `ms` milliseconds per round, `rounds` times, and returns the
 * median operations per second. `fn` performs `batch` operations per call.
 */
export function opsPerSecond(
  fn: () => void,
  { batch = 1, rounds = 5, ms = 300 }: { batch?: number; rounds?: number; ms?: number } = {},
): number {
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let ops = 0;
    const start = process.hrtime.bigint();
    const deadline = start + BigInt(ms) * 1_000_000n;
    let now = start;
    while (now < deadline) {
      fn();
      ops += batch;
      now = process.hrtime.bigint();
    }
    rates.push(ops / (Number(now - start) / 1e9));
  }
  return median(rates);
}
