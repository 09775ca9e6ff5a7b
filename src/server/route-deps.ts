/**
 * What route modules get: the door, the served roots and limits — never the database or the
 * vault (the one-door architecture test checks this) — and the helpers every route shares.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Agreement, Purpose } from '../agreement/index.js';
import { ConcordatError } from '../core/index.js';
import type { Clock } from '../core/index.js';
import type { ReleasedObject } from '../release/index.js';
import { microsToInstant } from '../store/index.js';
import type { Principal, Scope } from './auth.js';
import type { AgreementRoot, IngestPort, ServerLimits } from './context.js';
import type { Door } from './door.js';
import { TAXII_MEDIA_TYPE } from './media.js';
import type { StatusStore } from './status-store.js';

/** Route dependencies. */
export interface RouteDeps {
  readonly door: Door;
  readonly roots: ReadonlyMap<string, AgreementRoot>;
  readonly limits: ServerLimits;
  readonly clock: Clock;
  readonly ingest: IngestPort;
  readonly statuses: StatusStore;
  readonly discovery: {
    readonly title: string;
    readonly description?: string;
    readonly contact?: string;
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook before any handler runs. */
    principal: Principal | null;
  }
}

/** The authenticated principal (the hook guarantees one on every TAXII route). */
export function principalOf(request: FastifyRequest): Principal {
  const p = request.principal;
  if (p === null) throw new ConcordatError('ERR_UNAUTHENTICATED', 'no credential');
  return p;
}

/** The agency's party under `agreement`, if the agency is a member. */
export function partyOf(agreement: Agreement, agency: string): string | undefined {
  return agreement.agencies.find((a) => a.id === agency)?.party;
}

/**
 * The API root named in the path. A root whose agreement does not name the agency is
 * `ERR_NOT_FOUND`, exactly like one that does not exist.
 */
export function rootFor(deps: RouteDeps, principal: Principal, name: string): AgreementRoot {
  const root = deps.roots.get(name);
  if (root === undefined || partyOf(root.agreement, principal.agency) === undefined)
    throw new ConcordatError('ERR_NOT_FOUND', 'api root not found');
  return root;
}

/** `ERR_FORBIDDEN` unless the credential carries `scope`. */
export function requireScope(principal: Principal, scope: Scope): void {
  if (!principal.scopes.includes(scope))
    throw new ConcordatError('ERR_FORBIDDEN', `this credential lacks the \`${scope}\` scope`);
}

/** The collection id of a purpose: a name-based UUID over (agreement id, purpose id). */
export function collectionId(agreementId: string, purpose: string): string {
  const h = createHash('sha256')
    .update(`concordat/collection\n${agreementId}\n${purpose}`)
    .digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50; // version 5 layout (name-based, RFC 9562 §5.5 shape)
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** The purpose a collection path segment (its id or its alias, the purpose id) names. */
export function purposeFor(root: AgreementRoot, segment: string): Purpose {
  const p = root.agreement.purposes.find(
    (x) => x.id === segment || collectionId(root.agreement.id, x.id) === segment,
  );
  if (p === undefined) throw new ConcordatError('ERR_NOT_FOUND', 'collection not found');
  return p;
}

/** Sends a TAXII resource. */
export function sendTaxii(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  // Sent as bytes so fastify keeps the media type exactly as TAXII 2.1 spells it.
  return reply
    .code(status)
    .header('content-type', TAXII_MEDIA_TYPE)
    .send(Buffer.from(JSON.stringify(body), 'utf8'));
}

/** TAXII 2.1 §3.3: `X-TAXII-Date-Added-First` / `-Last` of the objects in a response. */
export function dateAddedHeaders(reply: FastifyReply, items: readonly ReleasedObject[]): void {
  const first = items[0];
  const last = items[items.length - 1];
  if (first === undefined || last === undefined) return;
  reply.header('x-taxii-date-added-first', microsToInstant(first.dateAddedUs));
  reply.header('x-taxii-date-added-last', microsToInstant(last.dateAddedUs));
}
