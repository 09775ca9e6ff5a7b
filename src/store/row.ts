import { ConcordatError } from '../core/index.js';
import type { Row } from './database.js';

/**
 * Column readers: both drivers return INTEGER/BIGINT as `number` (the PostgreSQL dialect parses
 * INT8 itself and refuses unsafe integers) and BLOB/BYTEA as `Buffer`. A value of another type
 * means the schema and the code disagree, which is a bug.
 */
function wrong(column: string, expected: string): never {
  throw new ConcordatError('ERR_INTERNAL', `column \`${column}\` is not ${expected}`);
}

/** The text in `column`. */
export function text(row: Row, column: string): string {
  const v = row[column];
  return typeof v === 'string' ? v : wrong(column, 'text');
}

/** The text in `column`, or `null`. */
export function textOrNull(row: Row, column: string): string | null {
  const v = row[column];
  return v === null || v === undefined ? null : typeof v === 'string' ? v : wrong(column, 'text');
}

/** The integer in `column`. */
export function int(row: Row, column: string): number {
  const v = row[column];
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  return wrong(column, 'a safe integer');
}

/** The integer in `column`, or `null`. */
export function intOrNull(row: Row, column: string): number | null {
  const v = row[column];
  return v === null || v === undefined ? null : int(row, column);
}

/** The bytes in `column`. */
export function bytes(row: Row, column: string): Uint8Array {
  const v = row[column];
  return v instanceof Uint8Array ? v : wrong(column, 'bytes');
}

/** The bytes in `column`, or `null`. */
export function bytesOrNull(row: Row, column: string): Uint8Array | null {
  const v = row[column];
  return v === null || v === undefined ? null : bytes(row, column);
}
