/** Shared test fixtures: deterministic keys and a small signed ledger. */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  encodeEntry,
  leafHash,
  noteVerifier,
  signCheckpoint,
  MerkleTree,
  type LedgerEntry,
  type LedgerRecord,
  type NoteSigner,
} from '../../src/ledger/index.js';

/** An Ed25519 key from a fixed 32-byte seed (PKCS#8 prefix for Ed25519). */
export function seededKey(seedByte: number): KeyObject {
  const prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
  return createPrivateKey({
    key: Buffer.concat([prefix, Buffer.alloc(32, seedByte)]),
    format: 'der',
    type: 'pkcs8',
  });
}

export const ORIGIN = 'concordat.example/arv-node';
export const logSigner: NoteSigner = { name: ORIGIN, privateKey: seededKey(1) };
export const oversightSigner: NoteSigner = {
  name: 'oversight.example/witness',
  privateKey: seededKey(2),
};
export const logVerifier = noteVerifier(logSigner.name, logSigner.privateKey);
export const oversightVerifier = noteVerifier(oversightSigner.name, oversightSigner.privateKey);
export const strangerKey = generateKeyPairSync('ed25519').privateKey;

const KINDS = ['decision', 'release', 'ingest', 'governance.pause', 'shred'] as const;

/** Entry `seq` of a deterministic ledger: hashes and ids only. */
export function sampleEntry(seq: number): LedgerEntry {
  return {
    seq,
    at: 1_767_225_600_000 + seq * 1000,
    kind: KINDS[seq % KINDS.length]!,
    body: {
      agreement: 'northsea-cti-compact',
      version: 3,
      objectHash: `sha256:${(seq * 2654435761).toString(16).padStart(64, '0')}`,
      recipient: seq % 2 === 0 ? 'BOR-CERT' : 'ARV-CERT',
      allowed: seq % 3 !== 0,
      reasons: ['tier:operational', `rule:${String(seq % 7)}`],
    },
  };
}

/** Stored records (canonical bytes + stored leaf hash) for `n` entries. */
export function sampleRecords(n: number): { entry: Uint8Array; storedLeafHash: Uint8Array }[] {
  return Array.from({ length: n }, (_, seq) => {
    const entry = encodeEntry(sampleEntry(seq));
    return { entry, storedLeafHash: leafHash(entry) };
  });
}

/** Checkpoints at the given sizes over `records`, signed by `signers`. */
export function checkpointsAt(
  records: readonly LedgerRecord[],
  sizes: readonly number[],
  signers: readonly NoteSigner[] = [logSigner],
): string[] {
  const tree = new MerkleTree();
  for (const r of records) tree.append(r.storedLeafHash);
  return sizes.map((size) =>
    signCheckpoint({ origin: ORIGIN, size, root: tree.rootAt(size) }, signers),
  );
}
