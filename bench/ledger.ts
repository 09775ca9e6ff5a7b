/**
 * Ledger benchmarks (issue 3): append rate, inclusion-proof generation and verification on a
 * 1,000,000-leaf tree, and full verification of a 1,000,000-entry ledger — each beside a raw
 * SHA-256 baseline measured in the same run. `--quick` uses 50,000 leaves and entries.
 */
import { createPrivateKey, hash } from 'node:crypto';
import { median, type BenchContext, type Figure, type Suite } from './harness.js';
import {
  CompactRange,
  MerkleTree,
  encodeEntry,
  leafHash,
  signCheckpoint,
  verifyInclusion,
  verifyLedger,
  noteVerifier,
  type LedgerRecord,
} from '../src/ledger/index.js';

const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

/** A deterministic pseudo-random index stream (xorshift), so runs compare. */
function indices(n: number, count: number): number[] {
  let x = 0x9e3779b9;
  return Array.from({ length: count }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  });
}

function buildRecords(n: number): { records: LedgerRecord[]; bytes: number } {
  const records: LedgerRecord[] = [];
  let bytes = 0;
  for (let seq = 0; seq < n; seq++) {
    const entry = encodeEntry({
      seq,
      at: 1_767_225_600_000 + seq,
      kind: seq % 4 === 0 ? 'release' : 'decision',
      body: {
        agreement: 'northsea-cti-compact',
        version: 3,
        objectHash: `sha256:${(seq * 2654435761).toString(16).padStart(64, '0')}`,
        recipient: 'BOR-CERT',
        allowed: seq % 3 !== 0,
      },
    });
    bytes += entry.length;
    records.push({ entry, storedLeafHash: leafHash(entry) });
  }
  return { records, bytes };
}

async function run(ctx: BenchContext): Promise<readonly Figure[]> {
  const n = ctx.quick ? 50_000 : 1_000_000;
  const label = ctx.quick ? '50k' : '1M';
  const figures: Figure[] = [];

  // Append rate: leaf hashes into the in-memory tree, vs raw SHA-256 of 65-byte node inputs
  // (an append costs one node hash on average).
  const leaves = Array.from({ length: n }, (_, i) =>
    leafHash(new TextEncoder().encode(`leaf ${String(i)}`)),
  );
  ctx.log(`ledger: appending ${String(n)} leaves`);
  const appendRates: number[] = [];
  let tree = new MerkleTree();
  for (let round = 0; round < (ctx.quick ? 2 : 3); round++) {
    tree = new MerkleTree();
    const start = process.hrtime.bigint();
    for (const l of leaves) tree.append(l);
    appendRates.push(n / seconds(start));
  }
  const node = new Uint8Array(65);
  const shaStart = process.hrtime.bigint();
  for (let i = 0; i < n; i++) hash('sha256', node, 'buffer');
  const shaRate = n / seconds(shaStart);
  figures.push(
    {
      name: 'ledger.append.per_s',
      value: median(appendRates),
      unit: 'leaves/s',
      label: `append leaf hash (${label} tree)`,
    },
    {
      name: 'ledger.append.baseline_sha256_per_s',
      value: shaRate,
      unit: 'hashes/s',
      label: 'baseline: raw sha-256 of 65 bytes',
    },
  );

  // Inclusion proofs on the full tree.
  const size = tree.size;
  const root = tree.root();
  const picks = indices(size, ctx.quick ? 2_000 : 10_000);
  const genTimes: number[] = [];
  const verTimes: number[] = [];
  const proofs = picks.map((i) => {
    const t = process.hrtime.bigint();
    const proof = tree.inclusionProof(i, size);
    genTimes.push(Number(process.hrtime.bigint() - t) / 1e3);
    return proof;
  });
  picks.forEach((i, k) => {
    const proof = proofs[k]!;
    const t = process.hrtime.bigint();
    const ok = verifyInclusion(leaves[i]!, i, size, proof, root).ok;
    verTimes.push(Number(process.hrtime.bigint() - t) / 1e3);
    if (!ok) throw new Error('bench: inclusion proof failed to verify');
  });
  const depth = proofs[0]!.length;
  const chainTimes: number[] = [];
  for (let k = 0; k < 2_000; k++) {
    const t = process.hrtime.bigint();
    for (let d = 0; d < depth; d++) hash('sha256', node, 'buffer');
    chainTimes.push(Number(process.hrtime.bigint() - t) / 1e3);
  }
  figures.push(
    {
      name: 'ledger.inclusion.generate_us',
      value: median(genTimes),
      unit: 'µs',
      label: `inclusion proof, generate (${label} tree)`,
    },
    {
      name: 'ledger.inclusion.verify_us',
      value: median(verTimes),
      unit: 'µs',
      label: `inclusion proof, verify (${label} tree)`,
    },
    {
      name: 'ledger.inclusion.baseline_us',
      value: median(chainTimes),
      unit: 'µs',
      label: `baseline: ${String(depth)} raw sha-256 (path length)`,
    },
  );
  tree = new MerkleTree(); // release memory before the ledger run

  // Full verification of an n-entry ledger with checkpoints every n/10 entries.
  ctx.log(`ledger: building a ${String(n)}-entry ledger`);
  const { records, bytes } = buildRecords(n);
  const signer = { name: 'bench.example/log', privateKey: benchKey() };
  const range = new CompactRange();
  const checkpoints: string[] = [];
  for (const r of records) {
    range.append(r.storedLeafHash);
    if (range.size % (n / 10) === 0) {
      checkpoints.push(
        signCheckpoint({ origin: signer.name, size: range.size, root: range.root() }, signer),
      );
    }
  }
  ctx.log(`ledger: verifying ${String(n)} entries`);
  const cpuStart = process.cpuUsage();
  const verifyStart = process.hrtime.bigint();
  const result = await verifyLedger(records, checkpoints, {
    verifiers: [noteVerifier(signer.name, signer.privateKey)],
  });
  const verifySeconds = seconds(verifyStart);
  const cpu = process.cpuUsage(cpuStart);
  const verifyCpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (!result.ok) throw new Error(`bench: ledger failed to verify: ${result.break.message}`);
  const rawStart = process.hrtime.bigint();
  for (const r of records) hash('sha256', r.entry as Uint8Array, 'buffer');
  const rawSeconds = seconds(rawStart);
  figures.push(
    {
      name: 'ledger.verify.seconds',
      value: verifySeconds,
      unit: 's',
      label: `verify whole ledger (${label} entries, ${String(checkpoints.length)} checkpoints)`,
    },
    {
      name: 'ledger.verify.cpu_seconds',
      value: verifyCpuSeconds,
      unit: 's',
      label: 'verify whole ledger, cpu time (robust to a busy machine)',
    },
    {
      name: 'ledger.verify.entries_per_s',
      value: n / verifySeconds,
      unit: 'entries/s',
      label: 'verify whole ledger, rate',
    },
    {
      name: 'ledger.verify.baseline_seconds',
      value: rawSeconds,
      unit: 's',
      label: `baseline: raw sha-256 of the same ${String(Math.round(bytes / 1e6))} MB`,
    },
  );
  return figures;
}

/** A fixed Ed25519 key (bench only). */
function benchKey(): ReturnType<typeof createPrivateKey> {
  const prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
  return createPrivateKey({
    key: Buffer.concat([prefix, Buffer.alloc(32, 7)]),
    format: 'der',
    type: 'pkcs8',
  });
}

/** The ledger suite. */
export const ledgerSuite: Suite = {
  name: 'ledger',
  target: 'verify a 1,000,000-entry ledger in well under 10 s; proofs in microseconds',
  run,
};
