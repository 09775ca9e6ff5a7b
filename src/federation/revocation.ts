/**
 * Revocation on the consumer (issue 6): a partner's object stops being released here when
 * (a) a pulled version says `revoked: true` (STIX 2.1 §3.2) — every earlier version this node
 * holds of it from that producer is withdrawn locally; or (b) the producer withdrew a version
 * (TAXII Delete, src/server/withdrawals.ts) — the producer lists the SHA-256 of
 * `<id> <version>` of its withdrawals (`GET /api/v1/federation/withdrawals`; hashes, so a
 * partner learns nothing about objects it never received), and the versions that match what
 * this node holds are withdrawn locally.
 *
 * A local withdrawal is ledgered (`withdraw`, with `reason`) and makes the version invisible
 * through the one door at once. Its ciphertext is crypto-shredded with its data key at the
 * end of its retention window (keys are per producer and window: one object cannot be
 * shredded alone).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../agreement/index.js';
import { ConcordatError } from '../core/index.js';
import { entryLeafHash } from '../ledger/index.js';
import type { JsonObject } from '../ledger/index.js';
import { ledgerEntries, objects } from '../store/index.js';
import { peerBase } from './deliver.js';
import type { FederationHost } from './host.js';
import { getJson } from './taxii-client.js';
import type { PeerClient } from './taxii-client.js';

/** REST path of a producer's withdrawal hashes. */
export const WITHDRAWALS_PATH = '/api/v1/federation/withdrawals';

/** SHA-256 hex of `<id> <version>`: how a withdrawn version is named to partners. */
export function withdrawalHash(id: string, version: string): string {
  return createHash('sha256').update(`${id} ${version}`, 'utf8').digest('hex');
}

/** Every version this node holds from `producer`, optionally of some ids. */
async function heldVersions(
  host: FederationHost,
  producer: string,
  ids?: readonly string[],
): Promise<{ id: string; version: string }[]> {
  const out: { id: string; version: string }[] = [];
  let after: { dateAddedUs: number; seq: number } | undefined;
  for (;;) {
    const page = await objects.manifest(host.db, {
      visibleAtMs: host.clock.now(),
      producer,
      versions: ['all'],
      limit: 1000,
      ...(ids === undefined ? {} : { ids }),
      ...(after === undefined ? {} : { after }),
    });
    for (const m of page.items) out.push({ id: m.id, version: m.modified });
    if (page.next === undefined) return out;
    after = page.next;
  }
}

/** Withdraws `versions` of `producer` locally, ledgered first. Returns how many were new. */
async function withdrawLocally(
  host: FederationHost,
  producer: string,
  versions: readonly { id: string; version: string }[],
  reason: 'revoked' | 'producer-withdrawal',
): Promise<number> {
  const w = host.withdrawals;
  if (w === undefined) return 0;
  const fresh = versions.filter((v) => !w.isWithdrawn(v.id, v.version));
  if (fresh.length === 0) return 0;
  const at = host.clock.now();
  let first = -1;
  for (let i = 0; i < fresh.length; i += 100) {
    const chunk = fresh.slice(i, i + 100);
    const body: JsonObject = {
      producer,
      holder: host.party,
      reason,
      items: chunk.map((v) => `${v.id} ${v.version}`),
    };
    const seq = await host.db.transaction((tx) =>
      ledgerEntries.appendWith(tx, 1, (s) => ({
        atMs: at,
        kind: 'withdraw',
        body: canonicalJson(body),
        leafHash: entryLeafHash({ seq: s, at, kind: 'withdraw', body }),
      })),
    );
    if (first < 0) first = seq;
  }
  await w.withdraw(fresh, at, { producer, ledgerSeq: first });
  await host.ledger.checkpoint();
  return fresh.length;
}

/**
 * (a) For every pulled object with `revoked: true`, withdraws the earlier versions of it this
 * node holds from `producer`. Returns how many versions were withdrawn.
 */
export async function applyRevocations(
  host: FederationHost,
  producer: string,
  pulled: readonly Readonly<Record<string, unknown>>[],
): Promise<number> {
  const revoked = pulled.filter((o) => o.revoked === true).map((o) => String(o.id));
  if (revoked.length === 0) return 0;
  const held = await heldVersions(host, producer, [...new Set(revoked)]);
  const latest = new Map(
    pulled.filter((o) => o.revoked === true).map((o) => [String(o.id), String(o.modified)]),
  );
  // The revoked version itself stays visible: it is how STIX tells the next reader.
  return withdrawLocally(
    host,
    producer,
    held.filter((v) => latest.get(v.id) !== v.version),
    'revoked',
  );
}

/**
 * (b) Asks the producer for its withdrawal hashes and withdraws locally every held version of
 * it that matches. Returns how many versions were withdrawn.
 */
export async function syncWithdrawals(
  host: FederationHost,
  client: PeerClient,
  discoveryUrl: string,
): Promise<number> {
  const url = `${peerBase(discoveryUrl)}${WITHDRAWALS_PATH}`;
  const body = (await getJson(client, url)) as { items?: unknown };
  if (
    !Array.isArray(body.items) ||
    body.items.some((h) => typeof h !== 'string' || !/^[0-9a-f]{64}$/.test(h))
  )
    throw new ConcordatError(
      'ERR_FEDERATION_PROTOCOL',
      `\`${url}\`: \`items\` is not a list of sha-256 hex`,
    );
  const wanted = new Set(body.items as string[]);
  if (wanted.size === 0) return 0;
  const held = await heldVersions(host, client.party);
  return withdrawLocally(
    host,
    client.party,
    held.filter((v) => wanted.has(withdrawalHash(v.id, v.version))),
    'producer-withdrawal',
  );
}
