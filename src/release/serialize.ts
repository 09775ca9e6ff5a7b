/**
 * Released objects as JSON text. A minimised object is serialized once, without its handling
 * stamp ({@link prepareView}); each release splices the stamp of that request into the text
 * ({@link releasedJson}) instead of copying, stamping and re-serializing the object. The text
 * is the JSON of exactly what `stampHandling(minimised, stamp)` returns (the test suite holds
 * the two equal); only the position of `extensions` among the members may differ.
 */
import { createHash } from 'node:crypto';
import {
  CONCORDAT_HANDLING_EXTENSION_ID,
  canonicalStixJson,
  parseStixTimestamp,
} from '../intel/index.js';
import type { HandlingStamp } from '../intel/index.js';
import type { PreparedView } from './prepared-cache.js';
import type { ReleasedObject, StixObject } from './types.js';

const HANDLING_KEY = JSON.stringify(CONCORDAT_HANDLING_EXTENSION_ID);

/** `{...}` without its braces. */
function members(json: string): string {
  return json.slice(1, -1);
}

/** Serializes a minimised object for splicing, with the canonical hash the ledger records. */
export function prepareView(minimised: Readonly<Record<string, unknown>>): PreparedView {
  const sha256 = createHash('sha256').update(canonicalStixJson(minimised), 'utf8').digest('hex');
  const id = String(minimised.id);
  const v =
    typeof minimised.modified === 'string'
      ? minimised.modified
      : typeof minimised.created === 'string'
        ? minimised.created
        : undefined;
  const version = v === undefined ? {} : { version: v };
  if (!('extensions' in minimised)) {
    // The common case: nothing to take out, one serialization.
    return { id, head: JSON.stringify(minimised).slice(0, -1), extensions: '', sha256, ...version };
  }
  const { extensions, ...rest } = minimised;
  // Exactly `stampHandling`'s `{ ...(object.extensions ?? {}) }`, minus an earlier stamp.
  const others: Record<string, unknown> = { ...((extensions ?? {}) as object) };
  Reflect.deleteProperty(others, CONCORDAT_HANDLING_EXTENSION_ID);
  return {
    id,
    head: JSON.stringify(rest).slice(0, -1),
    extensions: members(JSON.stringify(others)),
    sha256,
    ...version,
  };
}

/**
 * The JSON of the handling extension's value, members in `stampHandling`'s order. Throws
 * `RangeError` if `retainUntil` is not an RFC 3339 UTC timestamp (as `stampHandling` does).
 */
export function stampJson(h: HandlingStamp): string {
  if (parseStixTimestamp(h.retainUntil) === undefined)
    throw new RangeError('`retainUntil` must be an RFC 3339 UTC timestamp');
  return JSON.stringify({
    extension_type: 'property-extension',
    agreement_id: h.agreementId,
    agreement_version: h.agreementVersion,
    purpose: h.purpose,
    tier: h.tier,
    level: h.level,
    retain_until: h.retainUntil,
    pap: h.pap,
    onward_sharing: h.onwardSharing,
    ledger_entry: h.ledgerEntry,
  });
}

/** The released object's JSON: the view with `stamp` (from {@link stampJson}) spliced in. */
export function releasedJson(view: PreparedView, stamp: string): string {
  const open = view.head.length > 1 ? `${view.head},"extensions":{` : '{"extensions":{';
  const others = view.extensions === '' ? '' : `${view.extensions},`;
  return `${open}${others}${HANDLING_KEY}:${stamp}}}`;
}

/**
 * A released object held as its JSON text; `object` (an own, enumerable getter) is parsed from
 * it on first use — routes send the text and never need the parsed form.
 */
export function jsonReleasedObject(fields: Omit<ReleasedObject, 'object'>): ReleasedObject {
  let parsed: StixObject | undefined;
  return {
    ...fields,
    get object(): StixObject {
      parsed ??= JSON.parse(fields.json) as StixObject;
      return parsed;
    },
  };
}
