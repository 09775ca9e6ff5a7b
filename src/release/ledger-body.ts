/**
 * Ledger bodies of releases. INVARIANT (ledger): hashes, ids and metadata only. Each released
 * version is one compact string `<released id> <version> sha256:<hex>` — the hash is over the
 * canonical JSON (RFC 8785) of the minimised object before the handling stamp, so an oversight
 * body holding a released copy can check it was released, and by whom to whom, without the
 * ledger ever holding the copy. Items are chunked so every body stays within the ledger's
 * `BODY_LIMITS` (512 nodes): a call's first entry carries its `withheld` count, later ones their
 * `part` (1, 2, ...), so the entries without `part` are the calls.
 */
import type { JsonObject } from '../ledger/index.js';
import type { ReleaseChannel } from './types.js';

/** Released versions per ledger entry. */
export const RELEASE_ITEMS_PER_ENTRY = 100;

/** What one release call records. */
export interface ReleaseRecord {
  readonly agreementId: string;
  readonly agreementVersion: number;
  readonly agency: string;
  readonly purpose: string;
  readonly level: string;
  readonly channel: ReleaseChannel;
  /** Candidates denied while filling the page (counted, never named). */
  readonly withheld: number;
  readonly items: readonly string[];
}

/** One released version as a ledger item. */
export function releaseItem(id: string, version: string, sha256Hex: string): string {
  return `${id} ${version} sha256:${sha256Hex}`;
}

/**
 * The bodies of one release call's entries, in order; `end` is the exclusive index into
 * `items` the entry covers up to. At least one body (a page with nothing released but
 * something withheld is still a decision on the ledger).
 */
export function releaseEntryBodies(
  r: ReleaseRecord,
): { readonly body: JsonObject; readonly end: number }[] {
  const out: { body: JsonObject; end: number }[] = [];
  for (let start = 0; start === 0 || start < r.items.length; start += RELEASE_ITEMS_PER_ENTRY) {
    const chunk = r.items.slice(start, start + RELEASE_ITEMS_PER_ENTRY);
    out.push({
      body: {
        agreementId: r.agreementId,
        agreementVersion: r.agreementVersion,
        agency: r.agency,
        purpose: r.purpose,
        level: r.level,
        channel: r.channel,
        // Withheld is counted once per call, on its first entry.
        withheld: start === 0 ? r.withheld : 0,
        items: [...chunk],
        // Later entries of one call say which part they are, so a reader counts calls exactly.
        ...(start === 0 ? {} : { part: start / RELEASE_ITEMS_PER_ENTRY }),
      },
      end: start + chunk.length,
    });
  }
  return out;
}
