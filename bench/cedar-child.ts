/**
 * The Cedar side of the decision benchmark, run in its own process because V8 aborts under
 * load on Node 20 unless wasm calls are not inlined:
 *
 *   node --no-turbo-inline-js-wasm-calls --import tsx bench/cedar-child.ts [--quick] [size]
 *
 * It first checks that @cedar-policy/cedar-wasm, evaluating the hand-written translation
 * bench/cedar/northsea.cedar, allows and denies exactly what the compiled engine does on every
 * request of the pool (exit 1 with the first disagreements if not), then times it and prints
 * one JSON line: `{ "ops_per_s", "p50_ns", "p99_ns", "requests", "allowed" }`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as CedarWasm from '@cedar-policy/cedar-wasm/nodejs';
import { compileAgreement } from '../src/policy/index.js';
import { loadNorthsea, requestPool, type PoolEntry } from './decide-pool.js';
import { opsPerSecond, percentile } from './harness.js';

// Cedar's wasm build for Node loads only through require() (a CommonJS module).
const require = createRequire(import.meta.url);
const cedar = require('@cedar-policy/cedar-wasm/nodejs') as typeof CedarWasm;

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const size = Number(args.find((a) => /^\d+$/.test(a)) ?? (quick ? 512 : 2048));

const LEVEL_INDEX: Record<string, number> = { baseline: 0, elevated: 1, severe: 2, emergency: 3 };
const POLICIES = readFileSync(new URL('./cedar/northsea.cedar', import.meta.url), 'utf8');
const ENTITIES = JSON.parse(
  readFileSync(new URL('./cedar/northsea.entities.json', import.meta.url), 'utf8'),
) as CedarWasm.Entities;

const parsed = cedar.preparsePolicySet('northsea', { staticPolicies: POLICIES });
if (parsed.type !== 'success') {
  process.stderr.write(`cedar: policy set does not parse: ${JSON.stringify(parsed.errors)}\n`);
  process.exit(1);
}

type Call = CedarWasm.StatefulAuthorizationCall;

function toCall({ request, state }: PoolEntry): Call {
  const o = request.object;
  const context: Record<string, CedarWasm.CedarValueJson> = {
    at: request.at,
    purpose: request.purpose,
    level: LEVEL_INDEX[state.level] ?? -1,
    type: o.type,
    tlp: o.tlp,
    personalData: o.personalData,
    producer: o.producer,
  };
  if (o.rsit !== undefined) context['rsit'] = o.rsit;
  if (o.confidence !== undefined) context['confidence'] = o.confidence;
  return {
    principal: { type: 'Agency', id: request.agency },
    action: { type: 'Action', id: 'release' },
    resource: { type: 'Object', id: 'o' },
    context,
    preparsedPolicySetId: 'northsea',
    entities: ENTITIES,
  };
}

function cedarAllows(call: Call): boolean {
  const answer = cedar.statefulIsAuthorized(call);
  if (answer.type !== 'success') {
    throw new Error(`cedar: authorization failed: ${JSON.stringify(answer.errors)}`);
  }
  return answer.response.decision === 'allow';
}

const pool = requestPool(size);
const calls = pool.map(toCall);
const engine = compileAgreement(loadNorthsea());

// Agreement first: a benchmark of a policy set that decides differently would be meaningless.
const disagreements: string[] = [];
let allowed = 0;
pool.forEach((entry, i) => {
  const ours = engine.decide(entry.request, entry.state).effect === 'allow';
  const theirs = cedarAllows(calls[i]!);
  if (ours) allowed++;
  if (ours !== theirs) {
    disagreements.push(
      `${JSON.stringify({ request: entry.request, level: entry.state.level })}: engine ${ours ? 'allow' : 'deny'}, cedar ${theirs ? 'allow' : 'deny'}`,
    );
  }
});
if (disagreements.length > 0) {
  process.stderr.write(
    `cedar: ${disagreements.length} of ${pool.length} decisions disagree with the compiled engine:\n` +
      `${disagreements.slice(0, 10).join('\n')}\n`,
  );
  process.exit(1);
}

let sink = 0;
let next = 0;
const rate = opsPerSecond(
  () => {
    if (cedarAllows(calls[next]!)) sink++;
    next = (next + 1) % calls.length;
  },
  { rounds: quick ? 2 : 5, ms: quick ? 100 : 300 },
);
const latencies: number[] = [];
for (let i = 0; i < (quick ? 1_000 : 10_000); i++) {
  const call = calls[i % calls.length]!;
  const start = process.hrtime.bigint();
  if (cedarAllows(call)) sink++;
  latencies.push(Number(process.hrtime.bigint() - start));
}
process.stdout.write(
  `${JSON.stringify({
    ops_per_s: rate,
    p50_ns: percentile(latencies, 50),
    p99_ns: percentile(latencies, 99),
    requests: pool.length,
    allowed,
    sink: sink > 0 ? 1 : 0,
  })}\n`,
);
