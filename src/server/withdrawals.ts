/**
 * Withdrawals: TAXII 2.1 Delete An Object by the producer. A withdrawn version becomes
 * invisible through the one door at once — to every agency, on every channel — and the
 * withdrawal is ledgered. The ciphertext stays sealed until its retention window's data key
 * is shredded (keys are per producer and window, so one object cannot be shredded alone);
 * copies already released stay under their handling stamp's retention (docs/taxii.md).
 *
 * Composition root note: withdrawals need a durable table (store/ migration); until then
 * {@link memoryWithdrawals} is the implementation and a restart forgets them.
 */

/** One withdrawn object version. */
export interface WithdrawnVersion {
  readonly id: string;
  readonly version: string;
}

/** Who withdrew and where the ledger records it (for durable implementations). */
export interface WithdrawalOrigin {
  /** The producing party whose versions these are. */
  readonly producer: string;
  /** Leaf index of the first `withdraw` ledger entry recording these versions. */
  readonly ledgerSeq: number;
}

/** Where withdrawals are kept. */
export interface Withdrawals {
  /** Records the versions as withdrawn. */
  withdraw(
    versions: readonly WithdrawnVersion[],
    at: number,
    origin?: WithdrawalOrigin,
  ): Promise<void>;
  /** Whether this stored version was withdrawn (synchronous: it is asked per candidate). */
  isWithdrawn(id: string, version: string): boolean;
}

/** An in-memory {@link Withdrawals}. */
export function memoryWithdrawals(): Withdrawals {
  const set = new Set<string>();
  return {
    async withdraw(versions) {
      for (const v of versions) set.add(`${v.id}\n${v.version}`);
    },
    isWithdrawn(id, version) {
      return set.has(`${id}\n${version}`);
    },
  };
}
