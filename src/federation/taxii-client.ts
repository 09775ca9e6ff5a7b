/**
 * The TAXII 2.1 client side of a pull: discovery (§4.1), collections (§5.1) and Get Objects
 * (§5.4) with `added_after`, `limit` and `next`, sending and checking the TAXII 2.1 media
 * type. Every exchange is retried with back-off on network failures, 429 and 5xx.
 */
import { ConcordatError } from '../core/index.js';
import { peerError, withRetry } from './retry.js';
import type { RetryPolicy } from './retry.js';
import type { Transport, TransportResponse } from './transport.js';

/** TAXII 2.1 §1.6.8.1: the media type of TAXII resources. */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';

/** A peer as the client talks to it. */
export interface PeerClient {
  /** The peer's party (named in errors). */
  readonly party: string;
  readonly transport: Transport;
  readonly retry?: RetryPolicy;
}

/** A collection of a peer's API root, as its collections resource lists it. */
export interface PeerCollection {
  readonly id: string;
  /** The purpose (Concordat: `alias` is the purpose id; `title` otherwise). */
  readonly purpose: string;
  readonly canRead: boolean;
}

/** One page of Get Objects. */
export interface ObjectsPage {
  readonly objects: readonly Readonly<Record<string, unknown>>[];
  readonly more: boolean;
  readonly next: string | undefined;
  /** `X-TAXII-Date-Added-Last`, when the page held objects. */
  readonly dateAddedLast: string | undefined;
}

function protocol(url: string, message: string): ConcordatError {
  return new ConcordatError('ERR_FEDERATION_PROTOCOL', `\`${url}\`: ${message}`, {
    details: { url },
  });
}

async function exchange(
  client: PeerClient,
  url: string,
  method: 'GET' | 'POST',
  accept: string,
  body?: { readonly type: string; readonly text: string },
): Promise<TransportResponse> {
  return withRetry(async () => {
    let res: TransportResponse;
    try {
      res = await client.transport(url, {
        method,
        headers: {
          accept,
          ...(body === undefined ? {} : { 'content-type': body.type }),
        },
        ...(body === undefined ? {} : { body: body.text }),
      });
    } catch (cause) {
      throw peerError(client.party, url, undefined, cause);
    }
    if (res.status < 200 || res.status >= 300) throw peerError(client.party, url, res.status);
    return res;
  }, client.retry);
}

function parseBody(url: string, res: TransportResponse, mediaType: string): unknown {
  const type = (res.header('content-type') ?? '').replace(/\s+/g, '').toLowerCase();
  if (!type.startsWith(mediaType.replace(/\s+/g, '')))
    throw protocol(url, `expected \`${mediaType}\`, got \`${type.slice(0, 80) || 'none'}\``);
  try {
    return JSON.parse(res.body) as unknown;
  } catch {
    throw protocol(url, 'the body is not json');
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** GET a TAXII resource; returns its parsed JSON object. */
export async function getTaxii(
  client: PeerClient,
  url: string,
): Promise<{ body: Record<string, unknown>; res: TransportResponse }> {
  const res = await exchange(client, url, 'GET', TAXII_MEDIA_TYPE);
  const body = parseBody(url, res, 'application/taxii+json');
  if (!isObject(body)) throw protocol(url, 'the resource is not a json object');
  return { body, res };
}

/** POST JSON to a REST endpoint of the peer; returns the parsed answer. */
export async function postJson(client: PeerClient, url: string, value: unknown): Promise<unknown> {
  const res = await exchange(client, url, 'POST', 'application/json', {
    type: 'application/json',
    text: JSON.stringify(value),
  });
  return parseBody(url, res, 'application/json');
}

/** GET JSON from a REST endpoint of the peer. */
export async function getJson(client: PeerClient, url: string): Promise<unknown> {
  const res = await exchange(client, url, 'GET', 'application/json');
  return parseBody(url, res, 'application/json');
}

/** Discovery (§4.1): the API root URLs the peer lists, absolute. */
export async function discoverApiRoots(
  client: PeerClient,
  discoveryUrl: string,
): Promise<string[]> {
  const { body } = await getTaxii(client, discoveryUrl);
  const roots = body.api_roots;
  if (roots === undefined) return [];
  if (!Array.isArray(roots) || roots.some((r) => typeof r !== 'string'))
    throw protocol(discoveryUrl, '`api_roots` is not a list of urls');
  return (roots as string[]).map((r) => {
    const u = new URL(r, discoveryUrl);
    if (!u.pathname.endsWith('/')) u.pathname += '/';
    return u.toString();
  });
}

/** The API root of `agreementId` among `roots` (Concordat serves one root per agreement). */
export function rootOfAgreement(roots: readonly string[], agreementId: string): string | undefined {
  return roots.find((r) => {
    const segments = new URL(r).pathname.split('/').filter((s) => s !== '');
    return decodeURIComponent(segments[segments.length - 1] ?? '') === agreementId;
  });
}

/** Collections (§5.1) of an API root. */
export async function listCollections(
  client: PeerClient,
  rootUrl: string,
): Promise<PeerCollection[]> {
  const url = new URL('collections/', rootUrl).toString();
  const { body } = await getTaxii(client, url);
  const list = body.collections ?? [];
  if (!Array.isArray(list)) throw protocol(url, '`collections` is not a list');
  return list.map((c: unknown) => {
    if (!isObject(c) || typeof c.id !== 'string' || c.id === '')
      throw protocol(url, 'a collection has no `id`');
    const purpose =
      typeof c.alias === 'string' ? c.alias : typeof c.title === 'string' ? c.title : c.id;
    return { id: c.id, purpose, canRead: c.can_read === true };
  });
}

/** One Get Objects page (§5.4). */
export async function getObjectsPage(
  client: PeerClient,
  rootUrl: string,
  collection: string,
  q: { readonly addedAfter?: string; readonly next?: string; readonly limit: number },
): Promise<ObjectsPage> {
  const u = new URL(`collections/${encodeURIComponent(collection)}/objects/`, rootUrl);
  u.searchParams.set('limit', String(q.limit));
  if (q.addedAfter !== undefined) u.searchParams.set('added_after', q.addedAfter);
  if (q.next !== undefined) u.searchParams.set('next', q.next);
  const url = u.toString();
  const { body, res } = await getTaxii(client, url);
  const objects = body.objects ?? [];
  if (!Array.isArray(objects) || objects.some((o) => !isObject(o)))
    throw protocol(url, '`objects` is not a list of objects');
  if (body.more !== undefined && typeof body.more !== 'boolean')
    throw protocol(url, '`more` is not a boolean');
  if (body.next !== undefined && typeof body.next !== 'string')
    throw protocol(url, '`next` is not a string');
  if (objects.length > q.limit)
    throw protocol(url, `the page holds ${objects.length} objects, more than the limit ${q.limit}`);
  const last = res.header('x-taxii-date-added-last');
  return {
    objects: objects as Record<string, unknown>[],
    more: body.more === true,
    next: body.next as string | undefined,
    dateAddedLast: objects.length === 0 ? undefined : last,
  };
}
