/**
 * The Concordat handling extension: a STIX 2.1 property-extension (STIX 2.1 §7.3) stamped on
 * every released object under `extensions[CONCORDAT_HANDLING_EXTENSION_ID]`. It tells the
 * recipient under which agreement, version and purpose it received the object, until when it
 * may keep it, what it may do with it (FIRST PAP), whether it may pass it on, and which
 * decision on the sender's ledger released it. A standard STIX consumer ignores it and still
 * parses the object (the official schemas accept any `extension-definition--UUID` key).
 */
import type { OnwardSharing, Pap } from '../agreement/index.js';
import { ONWARD_SHARING_LEVELS, PAP_LEVELS } from '../agreement/index.js';
import { parseStixTimestamp } from './timestamps.js';

/** The fixed id of the Concordat handling extension definition. */
export const CONCORDAT_HANDLING_EXTENSION_ID =
  'extension-definition--6b3f5e1c-9a4d-4c2e-8f7a-2d5b9c0e4a13';

/** The identity of the Concordat project, `created_by_ref` of the definition. */
export const CONCORDAT_IDENTITY_ID = 'identity--0f6a6f5e-3c1b-4d7a-9e2f-5a8c4b1d7e20';

/** The handling a released object carries. */
export interface HandlingStamp {
  readonly agreementId: string;
  readonly agreementVersion: number;
  readonly purpose: string;
  readonly tier: string;
  /** Cooperation level id at release time. */
  readonly level: string;
  /** Delete by this instant (RFC 3339 UTC). */
  readonly retainUntil: string;
  /** Permitted actions (FIRST PAP). */
  readonly pap: Pap;
  readonly onwardSharing: OnwardSharing;
  /**
   * The release decision's entry on the sender's ledger (leaf index or id). Not named `*_ref`:
   * STIX 2.1 §3.1 reserves that suffix for STIX identifiers.
   */
  readonly ledgerEntry: string;
}

/** JSON Schema (2020-12) of the extension's properties, referenced by the definition. */
export const CONCORDAT_HANDLING_SCHEMA = Object.freeze({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://concordat.example/schemas/handling-extension-1.0.json',
  title: 'Concordat handling extension',
  type: 'object',
  required: [
    'extension_type',
    'agreement_id',
    'agreement_version',
    'purpose',
    'tier',
    'level',
    'retain_until',
    'pap',
    'onward_sharing',
    'ledger_entry',
  ],
  additionalProperties: false,
  properties: {
    extension_type: { const: 'property-extension' },
    agreement_id: { type: 'string', minLength: 1, maxLength: 200 },
    agreement_version: { type: 'integer', minimum: 1 },
    purpose: { type: 'string', minLength: 1, maxLength: 200 },
    tier: { type: 'string', minLength: 1, maxLength: 200 },
    level: { type: 'string', minLength: 1, maxLength: 200 },
    retain_until: {
      type: 'string',
      pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z$',
    },
    pap: { enum: [...PAP_LEVELS] },
    onward_sharing: { enum: [...ONWARD_SHARING_LEVELS] },
    ledger_entry: { type: 'string', minLength: 1, maxLength: 500 },
  },
});

/**
 * The STIX 2.1 `extension-definition` object (STIX 2.1 §7.3) publishing the extension. Its
 * `schema` carries the JSON schema as text (§7.3 allows a URL or plain text).
 */
export const CONCORDAT_HANDLING_EXTENSION_DEFINITION: Readonly<Record<string, unknown>> =
  Object.freeze({
    type: 'extension-definition',
    spec_version: '2.1',
    id: CONCORDAT_HANDLING_EXTENSION_ID,
    created_by_ref: CONCORDAT_IDENTITY_ID,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    name: 'Concordat handling',
    description:
      'Handling obligations of an object released under a Concordat agreement: agreement and version, purpose, tier, cooperation level, retention deadline, permitted actions (FIRST PAP), onward-sharing rule and the release decision on the sender ledger.',
    schema: JSON.stringify(CONCORDAT_HANDLING_SCHEMA),
    version: '1.0.0',
    extension_types: ['property-extension'],
  });

/** The identity object of the Concordat project (the definition's creator). */
export const CONCORDAT_IDENTITY: Readonly<Record<string, unknown>> = Object.freeze({
  type: 'identity',
  spec_version: '2.1',
  id: CONCORDAT_IDENTITY_ID,
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  name: 'Concordat project',
  identity_class: 'organization',
});

type StixObject = Readonly<Record<string, unknown>>;

/**
 * Returns a copy of `object` with the handling stamped under
 * `extensions[CONCORDAT_HANDLING_EXTENSION_ID]` (replacing an earlier stamp). The input is not
 * modified. Throws `RangeError` if `retainUntil` is not an RFC 3339 UTC timestamp.
 */
export function stampHandling<T extends StixObject>(object: T, handling: HandlingStamp): T {
  if (parseStixTimestamp(handling.retainUntil) === undefined)
    throw new RangeError('`retainUntil` must be an RFC 3339 UTC timestamp');
  const extensions = (object.extensions ?? {}) as Record<string, unknown>;
  return {
    ...object,
    extensions: {
      ...extensions,
      [CONCORDAT_HANDLING_EXTENSION_ID]: {
        extension_type: 'property-extension',
        agreement_id: handling.agreementId,
        agreement_version: handling.agreementVersion,
        purpose: handling.purpose,
        tier: handling.tier,
        level: handling.level,
        retain_until: handling.retainUntil,
        pap: handling.pap,
        onward_sharing: handling.onwardSharing,
        ledger_entry: handling.ledgerEntry,
      },
    },
  };
}

/**
 * The handling stamped on an object, or `undefined` when there is none or it is malformed
 * (a malformed stamp is treated as absent: the recipient then applies its strictest default).
 */
export function readHandling(object: StixObject): HandlingStamp | undefined {
  const ext = (object.extensions as Record<string, unknown> | undefined)?.[
    CONCORDAT_HANDLING_EXTENSION_ID
  ];
  if (ext === null || typeof ext !== 'object') return undefined;
  const e = ext as Record<string, unknown>;
  const str = (k: string) =>
    typeof e[k] === 'string' && e[k] !== '' ? (e[k] as string) : undefined;
  const agreementId = str('agreement_id');
  const purpose = str('purpose');
  const tier = str('tier');
  const level = str('level');
  const retainUntil = str('retain_until');
  const ledgerEntry = str('ledger_entry');
  const version = e.agreement_version;
  const pap = e.pap;
  const onward = e.onward_sharing;
  if (
    e.extension_type !== 'property-extension' ||
    agreementId === undefined ||
    purpose === undefined ||
    tier === undefined ||
    level === undefined ||
    ledgerEntry === undefined ||
    retainUntil === undefined ||
    parseStixTimestamp(retainUntil) === undefined ||
    typeof version !== 'number' ||
    !Number.isInteger(version) ||
    version < 1 ||
    !(PAP_LEVELS as readonly unknown[]).includes(pap) ||
    !(ONWARD_SHARING_LEVELS as readonly unknown[]).includes(onward)
  )
    return undefined;
  return {
    agreementId,
    agreementVersion: version,
    purpose,
    tier,
    level,
    retainUntil,
    pap: pap as Pap,
    onwardSharing: onward as OnwardSharing,
    ledgerEntry,
  };
}
