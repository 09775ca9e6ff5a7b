import { ConcordatError } from '../core/index.js';
import type { Transaction } from './database.js';
import { int } from './row.js';

/** A block of `count` sequence numbers and strictly increasing microsecond instants. */
export interface Allocation {
  /** First sequence number of the block (then +1 for each). */
  readonly firstSeq: number;
  /** First instant of the block, epoch µs (then +1 for each). */
  readonly firstUs: number;
}

/**
 * Takes `count` numbers from the counter `name` ('objects' or 'ledger'). The row lock this
 * takes is held to commit, so writers are serialised and commit in sequence order (readers
 * following a cursor never see a smaller number appear later). Instants never go backwards,
 * even when the clock does, and are unique: max(previous + 1, now).
 */
export async function allocate(
  tx: Transaction,
  name: 'objects' | 'ledger',
  count: number,
  nowUs: number,
): Promise<Allocation> {
  if (!Number.isSafeInteger(count) || count < 1)
    throw new ConcordatError('ERR_INTERNAL', `cannot allocate \`${count}\` sequence numbers`);
  const row = await tx.get(
    {
      sqlite: `UPDATE store_counters SET value = value + ?, last_us = max(last_us + ?, ?)
               WHERE name = ? RETURNING value, last_us`,
      postgres: `UPDATE store_counters SET value = value + ?, last_us = GREATEST(last_us + ?, ?)
                 WHERE name = ? RETURNING value, last_us`,
    },
    [count, count, nowUs + count - 1, name],
  );
  if (row === undefined)
    throw new ConcordatError('ERR_STORE_SCHEMA', `counter \`${name}\` is missing`);
  // The counter holds the next free sequence number; sequences start at 0 (a ledger leaf index).
  return { firstSeq: int(row, 'value') - count, firstUs: int(row, 'last_us') - count + 1 };
}
