/**
 * THE release function (DESIGN.md invariant 2, "one door"): every object version — or
 * anything derived from one: a manifest row, a version list, a count — that leaves the node
 * for a partner passes through {@link release}:
 *
 *   candidates (store-side filters only) → open → decide (engine + state at the release
 *   instant) → minimise (agreement pseudonym key) → stamp the handling extension → ledger
 *   the release → return.
 *
 * With a `ReleaseCache` (prepared-cache.ts) in the ports, a version prepared by an earlier
 * release (its decision metadata; its minimised JSON per minimisation plan) is not opened,
 * classified or minimised again. INVARIANT: the cache never stands in for a decision — every candidate is
 * decided for every release, with the state at that release's instant, and the handling stamp
 * and the ledger entry are made per release.
 *
 * INVARIANT: a denied object is invisible. It is not returned, not counted in the result, and
 * does not shorten a page: candidates keep being fetched until the page holds `limit` visible
 * versions plus one looked-ahead (so `more` is exact) or the store is exhausted. `next` points
 * at the last *returned* version, never at a denied one.
 */
import { ConcordatError, isConcordatError } from '../core/index.js';
import type { Allow, Decision, ObjectMeta } from '../policy/index.js';
import {
  formatStixTimestamp,
  isScoType,
  minimise,
  objectMeta,
  readHandling,
} from '../intel/index.js';
import type { HandlingStamp } from '../intel/index.js';
import { attenuateOnward, onwardRule, withoutStamp } from './onward.js';
import { RELEASE_ITEMS_PER_ENTRY, releaseEntryBodies, releaseItem } from './ledger-body.js';
import type { PreparedEntry, PreparedView } from './prepared-cache.js';
import { jsonReleasedObject, prepareView, releasedJson, stampJson } from './serialize.js';
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
const MAX_BATCH = 1024;
/** Smallest batch: pages with denials need a few more candidates than they return. */
const MIN_BATCH = 64;

/** A visible candidate before it is stamped and ledgered. */
interface Visible {
  readonly candidate: Candidate;
  readonly decision: Allow;
  readonly view: PreparedView;
}

