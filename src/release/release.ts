/**
 * THE release function (DESIGN.md invariant 2, "one door"): every object version — or
 * anything derived from one: a manifest row, a version list, a count — that leaves the node
 * for a partner passes through {@link release}:
 *
 *   candidates (store-side filters only) → open → decide (engine + state at the release
 *   instant) → minimise (agreement pseudonym key) → stamp the handling extension → ledger
 *   the release → return.
 *
 * INVARIANT: a denied object is invisible. It is not returned, not counted in the result, and
 * does not shorten a page: candidates keep being fetched until the page holds `limit` visible
 * versions plus one looked-ahead (so `more` is exact) or the store is exhausted. `next` points
 * at the last *returned* version, never at a denied one.
 */
import { createHash } from 'node:crypto';
import { ConcordatError, isConcordatError } from '../core/index.js';
import type { Allow } from '../policy/index.js';
import {
  canonicalStixJson,
  formatStixTimestamp,
  isScoType,
  minimise,
  objectMeta,
  stampHandling,
} from '../intel/index.js';
import type { ObjectMeta } from '../policy/index.js';
import { RELEASE_ITEMS_PER_ENTRY, releaseEntryBodies, releaseItem } from './ledger-body.js';
import type {
  Candidate,
  CandidateQuery,
  ReleaseCursor,
  ReleaseInput,
  ReleasePorts,
  ReleaseResult,
  ReleasedObject,
  StixObject,
} from './types.js';

/** Largest candidate batch the door asks the store for at once. */
const MAX_BATCH = 1000;

/** A visible candidate before it is stamped and ledgered. */
interface Visible {
  readonly candidate: Candidate;
  readonly decision: Allow;
  readonly minimised: Record<string, unknown>;
}

const TLPS: ReadonlySet<string> = new Set(['clear', 'green', 'amber', 'amber+strict', 'red']);

function typeOfId(id: string): string {
  const i = id.indexOf('--');
  return i < 0 ? '' : id.slice(0, i);
}

/**
 * Store-side filters that cannot change visibility. Ids are pushed down only when none names
 * an SCO: a released SCO id may be a keyed pseudonym the store has never seen, so for those
 * the store is asked by type and the id is matched after minimisation.
 */
function candidateFilter(input: ReleaseInput): Omit<CandidateQuery, 'limit' | 'visibleAtMs'> {
  const f = input.filter;
  let types = f.types;
  let ids: readonly string[] | undefined;
  if (f.ids !== undefined) {
    const idTypes = [...new Set(f.ids.map(typeOfId))];
    types = types === undefined ? idTypes : types.filter((t) => idTypes.includes(t));
    if (!idTypes.some((t) => isScoType(t))) ids = f.ids;
  }
  return {
    ...(f.addedAfterUs === undefined ? {} : { addedAfterUs: f.addedAfterUs }),
    ...(ids === undefined ? {} : { ids }),
    ...(types === undefined ? {} : { types }),
    ...(f.specVersions === undefined ? {} : { specVersions: f.specVersions }),
    versions: f.versions ?? ['last'],
  };
}

function metaOf(object: StixObject, candidate: Candidate): ObjectMeta {
  const meta = objectMeta(object, candidate.producer);
  // The TLP computed at ingest saw the bundle's marking definitions; the object alone may not.
  return candidate.tlp !== null && TLPS.has(candidate.tlp)
    ? { ...meta, tlp: candidate.tlp as ObjectMeta['tlp'] }
    : meta;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Releases one page of what `input.agency` may receive for `input.purpose` under
 * `input.agreement`, now (the ports' clock). See the module comment for the contract.
 *
 * Throws `ERR_USAGE` for a bad `limit`; store, vault and ledger errors propagate (a ledger
 * failure releases nothing: objects are returned only after their entries are appended).
 */
export async function release(input: ReleaseInput, ports: ReleasePorts): Promise<ReleaseResult> {
  if (!Number.isSafeInteger(input.limit) || input.limit < 1)
    throw new ConcordatError('ERR_USAGE', `limit \`${input.limit}\` must be a positive integer`);
  const at = ports.clock.now();
  const state = await ports.state(at);
  const { agreement } = input;
  const wanted = input.filter.ids === undefined ? undefined : new Set(input.filter.ids);
  const filter = candidateFilter(input);
  const batch = Math.min(MAX_BATCH, Math.max(input.limit + 1, 64));
  const visible: Visible[] = [];
  let withheld = 0;
  let after: ReleaseCursor | undefined = input.after;

  scan: for (;;) {
    const page = await ports.candidates({
      ...filter,
      visibleAtMs: at,
      limit: batch,
      ...(after === undefined ? {} : { after }),
    });
    for (const candidate of page.items) {
      if (ports.withdrawn(candidate)) continue;
      let object: StixObject;
      try {
        object = await ports.open(candidate);
      } catch (err) {
        // A shred or deadline raced this read: the version is gone for everyone.
        if (isConcordatError(err, 'ERR_SHREDDED') || isConcordatError(err, 'ERR_RETENTION_ENDED'))
          continue;
        throw err;
      }
      const decision = agreement.decide(
        { agency: input.agency, purpose: input.purpose, object: metaOf(object, candidate), at },
        state,
      );
      if (decision.effect !== 'allow') {
        withheld++;
        continue;
      }
      const minimised = minimise(object, decision.obligations.minimise, agreement.pseudonymKey);
      if (wanted !== undefined && !wanted.has(String(minimised.id))) continue;
      visible.push({ candidate, decision, minimised });
      if (visible.length > input.limit) break scan;
    }
    if (page.next === undefined) break;
    after = page.next;
  }

  const returned = visible.slice(0, input.limit);
  const more = visible.length > input.limit;
  const last = returned[returned.length - 1];
  const next =
    more && last !== undefined
      ? { dateAddedUs: last.candidate.dateAddedUs, seq: last.candidate.seq }
      : undefined;
  if (returned.length === 0 && withheld === 0) return { at, items: [], more: false, next };

  const items = returned.map((v) =>
    releaseItem(
      String(v.minimised.id),
      v.candidate.version,
      sha256Hex(canonicalStixJson(v.minimised)),
    ),
  );
  const bodies = releaseEntryBodies({
    agreementId: agreement.agreementId,
    agreementVersion: agreement.agreementVersion,
    agency: input.agency,
    purpose: input.purpose,
    level: state.level,
    channel: input.channel,
    withheld,
    items,
  });
  const first = await ports.ledger(
    bodies.map((b) => ({ kind: 'release', body: b.body })),
    at,
  );
  const out: ReleasedObject[] = returned.map((v, i) => {
    const entry = first + Math.floor(i / RELEASE_ITEMS_PER_ENTRY);
    const o = v.decision.obligations;
    const object = stampHandling(v.minimised, {
      agreementId: agreement.agreementId,
      agreementVersion: agreement.agreementVersion,
      purpose: input.purpose,
      tier: v.decision.tier ?? 'waiver',
      level: state.level,
      retainUntil: formatStixTimestamp(o.retainUntil),
      pap: o.handling.pap,
      onwardSharing: o.handling.onwardSharing,
      ledgerEntry: String(entry),
    });
    return {
      id: String(v.minimised.id),
      version: v.candidate.version,
      specVersion: v.candidate.specVersion,
      dateAddedUs: v.candidate.dateAddedUs,
      object,
      ledgerEntry: entry,
    };
  });
  return { at, items: out, more, next };
}
