/**
 * The ledger export: a whole ledger as one JSON Lines file an oversight body can take away and
 * verify on its own (`concordat ledger export`, `concordat oversight indicators --ledger`).
 *
 * ```
 * {"type":"concordat-ledger-export","v":1,"origin":…,"verifierKey":…,"size":N,"checkpoints":K}
 * {"checkpoint":"<signed note text>"}      × K, oldest first
 * {"at":…,"body":…,"kind":…,"seq":…}        × N, the canonical entry (RFC 8785), seq 0 … N−1
 * ```
 *
 * Entry lines are the exact bytes each leaf hash is computed over, so the file verifies
 * against the signed checkpoints with nothing else; the header's verifier key is information
 * only — a reader verifies with a key it obtained out of band.
 */
import { ConcordatError } from '../core/index.js';
import { decodeEntry, encodeEntry, entryLeafHash } from './entry.js';
import type { LedgerEntry } from './entry.js';
import type { LedgerRecord } from './verify-ledger.js';

/** The header's `type`. */
export const LEDGER_EXPORT_TYPE = 'concordat-ledger-export';

/** The first line of an export. */
export interface LedgerExportHeader {
  readonly type: typeof LEDGER_EXPORT_TYPE;
  readonly v: 1;
  /** The log's origin (its checkpoints' first line). */
  readonly origin: string;
  /** The node's checkpoint verifier key (`name+id+key`), as the node states it. */
  readonly verifierKey: string;
  /** Entries that follow. */
  readonly size: number;
  /** Checkpoint lines that follow the header. */
  readonly checkpoints: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function bad(line: number, message: string): ConcordatError {
  return new ConcordatError('ERR_LEDGER_EXPORT_INVALID', `line ${line}: ${message}`, {
    details: { line },
  });
}

/** The header line. */
export function exportHeaderLine(h: Omit<LedgerExportHeader, 'type' | 'v'>): string {
  const header: LedgerExportHeader = { type: LEDGER_EXPORT_TYPE, v: 1, ...h };
  return JSON.stringify(header);
}

/** A checkpoint line. */
export function exportCheckpointLine(text: string): string {
  return JSON.stringify({ checkpoint: text });
}

/** An entry line: its canonical encoding. */
export function exportEntryLine(entry: LedgerEntry): string {
  return utf8.decode(encodeEntry(entry));
}

function parseHeader(text: string | undefined): LedgerExportHeader {
  if (text === undefined) throw bad(1, 'the file is empty: expected a ledger export header');
  let h: unknown;
  try {
    h = JSON.parse(text);
  } catch {
    throw bad(1, 'the header is not json');
  }
  const o = h as Partial<Record<keyof LedgerExportHeader, unknown>>;
  if (typeof h !== 'object' || h === null || o.type !== LEDGER_EXPORT_TYPE)
    throw bad(
      1,
      `not a ledger export: the first line's \`type\` must be \`${LEDGER_EXPORT_TYPE}\``,
    );
  if (o.v !== 1) throw bad(1, `export version \`${String(o.v)}\` is not supported (only 1)`);
  const count = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  if (typeof o.origin !== 'string' || typeof o.verifierKey !== 'string')
    throw bad(1, 'the header needs `origin` and `verifierKey` strings');
  if (!count(o.size) || !count(o.checkpoints))
    throw bad(1, 'the header needs `size` and `checkpoints` counts');
  return h as LedgerExportHeader;
}

/** An export being read: its header and checkpoints, then its entries as verifier records. */
export interface LedgerExportReading {
  readonly header: LedgerExportHeader;
  readonly checkpoints: readonly string[];
  /**
   * The entries as {@link LedgerRecord}s for `verifyLedger`, in file order. A line that is not
   * a canonical entry is passed on as its raw bytes, so the verifier names it
   * (`entry-malformed`) at its position; a file with fewer or more entry lines than its header
   * says throws `ERR_LEDGER_EXPORT_INVALID` at the end.
   */
  readonly records: AsyncIterable<LedgerRecord>;
}

/**
 * Reads an export from its lines (e.g. `readline` over a file). The header and checkpoint
 * lines are read at once; entries as `records` is iterated.
 *
 * @throws ConcordatError `ERR_LEDGER_EXPORT_INVALID` naming the line.
 */
export async function readLedgerExport(lines: AsyncIterable<string>): Promise<LedgerExportReading> {
  const it = lines[Symbol.asyncIterator]();
  let n = 0;
  const next = async (): Promise<string | undefined> => {
    const r = await it.next();
    if (r.done === true) return undefined;
    n++;
    return r.value;
  };
  const header = parseHeader(await next());
  const checkpoints: string[] = [];
  for (let k = 0; k < header.checkpoints; k++) {
    const text = await next();
    let cp: unknown;
    try {
      cp = text === undefined ? undefined : JSON.parse(text);
    } catch {
      cp = undefined;
    }
    const note = (cp as { checkpoint?: unknown } | undefined)?.checkpoint;
    if (typeof note !== 'string')
      throw bad(
        n + (text === undefined ? 1 : 0),
        `expected checkpoint ${k + 1} of ${header.checkpoints}`,
      );
    checkpoints.push(note);
  }
  const enc = new TextEncoder();
  async function* records(): AsyncGenerator<LedgerRecord> {
    let count = 0;
    for (let text = await next(); text !== undefined; text = await next()) {
      if (text === '' && count === header.size) continue;
      count++;
      if (count > header.size)
        throw bad(n, `more entries than the header's \`size\` (${header.size})`);
      const bytes = enc.encode(text);
      let entry: LedgerEntry;
      try {
        entry = decodeEntry(bytes);
      } catch {
        // The verifier reports it, with its position.
        yield { entry: bytes, storedLeafHash: new Uint8Array(32) };
        continue;
      }
      yield { entry, storedLeafHash: entryLeafHash(entry) };
    }
    if (count < header.size)
      throw bad(n + 1, `the file ends after ${count} of the header's ${header.size} entries`);
  }
  return { header, checkpoints, records: records() };
}