/** A candidate's entry, and its plaintext when this release had to open it. */
interface Opened {
  readonly entry: PreparedEntry;
  object: StixObject | undefined;
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

/** The handling stamp an object was received with, as an optional entry field. */
function receivedStamp(object: StixObject): { readonly received?: HandlingStamp } {
  const stamp = readHandling(object);
  return stamp === undefined ? {} : { received: stamp };
}

/** A candidate opened by this release: its new entry (remembered when the ports keep a cache). */
async function openEntry(
  candidate: Candidate,
  ports: ReleasePorts,
  at: number,
): Promise<Opened | undefined> {
  const object = await openOrSkip(candidate, ports);
  if (object === undefined) return undefined;
  const entry: PreparedEntry = {
    contentHash: candidate.contentHash,
    producer: candidate.producer,
    tlp: candidate.tlp,
    retainUntilMs: candidate.retainUntilMs ?? at,
    keyId: candidate.keyId ?? '',
    meta: metaOf(object, candidate),
    ...receivedStamp(object),
    views: new Map(),
  };
  if (
    ports.cache !== undefined &&
    candidate.retainUntilMs !== undefined &&
    candidate.keyId !== undefined
  )
    ports.cache.put(candidate.id, candidate.version, entry);
  return { entry, object };
}

/**
 * A shred or deadline that raced the read makes the candidate `undefined`: the version is gone
 * for everyone.
 */
async function openOrSkip(
  candidate: Candidate,
  ports: ReleasePorts,
): Promise<StixObject | undefined> {
  try {
    return await ports.open(candidate);
  } catch (err) {
    if (isConcordatError(err, 'ERR_SHREDDED') || isConcordatError(err, 'ERR_RETENTION_ENDED'))
      return undefined;
    throw err;
  }
}

/** The minimised view of an allowed candidate under its decision's minimisation. */
async function viewOf(
  opened: Opened,
  candidate: Candidate,
  decision: Allow,
  input: ReleaseInput,
  ports: ReleasePorts,
): Promise<PreparedView | undefined> {
  const { minimise: m } = decision.obligations;
  const key = input.agreement.pseudonymKey;
  const plan = ports.cache?.planOf(m, key) ?? 0;
  const known = opened.entry.views.get(plan);
  if (known !== undefined) return known;
  opened.object ??= await openOrSkip(candidate, ports);
  if (opened.object === undefined) return undefined;
  // A partner's stamp is replaced, not carried: the hash is of what the next receiver hashes.
  const view = prepareView(minimise(withoutStamp(opened.object), m, key));
  if (ports.cache === undefined) opened.entry.views.set(plan, view);
  else ports.cache.addView(candidate.id, candidate.version, opened.entry, plan, view);
  return view;
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
  ports.cache?.expire(at);
  const { agreement } = input;
  const wanted = input.filter.ids === undefined ? undefined : new Set(input.filter.ids);
  const filter = candidateFilter(input);
  const visible: Visible[] = [];
  let withheld = 0;
  let after: ReleaseCursor | undefined = input.after;

  scan: for (;;) {
    // Enough candidates for the rest of the page and its look-ahead, if none is denied.
    const wantedNow = input.limit + 1 - visible.length;
    const page = await ports.candidates({
      ...filter,
      visibleAtMs: at,
      limit: Math.min(MAX_BATCH, Math.max(wantedNow, MIN_BATCH)),
      ...(after === undefined ? {} : { after }),
    });
    // Withdrawn versions are skipped (null); cached ones need no read; the rest are read at once.
    const cached = page.items.map((c) =>
      ports.withdrawn(c) ? null : ports.cache?.get(c.id, c.version, c, at),
    );
    if (ports.preload !== undefined) {
      const misses = page.items.filter((_, i) => cached[i] === undefined);
      if (misses.length > 0) await ports.preload(misses);
    }
    for (let i = 0; i < page.items.length; i++) {
      const candidate = page.items[i] as Candidate;
      const hit = cached[i];
      if (hit === null) continue;
      const opened =
        hit === undefined
          ? await openEntry(candidate, ports, at)
          : { entry: hit, object: undefined };
      if (opened === undefined) continue;
      // INVARIANT: decided for this request, at its instant, whatever was cached.
      const decision: Decision = agreement.decide(
        { agency: input.agency, purpose: input.purpose, object: opened.entry.meta, at },
        state,
      );
      if (decision.effect !== 'allow') {
        withheld++;
        continue;
      }
      // A partner's object: its onward-sharing rule, then obligations no looser than received.
      const onward =
        agreement.onward === undefined
          ? undefined
          : onwardRule(
              agreement.onward,
              candidate.producer,
              opened.entry.received,
              agreement.agreementId,
              input.agency,
            );
      if (onward !== undefined && !onward.allow) {
        withheld++;
        continue;
      }
      const view = await viewOf(opened, candidate, decision, input, ports);
      if (view === undefined) continue;
      if (wanted !== undefined && !wanted.has(view.id)) continue;
      visible.push({
        candidate,
        decision: onward === undefined ? decision : attenuateOnward(decision, onward),
        view,
      });
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

  const bodies = releaseEntryBodies({
    agreementId: agreement.agreementId,
    agreementVersion: agreement.agreementVersion,
    agency: input.agency,
    purpose: input.purpose,
    level: state.level,
    channel: input.channel,
    withheld,
    // The version as released (coarsening may change `modified`): what the receiver stores.
    items: returned.map((v) =>
      releaseItem(v.view.id, v.view.version ?? v.candidate.version, v.view.sha256),
    ),
  });
  const first = await ports.ledger(
    bodies.map((b) => ({ kind: 'release', body: b.body })),
    at,
  );
  const stamps = stamper(input, state.level);
  const out: ReleasedObject[] = returned.map((v, i) => {
    const entry = first + Math.floor(i / RELEASE_ITEMS_PER_ENTRY);
    return jsonReleasedObject({
      id: v.view.id,
      version: v.candidate.version,
      specVersion: v.candidate.specVersion,
      dateAddedUs: v.candidate.dateAddedUs,
      json: releasedJson(v.view, stamps(v.decision, entry)),
      ledgerEntry: entry,
    });
  });
  return { at, items: out, more, next };
}

/**
 * The handling stamp's JSON per (decision, ledger entry). Consecutive objects mostly share
 * both, so the last stamp is reused when tier, deadline, handling and entry are the same.
 */
function stamper(input: ReleaseInput, level: string): (d: Allow, entry: number) => string {
  let last:
    | { tier: string; retainUntil: number; handling: unknown; entry: number; json: string }
    | undefined;
  return (d, entry) => {
    const o = d.obligations;
    const tier = d.tier ?? 'waiver';
    if (
      last !== undefined &&
      last.entry === entry &&
      last.tier === tier &&
      last.retainUntil === o.retainUntil &&
      last.handling === o.handling
    )
      return last.json;
    const json = stampJson({
      agreementId: input.agreement.agreementId,
      agreementVersion: input.agreement.agreementVersion,
      purpose: input.purpose,
      tier,
      level,
      retainUntil: formatStixTimestamp(o.retainUntil),
      pap: o.handling.pap,
      onwardSharing: o.handling.onwardSharing,
      ledgerEntry: String(entry),
    });
    last = { tier, retainUntil: o.retainUntil, handling: o.handling, entry, json };
    return json;
  };
}
