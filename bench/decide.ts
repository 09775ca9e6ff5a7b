/**
 * Decision benchmark (issue 2): decisions per second and single-decision latency for the
 * compiled engine, the reference interpreter, a hand-written closure for the same agreement
 * (the ceiling, bench/decide-ceiling.ts) and Cedar evaluating a hand-written translation
 * (bench/cedar/, run in a child process: bench/cedar-child.ts), all on the same requests over
 * examples/agreements/northsea-compact.yaml. Before timing anything it checks that the three
 * in-process deciders return deeply equal decisions on every request, and the child checks that
 * Cedar allows and denies exactly what the compiled engine does.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { compileAgreement, referenceEngine, type DecideFn } from '../src/policy/index.js';
import { northseaCeiling } from './decide-ceiling.js';
import { loadNorthsea, requestPool, type PoolEntry } from './decide-pool.js';
import { median, opsPerSecond, percentile, type Figure, type Suite } from './harness.js';

interface Measured {
  readonly opsPerS: number;
  readonly p50: number;
  readonly p99: number;
}

/** The cost of reading the clock twice, subtracted from single-decision latencies. */
function timerOverheadNs(): number {
  const samples: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const start = process.hrtime.bigint();
    samples.push(Number(process.hrtime.bigint() - start));
  }
  return median(samples);
}

function measure(
  decide: DecideFn,
  pool: readonly PoolEntry[],
  quick: boolean,
  overhead: number,
): Measured {
  let sink = 0;
  const batch = (): void => {
    for (const { request, state } of pool) if (decide(request, state).effect === 'allow') sink++;
  };
  for (let i = 0; i < (quick ? 3 : 20); i++) batch(); // warm up (JIT, obligation slots)
  const opsPerS = opsPerSecond(batch, {
    batch: pool.length,
    rounds: quick ? 2 : 5,
    ms: quick ? 150 : 400,
  });
  const latencies: number[] = [];
  const singles = quick ? 20_000 : 200_000;
  for (let i = 0; i < singles; i++) {
    const { request, state } = pool[i % pool.length]!;
    const start = process.hrtime.bigint();
    const d = decide(request, state);
    const ns = Number(process.hrtime.bigint() - start);
    if (d.effect === 'allow') sink++;
    latencies.push(Math.max(0, ns - overhead));
  }
  if (sink < 0) throw new Error('unreachable');
  return { opsPerS, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

function checkAgree(pool: readonly PoolEntry[], deciders: Record<string, DecideFn>): void {
  const [first, ...others] = Object.entries(deciders);
  if (first === undefined) return;
  const [baseName, base] = first;
  for (const { request, state } of pool) {
    const expected = base(request, state);
    for (const [name, decide] of others) {
      const actual = decide(request, state);
      if (!isDeepStrictEqual(actual, expected)) {
        throw new Error(
          `bench decide: ${name} and ${baseName} disagree on ${JSON.stringify({ request, level: state.level })}:\n` +
            `${JSON.stringify(actual)}\n${JSON.stringify(expected)}`,
        );
      }
    }
  }
}

interface CedarFigures {
  readonly ops_per_s: number;
  readonly p50_ns: number;
  readonly p99_ns: number;
  readonly requests: number;
}

function runCedar(quick: boolean, size: number): CedarFigures {
  const child = fileURLToPath(new URL('./cedar-child.ts', import.meta.url));
  const result = spawnSync(
    process.execPath,
    [
      '--no-turbo-inline-js-wasm-calls',
      '--import',
      'tsx',
      child,
      ...(quick ? ['--quick'] : []),
      String(size),
    ],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  if (result.status !== 0) {
    throw new Error(
      `bench decide: the cedar child failed (status ${result.status}):\n${result.stderr}`,
    );
  }
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as CedarFigures;
}

/** The decision benchmark suite. */
export const decideSuite: Suite = {
  name: 'decide',
  target: 'compiled ≥ 2,000,000 decisions/s on one core (northsea), well under 500 ns each',
  async run(ctx) {
    const agreement = loadNorthsea();
    const pool = requestPool(ctx.quick ? 1024 : 4096);
    const engine = compileAgreement(agreement);
    const deciders = {
      compiled: engine.decide,
      reference: referenceEngine(agreement),
      ceiling: northseaCeiling(agreement),
    };
    checkAgree(pool, deciders);
    const allowed = pool.filter((e) => engine.decide(e.request, e.state).effect === 'allow').length;
    ctx.log(`  ${pool.length} requests, ${allowed} allowed; all deciders agree`);

    const overhead = timerOverheadNs();
    const figures: Figure[] = [];
    const results: Record<string, Measured> = {};
    for (const [name, decide] of Object.entries(deciders)) {
      ctx.log(`  ${name} ...`);
      const m = measure(decide, pool, ctx.quick, overhead);
      results[name] = m;
      figures.push(
        {
          name: `decide.${name}.ops_per_s`,
          value: m.opsPerS,
          unit: 'ops/s',
          label: `${name}: decisions/s`,
        },
        { name: `decide.${name}.p50_ns`, value: m.p50, unit: 'ns', label: `${name}: latency p50` },
        { name: `decide.${name}.p99_ns`, value: m.p99, unit: 'ns', label: `${name}: latency p99` },
      );
    }
    if (engine.kind !== 'compiled' || engine.stats().decisions === 0) {
      throw new Error('bench decide: the compiled path did not run');
    }

    ctx.log('  cedar (child process) ...');
    const cedar = runCedar(ctx.quick, ctx.quick ? 512 : 2048);
    figures.push(
      {
        name: 'decide.cedar.ops_per_s',
        value: cedar.ops_per_s,
        unit: 'ops/s',
        label: 'cedar-wasm: decisions/s',
      },
      {
        name: 'decide.cedar.p50_ns',
        value: cedar.p50_ns,
        unit: 'ns',
        label: 'cedar-wasm: latency p50',
      },
      {
        name: 'decide.cedar.p99_ns',
        value: cedar.p99_ns,
        unit: 'ns',
        label: 'cedar-wasm: latency p99',
      },
    );
    const compiled = results['compiled']!;
    const ceiling = results['ceiling']!;
    const reference = results['reference']!;
    figures.push(
      {
        name: 'decide.compiled_over_ceiling',
        value: compiled.opsPerS / ceiling.opsPerS,
        unit: 'x',
        label: 'compiled / hand-written ceiling (throughput)',
      },
      {
        name: 'decide.compiled_over_reference',
        value: compiled.opsPerS / reference.opsPerS,
        unit: 'x',
        label: 'compiled / reference (throughput)',
      },
      {
        name: 'decide.compiled_over_cedar',
        value: compiled.opsPerS / cedar.ops_per_s,
        unit: 'x',
        label: 'compiled / cedar-wasm (throughput)',
      },
      {
        name: 'decide.pool.allow_fraction',
        value: allowed / pool.length,
        unit: 'x',
        label: 'share of benchmark requests allowed',
      },
    );
    return figures;
  },
};
