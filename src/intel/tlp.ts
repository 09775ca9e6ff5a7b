/**
 * TLP markings by their standard STIX marking-definition ids.
 *
 * TLP 2.0 (FIRST, 2022): the OASIS CTI TC publishes one marking-definition per label, each
 * carrying the `tlp_2_0` property of extension
 * `extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d` (cti-stix-common-objects,
 * extension-definition-specifications/tlp-2.0). Their ids and definitions are embedded below.
 *
 * TLP 1.0: STIX 2.1 §7.2.1.4 defines four marking definitions with `definition_type: tlp`.
 * They map to TLP 2.0 where FIRST's TLP 2.0 release says the meaning is unchanged or only
 * renamed: WHITE → CLEAR (renamed), GREEN → GREEN, AMBER → AMBER (TLP 2.0 AMBER keeps the
 * 1.0 meaning; AMBER+STRICT is new and has no 1.0 counterpart), RED → RED.
 */
import type { Tlp } from '../agreement/index.js';
import { TLP_LABELS } from '../agreement/index.js';

/** STIX 2.1 property-extension that carries `tlp_2_0` on the TLP 2.0 marking definitions. */
export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** TLP 2.0 marking-definition ids (OASIS cti-stix-common-objects). */
export const TLP2_MARKING_IDS: Readonly<Record<Tlp, string>> = Object.freeze({
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
});

/** STIX 2.1 §7.2.1.4: the TLP 1.0 marking-definition ids, with their TLP 2.0 equivalent. */
export const TLP1_MARKING_IDS: Readonly<Record<string, Tlp>> = Object.freeze({
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'clear', // TLP:WHITE
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'green',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'amber',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'red',
});

const TLP2_NAMES: Readonly<Record<Tlp, string>> = {
  clear: 'TLP:CLEAR',
  green: 'TLP:GREEN',
  amber: 'TLP:AMBER',
  'amber+strict': 'TLP:AMBER+STRICT',
  red: 'TLP:RED',
};

/** A STIX marking-definition object, as far as this module reads one. */
export type MarkingDefinition = Readonly<Record<string, unknown>>;

/**
 * The TLP 2.0 marking-definition object for a label, exactly as OASIS publishes it (STIX 2.1
 * §7.2.1: `created` 2022-10-01, no `modified`, the TLP 2.0 property extension).
 */
export function tlpMarkingDefinition(tlp: Tlp): MarkingDefinition {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2_MARKING_IDS[tlp],
    created: '2022-10-01T00:00:00.000Z',
    name: TLP2_NAMES[tlp],
    extensions: {
      [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: tlp },
    },
  };
}

/** The standard TLP 2.0 marking-definition id for a label (for `object_marking_refs`). */
export function tlpMarkingRef(tlp: Tlp): string {
  return TLP2_MARKING_IDS[tlp];
}

const BY_ID = new Map<string, Tlp>([
  ...TLP_LABELS.map((t) => [TLP2_MARKING_IDS[t], t] as const),
  ...Object.entries(TLP1_MARKING_IDS),
]);

/** True when `id` is one of the standard TLP 1.0 or 2.0 marking-definition ids. */
export function isStandardTlpMarking(id: string): boolean {
  return BY_ID.has(id);
}

function isTlp(v: unknown): v is Tlp {
  return typeof v === 'string' && (TLP_LABELS as readonly string[]).includes(v);
}

/** The TLP a marking-definition object states, by its TLP 2.0 extension or TLP 1.0 definition. */
export function tlpOfMarkingDefinition(marking: MarkingDefinition): Tlp | undefined {
  const known = typeof marking.id === 'string' ? BY_ID.get(marking.id) : undefined;
  if (known !== undefined) return known;
  const ext = (marking.extensions as Record<string, unknown> | undefined)?.[TLP2_EXTENSION_ID];
  const v2 = (ext as Record<string, unknown> | undefined)?.tlp_2_0;
  if (isTlp(v2)) return v2;
  // STIX 2.1 §7.2.1.4: `definition_type: tlp`, `definition: { tlp: white|green|amber|red }`.
  if (marking.definition_type === 'tlp') {
    const v1 = (marking.definition as Record<string, unknown> | undefined)?.tlp;
    if (v1 === 'white') return 'clear';
    if (isTlp(v1) && v1 !== 'clear' && v1 !== 'amber+strict') return v1;
  }
  return undefined;
}

/**
 * The TLP of an object from its `object_marking_refs`: standard TLP ids are known; other
 * marking definitions are looked up in `bundleMarkings` (the marking-definition objects that
 * travel with it). When several TLP markings apply, the most restrictive wins. `undefined`
 * when no TLP marking applies (the caller decides the default; see `objectMeta`).
 * Granular markings (STIX 2.1 §7.2.3) mark parts of an object and do not set its TLP.
 */
export function tlpOf(
  object: Readonly<Record<string, unknown>>,
  bundleMarkings?: readonly MarkingDefinition[],
): Tlp | undefined {
  const refs = object.object_marking_refs;
  if (!Array.isArray(refs)) return undefined;
  let worst = -1;
  for (const ref of refs) {
    if (typeof ref !== 'string') continue;
    let tlp = BY_ID.get(ref);
    if (tlp === undefined && bundleMarkings !== undefined) {
      const def = bundleMarkings.find((m) => m.id === ref);
      if (def !== undefined) tlp = tlpOfMarkingDefinition(def);
    }
    if (tlp !== undefined) worst = Math.max(worst, TLP_LABELS.indexOf(tlp));
  }
  return worst < 0 ? undefined : TLP_LABELS[worst];
}
