import { ConcordatError } from '../core/index.js';
import { signCheckpoint } from './checkpoint.js';
import type { NoteSigner } from './note.js';
import { verifyLedger, type LedgerRecord } from './verify-ledger.js';

/** What {@link checkpointFor} signs with. */
export interface CheckpointForOptions {
  readonly origin: string;
  readonly signer: NoteSigner | readonly NoteSigner[];
  /** Checkpoint extension lines (NOT RECOMMENDED by c2sp.org/tlog-checkpoint). */
  readonly extensions?: readonly string[];
  readonly progressEvery?: number;
  readonly onProgress?: (verified: number) => void;
}

/**
 * The guard in front of every checkpoint signature: recomputes every record's leaf hash from
 * its entry, checks the sequence, and signs a checkpoint over all the records only if every
 * stored hash matches — a log must never vouch for a leaf it did not verify. Throws
 * `ERR_LEDGER_INTEGRITY` naming the first bad record, and signs nothing.
 */
export async function checkpointFor(
  records: Iterable<LedgerRecord> | AsyncIterable<LedgerRecord>,
  options: CheckpointForOptions,
): Promise<string> {
  const result = await verifyLedger(records, [], {
    verifiers: [],
    ...(options.progressEvery === undefined ? {} : { progressEvery: options.progressEvery }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  if (!result.ok) {
    throw new ConcordatError(
      'ERR_LEDGER_INTEGRITY',
      `refusing to sign a checkpoint: ${result.break.message}`,
      { details: result.break },
    );
  }
  return signCheckpoint(
    {
      origin: options.origin,
      size: result.size,
      root: result.root,
      ...(options.extensions === undefined ? {} : { extensions: options.extensions }),
    },
    options.signer,
  );
}
