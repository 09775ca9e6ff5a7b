/**
 * The node keeps and serves its witnesses' cosignatures (docs/oversight.md "Witnessing a
 * node's ledger"). An oversight body that accepted a checkpoint appends its C2SP signature
 * line to the node's note and hands the note back; the node keeps a line only when
 *
 * - the note is a checkpoint of this node's origin, and the node's own line verifies;
 * - the node stored a checkpoint of that size, and its signed text is the note's text exactly
 *   (another root means the witness was shown another history: a split view, both notes
 *   signed by the node as evidence);
 * - the line verifies with the key of a witness the node config lists (lines of other keys are
 *   ignored, as C2SP signed-note verifiers ignore unknown keys).
 *
 * The kept lines, appended to the node's own note, make a note that verifies with the node's
 * key and each witness's together — what a partner fetches to hold a checkpoint an independent
 * witness vouches for.
 */
import { ConcordatError } from '../core/index.js';
import type { Clock } from '../core/index.js';
import { parseCheckpoint, parseNote, verifyNote } from '../ledger/index.js';
import type { NoteSignature, NoteVerifier } from '../ledger/index.js';
import type { LedgerPort } from '../server/index.js';
import { checkpoints, cosignatures } from '../store/index.js';
import type { Database } from '../store/index.js';

/** What {@link nodeCosignatures} needs. */
export interface NodeCosignaturesOptions {
  readonly db: Database;
  readonly clock: Clock;
  /** The ledger's origin (first line of every checkpoint). */
  readonly origin: string;
  /** The node's checkpoint key. */
  readonly node: NoteVerifier;
  /** The configured witnesses' keys (node config `witnesses`). */
  readonly witnesses: readonly NoteVerifier[];
}

/** The two ledger-port operations over cosignatures (`LedgerPort.cosign`, `.cosigned`). */
export interface NodeCosignatures {
  readonly cosign: NonNullable<LedgerPort['cosign']>;
  readonly cosigned: NonNullable<LedgerPort['cosigned']>;
}

const invalid = (message: string, details?: unknown): ConcordatError =>
  new ConcordatError('ERR_CHECKPOINT_INVALID', message, details === undefined ? {} : { details });

/** The signature line of `sig` as C2SP writes it (parseNote admits canonical base64 only). */
function lineOf(sig: NoteSignature): string {
  const blob = Buffer.alloc(4 + sig.signature.length);
  blob.writeUInt32BE(sig.keyId, 0);
  blob.set(sig.signature, 4);
  return `\u2014 ${sig.name} ${blob.toString('base64')}`;
}

/** Cosignature keeping and serving over the store; see the module comment. */
export function nodeCosignatures(options: NodeCosignaturesOptions): NodeCosignatures {
  const { db, clock, origin, node, witnesses } = options;
  return {
    cosign: async (note) => {
      const cp = parseCheckpoint(note);
      const parsed = parseNote(note);
      if (!cp.ok || !parsed.ok)
        throw invalid(`the note is not a signed checkpoint: ${cp.ok ? '' : cp.message}`);
      const { size } = cp.checkpoint;
      if (cp.checkpoint.origin !== origin)
        throw invalid(
          `the checkpoint is of \`${cp.checkpoint.origin}\`, not of this node's ledger \`${origin}\``,
        );
      const own = verifyNote(note, [node]);
      if (!own.ok) throw invalid(`the node's own signature line does not verify: ${own.message}`);
      const stored = await checkpoints.get(db, size);
      if (stored === undefined)
        throw new ConcordatError(
          'ERR_NOT_FOUND',
          `this node signed no checkpoint of size \`${size}\``,
        );
      const storedNote = parseNote(stored.text);
      if (!storedNote.ok || storedNote.note.text !== parsed.note.text)
        throw new ConcordatError(
          'ERR_LEDGER_SPLIT_VIEW',
          `the witness was shown a checkpoint of size \`${size}\` that is not the one this node stored: another history`,
          { details: { kind: 'fork', evidence: { stored: stored.text, presented: note } } },
        );
      const { text } = parsed.note;
      const kept: { witness: NoteVerifier; line: string }[] = [];
      for (const w of witnesses) {
        const sig = parsed.note.signatures.find((s) => s.name === w.name && s.keyId === w.keyId);
        if (sig === undefined) continue;
        const line = lineOf(sig);
        // The line alone over the text: a bad line of a configured witness refuses the note.
        const v = verifyNote(`${text}\n${line}\n`, [w]);
        if (!v.ok)
          throw invalid(`the signature line of witness \`${w.name}\` does not verify`, {
            witness: w.name,
          });
        kept.push({ witness: w, line });
      }
      if (kept.length === 0)
        throw invalid(
          witnesses.length === 0
            ? 'this node lists no witnesses (node config `witnesses`); no cosignature is kept'
            : `no signature line from a witness this node lists (${witnesses.map((w) => `\`${w.name}\``).join(', ')})`,
        );
      const receivedMs = clock.now();
      const created = await db.transaction(async (tx) => {
        let any = false;
        for (const k of kept)
          any =
            (await cosignatures.insert(tx, {
              size,
              witness: k.witness.name,
              keyId: k.witness.keyId,
              line: k.line,
              receivedMs,
            })) || any;
        return any;
      });
      return { size, witnesses: kept.map((k) => k.witness.name), created };
    },

    cosigned: async () => {
      const size = await cosignatures.latestCosignedSize(db);
      if (size === undefined) return undefined;
      const cp = await checkpoints.get(db, size);
      // insert checked the checkpoint existed, and checkpoints are append-only.
      if (cp === undefined)
        throw new ConcordatError(
          'ERR_LEDGER_INTEGRITY',
          `cosigned checkpoint \`${size}\` is missing`,
        );
      const lines = await cosignatures.listForSize(db, size);
      return {
        size: cp.size,
        root: cp.root,
        // A C2SP note ends in a newline after its last signature line: append line by line.
        text: `${cp.text}${lines.map((l) => `${l.line}\n`).join('')}`,
        atMs: cp.atMs,
        witnesses: lines.map((l) => l.witness),
      };
    },
  };
}
