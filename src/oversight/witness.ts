/**
 * The oversight body as a witness of a node's ledger. It remembers the last checkpoint it
 * accepted (the *witnessed head*); a new checkpoint is accepted only if the node signed it and
 * an RFC 6962 consistency proof shows it extends the witnessed one — then the witness cosigns
 * it (adds its own signature line to the C2SP signed note). A checkpoint that shrinks the
 * ledger, forks it (same size, other root) or cannot be proven to extend it is a **split
 * view**: the node has shown two histories, and the two signed checkpoints are the evidence —
 * neither can be repudiated, since the node signed both.
 *
 * The same check settles whether a checkpoint a partner received (a receipt's, a
 * reconciliation's) belongs to the history the witness saw: {@link checkSeen}.
 *
 * Pure: the caller fetches checkpoints and proofs (from the node's ledger endpoints) and keeps
 * the witnessed head.
 */
import { ConcordatError } from '../core/index.js';
import { parseNote, signNote, verifyCheckpoint, verifyConsistency } from '../ledger/index.js';
import type { NoteSigner, NoteVerifier } from '../ledger/index.js';

/** What the witness keeps between runs. */
export interface WitnessedHead {
  readonly origin: string;
  readonly size: number;
  /** RFC 6962 root, base64. */
  readonly root: string;
  /** The node's signed checkpoint as presented. */
  readonly checkpoint: string;
  /** When the witness accepted it (epoch ms). */
  readonly at: number;
}

/** Why a checkpoint is not accepted. `split-view` kinds carry two signed checkpoints. */
export type WitnessRefusal =
  | { readonly kind: 'bad-checkpoint'; readonly message: string }
  | {
      readonly kind: 'rollback' | 'fork' | 'inconsistent';
      readonly message: string;
      /** The two checkpoints the node signed that cannot both be true. */
      readonly evidence: { readonly witnessed: string; readonly presented: string };
    };

/** The outcome of presenting a checkpoint to the witness. */
export type WitnessVerdict =
  | {
      readonly ok: true;
      readonly head: WitnessedHead;
      /** The node's note with the witness's signature line added. */
      readonly cosigned: string;
      /** Entries the ledger grew by since the previous head. */
      readonly grew: number;
    }
  | ({ readonly ok: false } & WitnessRefusal);

/** What {@link witnessCheckpoint} needs. */
export interface WitnessInput {
  /** The head accepted before (absent on the first run). */
  readonly previous?: WitnessedHead;
  /** The node's signed checkpoint now. */
  readonly presented: string;
  /** Consistency proof from `previous.size` to the presented size (empty when not needed). */
  readonly proof: readonly Uint8Array[];
  /** The node's checkpoint key, as the witness obtained it out of band. */
  readonly node: NoteVerifier;
  readonly origin: string;
  readonly witness: NoteSigner;
  readonly now: number;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const fromB64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

/** The node's note with the witness's signature over the same text appended. */
function cosign(note: string, witness: NoteSigner): string {
  const parsed = parseNote(note);
  // Verified before it is cosigned, so it parses; a note that did not would not be signed.
  if (!parsed.ok) throw new ConcordatError('ERR_CHECKPOINT_INVALID', parsed.message);
  const { text } = parsed.note;
  // signNote returns `text`, a blank line, then the signature line: keep that line. A C2SP
  // note ends in a newline after its last signature line, so the line is simply appended.
  return `${note}${signNote(text, [witness]).slice(text.length + 1)}`;
}

/**
 * Whether `proof` shows the tree of (`size1`, `root1`) is a prefix of (`size2`, `root2`). The
 * empty tree is a prefix of every tree (RFC 9162 defines no proof from it).
 */
function extends_(
  size1: number,
  root1: Uint8Array,
  size2: number,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (size1 === 0) return proof.length === 0;
  return verifyConsistency(size1, size2, proof, root1, root2).ok;
}

/** Verifies, checks against the witnessed head, and cosigns; see the module comment. */
export function witnessCheckpoint(input: WitnessInput): WitnessVerdict {
  const v = verifyCheckpoint(input.presented, [input.node], { origin: input.origin });
  if (!v.ok)
    return {
      ok: false,
      kind: 'bad-checkpoint',
      message: `the presented checkpoint does not verify with the node's key: ${v.message}`,
    };
  const cp = v.checkpoint;
  const prev = input.previous;
  const head: WitnessedHead = {
    origin: cp.origin,
    size: cp.size,
    root: b64(cp.root),
    checkpoint: input.presented,
    at: input.now,
  };
  if (prev !== undefined) {
    const evidence = { witnessed: prev.checkpoint, presented: input.presented };
    const prevRoot = fromB64(prev.root);
    if (cp.size < prev.size)
      return {
        ok: false,
        kind: 'rollback',
        message: `the node presents a ledger of ${cp.size} entries after signing one of ${prev.size}`,
        evidence,
      };
    if (cp.size === prev.size && b64(cp.root) !== prev.root)
      return {
        ok: false,
        kind: 'fork',
        message: `the node signed two different ledgers of ${cp.size} entries`,
        evidence,
      };
    if (!extends_(prev.size, prevRoot, cp.size, cp.root, input.proof))
      return {
        ok: false,
        kind: 'inconsistent',
        message: `no proof that the ledger of ${cp.size} entries extends the witnessed one of ${prev.size}: history was rewritten`,
        evidence,
      };
  }
  return {
    ok: true,
    head,
    cosigned: cosign(input.presented, input.witness),
    grew: cp.size - (prev?.size ?? 0),
  };
}

/**
 * Whether a checkpoint a partner holds (`seen`) belongs to the witnessed history: it must be
 * signed by the node, and `proof` must be the consistency proof between it and the witnessed
 * head, smaller size first (empty when the sizes are equal: then the roots must be equal).
 */
export function checkSeen(
  witnessed: WitnessedHead,
  seen: string,
  proof: readonly Uint8Array[],
  node: NoteVerifier,
): { readonly ok: true; readonly size: number } | ({ readonly ok: false } & WitnessRefusal) {
  const v = verifyCheckpoint(seen, [node], { origin: witnessed.origin });
  if (!v.ok)
    return {
      ok: false,
      kind: 'bad-checkpoint',
      message: `the checkpoint does not verify with the node's key: ${v.message}`,
    };
  const { size, root } = v.checkpoint;
  const wRoot = fromB64(witnessed.root);
  const evidence = { witnessed: witnessed.checkpoint, presented: seen };
  const fine =
    size <= witnessed.size
      ? extends_(size, root, witnessed.size, wRoot, proof)
      : extends_(witnessed.size, wRoot, size, root, proof);
  if (fine) return { ok: true, size };
  return {
    ok: false,
    kind: size === witnessed.size ? 'fork' : 'inconsistent',
    message: `the node showed this checkpoint of ${size} entries and the witness another history of ${witnessed.size}: a split view`,
    evidence,
  };
}
