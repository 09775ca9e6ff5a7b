/**
 * Onward sharing on the holder's door (issue 6): an object this node received from a partner
 * carries the partner's handling stamp (src/intel handling extension). Before the holder
 * releases such an object to anyone, {@link onwardRule} checks the stamp, and
 * {@link attenuateOnward} narrows the obligations of the new stamp, hop by hop:
 *
 * - never back to its producer's party (it holds the original);
 * - never under another agreement than the one it was received under;
 * - `none`: not released again (the stamp does not name the agency of the holder that received
 *   it, so no reader can be told apart from onward sharing);
 * - `same-party`: only to agencies of the holder's own party;
 * - `agreement-parties`: to any party of the agreement (each release decided again by it).
 *
 * The new stamp takes the stricter PAP, the earlier retention deadline, and onward sharing no
 * wider than received — one step narrower when the object crosses to a third party, so a chain
 * of hops ends. Objects without a Concordat stamp (the node's own, or pushed to it by a partner
 * agency over TAXII) are decided by the agreement alone. Pure.
 */
import { ONWARD_SHARING_LEVELS, PAP_LEVELS } from '../agreement/index.js';
import type { OnwardSharing } from '../agreement/index.js';
import type { HandlingStamp } from '../intel/index.js';
import { CONCORDAT_HANDLING_EXTENSION_ID, parseStixTimestamp } from '../intel/index.js';
import type { Allow } from '../policy/index.js';
import type { OnwardContext, StixObject } from './types.js';

/** Why an onward release is refused, or how its obligations are narrowed. */
export type OnwardVerdict =
  | {
      readonly allow: true;
      readonly received: HandlingStamp | undefined;
      readonly crossesParty: boolean;
    }
  | { readonly allow: false; readonly reason: string };

/**
 * Whether `received` (the stamp on a stored object produced by `producer`) lets the holder
 * release it to `agency` under `agreementId`.
 */
export function onwardRule(
  ctx: OnwardContext,
  producer: string,
  received: HandlingStamp | undefined,
  agreementId: string,
  agency: string,
): OnwardVerdict {
  if (producer === ctx.holderParty || received === undefined)
    return { allow: true, received: undefined, crossesParty: false };
  const to = ctx.partyOf(agency);
  if (to === undefined) return { allow: false, reason: 'unknown recipient party' };
  if (to === producer) return { allow: false, reason: 'back to its producer' };
  if (received.agreementId !== agreementId)
    return { allow: false, reason: 'received under another agreement' };
  const crossesParty = to !== ctx.holderParty;
  const ok =
    received.onwardSharing === 'agreement-parties' ||
    (received.onwardSharing === 'same-party' && !crossesParty);
  return ok
    ? { allow: true, received, crossesParty }
    : { allow: false, reason: `onward sharing \`${received.onwardSharing}\`` };
}

function narrower(a: OnwardSharing, b: OnwardSharing): OnwardSharing {
  return ONWARD_SHARING_LEVELS.indexOf(a) <= ONWARD_SHARING_LEVELS.indexOf(b) ? a : b;
}

/** The decision with obligations no looser than the received stamp allows (see module). */
export function attenuateOnward(decision: Allow, verdict: OnwardVerdict): Allow {
  if (!verdict.allow || verdict.received === undefined) return decision;
  const r = verdict.received;
  const o = decision.obligations;
  const step = ONWARD_SHARING_LEVELS[ONWARD_SHARING_LEVELS.indexOf(r.onwardSharing) - 1] ?? 'none';
  const onwardSharing = narrower(
    o.handling.onwardSharing,
    verdict.crossesParty ? step : r.onwardSharing,
  );
  const pap =
    PAP_LEVELS.indexOf(o.handling.pap) >= PAP_LEVELS.indexOf(r.pap) ? o.handling.pap : r.pap;
  const deadline = parseStixTimestamp(r.retainUntil);
  const retainUntil = deadline === undefined ? o.retainUntil : Math.min(o.retainUntil, deadline.ms);
  return { ...decision, obligations: { ...o, retainUntil, handling: { pap, onwardSharing } } };
}

/**
 * `object` without the Concordat handling stamp (and without `extensions` when nothing else
 * was in it): what is minimised, hashed and stamped anew on an onward release, so the new
 * stamp replaces the received one and the release hash is the one the next receiver computes.
 */
export function withoutStamp(object: StixObject): StixObject {
  const ext = object.extensions as Record<string, unknown> | undefined;
  if (ext === undefined || typeof ext !== 'object' || !(CONCORDAT_HANDLING_EXTENSION_ID in ext))
    return object;
  const others = Object.fromEntries(
    Object.entries(ext).filter(([k]) => k !== CONCORDAT_HANDLING_EXTENSION_ID),
  );
  const rest = Object.fromEntries(Object.entries(object).filter(([k]) => k !== 'extensions'));
  return Object.keys(others).length === 0 ? rest : { ...rest, extensions: others };
}
