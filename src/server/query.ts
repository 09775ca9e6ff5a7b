/**
 * TAXII 2.1 URL parameters (§3.4): `added_after`, `limit`, `next` and `match[<field>]`, checked
 * strictly per endpoint. An unknown parameter, a malformed value or a page token that is not
 * ours is `ERR_FILTER_INVALID`; nothing in the query string can do more than narrow a view.
 */
import { ConcordatError } from '../core/index.js';
import type { ReleaseCursor, ReleaseFilter, VersionSelector } from '../release/index.js';
import { decodeCursor, encodeCursor, instantToMicros } from '../store/index.js';
import type { ServerLimits } from './context.js';

/** The parameters an endpoint takes. */
export type QueryParam =
  | 'added_after'
  | 'limit'
  | 'next'
  | 'match[id]'
  | 'match[type]'
  | 'match[version]'
  | 'match[spec_version]';

/** A checked query. */
export interface TaxiiQuery {
  readonly filter: ReleaseFilter;
  readonly limit: number;
  readonly after?: ReleaseCursor;
}

/** STIX 2.1 identifier: ASCII type, `--`, UUID (§2.9). */
export const STIX_ID_RE =
  /^[a-z0-9][a-z0-9-]{0,249}--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const TYPE_RE = /^[a-z0-9][a-z0-9-]{0,249}$/;
const SPEC_RE = /^[0-9]{1,2}\.[0-9]{1,2}$/;
const MAX_VALUES = 100;

function bad(message: string): ConcordatError {
  return new ConcordatError('ERR_FILTER_INVALID', message);
}

function values(raw: unknown, name: string): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  const out: string[] = [];
  for (const v of list) {
    if (typeof v !== 'string') throw bad(`\`${name}\` is malformed`);
    for (const part of v.split(',')) {
      if (part === '') throw bad(`\`${name}\` has an empty value`);
      out.push(part);
    }
  }
  if (out.length > MAX_VALUES) throw bad(`\`${name}\` takes at most ${MAX_VALUES} values`);
  return out;
}

function single(raw: unknown, name: string): string {
  const v = values(raw, name);
  if (v.length !== 1) throw bad(`\`${name}\` takes one value`);
  return v[0] as string;
}

function timestampUs(text: string, name: string): number {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z$/.test(text))
    throw bad(`\`${name}\` must be an rfc 3339 utc timestamp`);
  try {
    return instantToMicros(text);
  } catch {
    throw bad(`\`${name}\` must be an rfc 3339 utc timestamp`);
  }
}

/** The `next` token of a page: the cursor and the page size, so `limit` need not be resent. */
export function encodeNext(cursor: ReleaseCursor, limit: number): string {
  return `${encodeCursor(cursor)}.${limit}`;
}

function decodeNext(token: string, maxPage: number): { after: ReleaseCursor; limit: number } {
  const m = /^([A-Za-z0-9_-]{1,64})\.([1-9][0-9]{0,6})$/.exec(token);
  const after = m === null ? undefined : decodeCursor(m[1] as string);
  if (m === null || after === undefined) throw bad('`next` is not a page token of this server');
  return { after, limit: Math.min(Number(m[2]), maxPage) };
}

/** Checks a query string against the parameters `allowed` and turns it into a release query. */
export function parseQuery(
  query: unknown,
  allowed: readonly QueryParam[],
  limits: ServerLimits,
): TaxiiQuery {
  const q = (query ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(q))
    if (!(allowed as readonly string[]).includes(k))
      throw bad(`unknown parameter \`${k.slice(0, 64).replace(/[^\x20-\x7e]/g, '?')}\``);
  let limit = limits.defaultPageSize;
  let after: ReleaseCursor | undefined;
  const filter: {
    addedAfterUs?: number;
    ids?: string[];
    types?: string[];
    specVersions?: string[];
    versions?: VersionSelector[];
  } = {};
  if (q.next !== undefined) {
    const n = decodeNext(single(q.next, 'next'), limits.maxPageSize);
    after = n.after;
    limit = n.limit;
  }
  if (q.limit !== undefined) {
    const v = single(q.limit, 'limit');
    if (!/^[0-9]{1,30}$/.test(v) || /^0+$/.test(v)) throw bad('`limit` must be a positive integer');
    limit = Math.min(Number(v), limits.maxPageSize);
  }
  if (q.added_after !== undefined)
    filter.addedAfterUs = timestampUs(single(q.added_after, 'added_after'), 'added_after');
  if (q['match[id]'] !== undefined) {
    filter.ids = values(q['match[id]'], 'match[id]');
    for (const id of filter.ids)
      if (!STIX_ID_RE.test(id)) throw bad('`match[id]` is not a stix id');
  }
  if (q['match[type]'] !== undefined) {
    filter.types = values(q['match[type]'], 'match[type]');
    for (const t of filter.types)
      if (!TYPE_RE.test(t)) throw bad('`match[type]` is not a stix type');
  }
  if (q['match[spec_version]'] !== undefined) {
    filter.specVersions = values(q['match[spec_version]'], 'match[spec_version]');
    for (const s of filter.specVersions)
      if (!SPEC_RE.test(s)) throw bad('`match[spec_version]` is not a spec version');
  }
  if (q['match[version]'] !== undefined)
    filter.versions = values(q['match[version]'], 'match[version]').map((v) =>
      v === 'first' || v === 'last' || v === 'all'
        ? v
        : { modified: (timestampUs(v, 'match[version]'), v) },
    );
  return { filter, limit, ...(after === undefined ? {} : { after }) };
}
