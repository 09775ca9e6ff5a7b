/**
 * The witness: a growing ledger is accepted and cosigned (the cosigned note verifies with the
 * node's and the witness's keys together); every way a node can show two histories — a
 * rollback, a fork at one size, a rewritten prefix — is refused with both signed checkpoints
 * as evidence; a forged checkpoint is refused; partners' checkpoints are checked against the
 * witnessed history.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MerkleTree,
  leafHash,
  noteVerifier,
  signCheckpoint,
  verifyCheckpoint,
} from '../../src/ledger/index.js';
import { checkSeen, witnessCheckpoint } from '../../src/oversight/index.js';
import type { WitnessedHead } from '../../src/oversight/index.js';

const ORIGIN = 'concordat.arv.node';
const nodeKeys = generateKeyPairSync('ed25519');
const node = { name: ORIGIN, privateKey: nodeKeys.privateKey };
const nodeVerifier = noteVerifier(ORIGIN, nodeKeys.publicKey);
const witnessKeys = generateKeyPairSync('ed25519');
const witness = { name: 'oversight.example', privateKey: witnessKeys.privateKey };
const witnessVerifier = noteVerifier('oversight.example', witnessKeys.publicKey);

/** A ledger whose leaves are `prefix-i`. */
function tree(n: number, prefix = 'e'): MerkleTree {
  const t = new MerkleTree();
  for (let i = 0; i < n; i++) t.append(leafHash(new TextEncoder().encode(`${prefix}-${i}`)));
  return t;
}

function checkpoint(t: MerkleTree, signer = node): string {
  return signCheckpoint({ origin: ORIGIN, size: t.size, root: t.root() }, [signer]);
}

function present(
  previous: WitnessedHead | undefined,
  t: MerkleTree,
  proof = previous === undefined || previous.size === 0
    ? []
    : t.consistencyProof(previous.size, t.size),
) {
  return witnessCheckpoint({
    ...(previous === undefined ? {} : { previous }),
    presented: checkpoint(t),
    proof,
    node: nodeVerifier,
    origin: ORIGIN,
    witness,
    now: 1_780_000_000_000,
  });
}

function accepted(v: ReturnType<typeof witnessCheckpoint>): WitnessedHead {
  if (!v.ok) throw new Error(v.message);
  return v.head;
}

describe('witness', () => {
  it('accepts a ledger that grows, and cosigns it: both keys verify the note', () => {
    const first = present(undefined, tree(5));
    expect(first).toMatchObject({ ok: true, grew: 5 });
    const second = present(accepted(first), tree(12));
    expect(second).toMatchObject({ ok: true, grew: 7, head: { size: 12 } });
    if (!second.ok) return;
    expect(
      verifyCheckpoint(second.cosigned, [nodeVerifier, witnessVerifier], { require: 'all' }),
    ).toMatchObject({ ok: true, checkpoint: { size: 12 } });
    // Without the witness's line, `all` fails: the line is what the witness adds.
    expect(
      verifyCheckpoint(checkpoint(tree(12)), [nodeVerifier, witnessVerifier], { require: 'all' }),
    ).toMatchObject({ ok: false });
    // Unchanged: accepted again, nothing grew.
    expect(present(second.head, tree(12), [])).toMatchObject({ ok: true, grew: 0 });
  });

  it('refuses a split view, with both signed checkpoints as evidence', () => {
    const head = accepted(present(undefined, tree(10)));
    const rollback = present(head, tree(8), []);
    expect(rollback).toMatchObject({ ok: false, kind: 'rollback' });
    const fork = present(head, tree(10, 'other'), []);
    expect(fork).toMatchObject({
      ok: false,
      kind: 'fork',
      evidence: { witnessed: head.checkpoint, presented: checkpoint(tree(10, 'other')) },
    });
    // A longer ledger whose first 10 entries differ: no proof can show it extends the head.
    const rewritten = tree(15, 'other');
    const lying = present(head, rewritten, rewritten.consistencyProof(10, 15));
    expect(lying).toMatchObject({ ok: false, kind: 'inconsistent' });
    // A genuine extension with a proof for other sizes is refused too (the proof must fit).
    expect(present(head, tree(15), tree(15).consistencyProof(9, 15))).toMatchObject({
      ok: false,
      kind: 'inconsistent',
    });
  });

  it('refuses a checkpoint the node did not sign, or of another log', () => {
    const impostor = { name: ORIGIN, privateKey: generateKeyPairSync('ed25519').privateKey };
    const forged = witnessCheckpoint({
      presented: checkpoint(tree(3), impostor),
      proof: [],
      node: nodeVerifier,
      origin: ORIGIN,
      witness,
      now: 0,
    });
    expect(forged).toMatchObject({ ok: false, kind: 'bad-checkpoint' });
    const elsewhere = witnessCheckpoint({
      presented: checkpoint(tree(3)),
      proof: [],
      node: nodeVerifier,
      origin: 'concordat.bor.node',
      witness,
      now: 0,
    });
    expect(elsewhere).toMatchObject({ ok: false, kind: 'bad-checkpoint' });
  });

  it('checks a partner’s checkpoint against the witnessed history', () => {
    const full = tree(20);
    const head = accepted(present(undefined, full));
    const older = tree(7);
    expect(checkSeen(head, checkpoint(older), full.consistencyProof(7, 20), nodeVerifier)).toEqual({
      ok: true,
      size: 7,
    });
    const newer = tree(25);
    expect(
      checkSeen(head, checkpoint(newer), newer.consistencyProof(20, 25), nodeVerifier),
    ).toEqual({ ok: true, size: 25 });
    // What the node showed a partner at size 7 is not a prefix of what the witness saw.
    const shown = tree(7, 'partner');
    expect(
      checkSeen(head, checkpoint(shown), full.consistencyProof(7, 20), nodeVerifier),
    ).toMatchObject({
      ok: false,
      kind: 'inconsistent',
      evidence: { presented: checkpoint(shown) },
    });
    expect(checkSeen(head, checkpoint(tree(20, 'partner')), [], nodeVerifier)).toMatchObject({
      ok: false,
      kind: 'fork',
    });
  });
});
