/**
 * Compiling a `Match` (docs/spec/decisions.md, "Matching a Match against a release") into
 * tables: the parts fixed by the (receiving agency, producing party) pair — `fromParties`,
 * `toParties`, `toAgencies` — are decided once at compile time; the rest become bitmasks
 * (TLP, personal data, RSIT) and byte tables indexed by interned ids (types, purposes).
 */
import {
  PERSONAL_DATA_CATEGORIES,
  RSIT_CLASSES,
  TLP_LABELS,
  type Match,
  type PersonalData,
  type RsitClass,
  type Tlp,
} from '../agreement/index.js';

/** Bit for a TLP label the agreement does not know (matched by no present `tlp`). */
const TLP_UNKNOWN_BIT = 1 << TLP_LABELS.length;
/** Every TLP bit: an absent `tlp` field. */
export const TLP_ANY = (TLP_UNKNOWN_BIT << 1) - 1;
const PD_UNKNOWN_BIT = 1 << PERSONAL_DATA_CATEGORIES.length;
/** Every personal-data bit: an absent `personalData` field. */
export const PD_ANY = (PD_UNKNOWN_BIT << 1) - 1;
const RSIT_UNKNOWN_BIT = 1 << RSIT_CLASSES.length;
/** Bit of an object with no RSIT class: only an absent `rsit` field matches it. */
const RSIT_NONE_BIT = RSIT_UNKNOWN_BIT << 1;
/** Every RSIT bit, including "no class": an absent `rsit` field. */
export const RSIT_ANY = (RSIT_NONE_BIT << 1) - 1;

const TLP_BIT = new Map<string, number>(TLP_LABELS.map((t, i) => [t, 1 << i]));
const PD_BIT = new Map<string, number>(PERSONAL_DATA_CATEGORIES.map((p, i) => [p, 1 << i]));
const RSIT_BIT = new Map<string, number>(RSIT_CLASSES.map((r, i) => [r, 1 << i]));

// The three closed vocabularies of an object are read on every decision; a switch over a handful
// of literals is several times cheaper than a hash lookup. A test checks these bits against the
// model's label lists (TLP_LABELS, PERSONAL_DATA_CATEGORIES, RSIT_CLASSES).

/** The bit of an object's TLP label (an unknown label gets a bit no present field holds). */
export function tlpBit(tlp: string): number {
  switch (tlp) {
    case 'clear':
      return 1;
    case 'green':
      return 2;
    case 'amber':
      return 4;
    case 'amber+strict':
      return 8;
    case 'red':
      return 16;
    default:
      return TLP_UNKNOWN_BIT;
  }
}

/** The bit of an object's personal-data category. */
export function pdBit(pd: string): number {
  switch (pd) {
    case 'none':
      return 1;
    case 'pseudonymous':
      return 2;
    case 'personal':
      return 4;
    case 'special-category':
      return 8;
    default:
      return PD_UNKNOWN_BIT;
  }
}

/** The bit of an object's RSIT class, or of "no class" when absent. */
export function rsitBit(rsit: string | undefined): number {
  if (rsit === undefined) return RSIT_NONE_BIT;
  switch (rsit) {
    case 'abusive-content':
      return 1;
    case 'malicious-code':
      return 2;
    case 'information-gathering':
      return 4;
    case 'intrusion-attempts':
      return 8;
    case 'intrusions':
      return 16;
    case 'availability':
      return 32;
    case 'information-content-security':
      return 64;
    case 'fraud':
      return 128;
    case 'vulnerable':
      return 256;
    case 'other':
      return 512;
    case 'test':
      return 1024;
    default:
      return RSIT_UNKNOWN_BIT;
  }
}

/** A mask of TLP labels. */
export function tlpMask(labels: readonly Tlp[]): number {
  let m = 0;
  for (const l of labels) m |= TLP_BIT.get(l) ?? 0;
  return m;
}

/** A mask of personal-data categories. */
export function pdMask(categories: readonly PersonalData[]): number {
  let m = 0;
  for (const c of categories) m |= PD_BIT.get(c) ?? 0;
  return m;
}

/** A mask of RSIT classes; absent means any class, including none. */
export function rsitMask(classes: readonly RsitClass[] | undefined): number {
  if (classes === undefined) return RSIT_ANY;
  let m = 0;
  for (const c of classes) m |= RSIT_BIT.get(c) ?? 0;
  return m;
}

/** Interned ids of the names a compiled agreement matches on. */
export interface Interner {
  /** STIX type → id (types the agreement never names have none). */
  readonly types: ReadonlyMap<string, number>;
  /** Purpose → index into `Agreement.purposes`. */
  readonly purposes: ReadonlyMap<string, number>;
}

/** A byte table over interned ids: 1 where the id is listed; `null` = field absent. */
export type IdTable = Uint8Array | null;

/** Builds the byte table for a list of names (names without an id are simply absent). */
export function idTable(
  names: readonly string[] | undefined,
  ids: ReadonlyMap<string, number>,
): IdTable {
  if (names === undefined) return null;
  const table = new Uint8Array(ids.size);
  for (const n of names) {
    const id = ids.get(n);
    if (id !== undefined) table[id] = 1;
  }
  return table;
}

/** Ids below this fit a 32-bit mask; larger ids fall back to their byte table. */
const MASKED_IDS = 30;
/** Bit of a type the agreement never names: only an absent `types` field holds for it. */
const TYPE_UNKNOWN_BIT = 1 << MASKED_IDS;

/** The mask bit of a type id (-1 = unknown), or 0 when the id needs the byte table. */
export function typeBitOf(typeId: number): number {
  if (typeId < 0) return TYPE_UNKNOWN_BIT;
  return typeId < MASKED_IDS ? 1 << typeId : 0;
}

/** The mask bit of a purpose index, or 0 when the index needs the byte table. */
export function purposeBitOf(purpose: number): number {
  return purpose < MASKED_IDS ? 1 << purpose : 0;
}

/** The mask of the ids listed in a byte table (absent field: every bit). */
export function idMask(table: IdTable): number {
  if (table === null) return -1;
  let m = 0;
  for (let id = 0; id < Math.min(table.length, MASKED_IDS); id++) if (table[id] === 1) m |= 1 << id;
  return m;
}

/** The request-dependent part of a `Match`, as masks (and byte tables for large ids). */
export interface DynMatch {
  readonly typeMask: number;
  readonly types: IdTable;
  readonly tlp: number;
  readonly pd: number;
  readonly rsit: number;
  readonly purposeMask: number;
  readonly purposes: IdTable;
}

/**
 * Compiles a match for one (receiving agency, producing party) pair: `undefined` when its
 * fixed part (`fromParties`, `toParties`, `toAgencies`) can never hold for the pair.
 */
export function compileMatch(
  m: Match,
  interner: Interner,
  agency: string,
  recipientParty: string,
  producer: string,
): DynMatch | undefined {
  if (m.fromParties !== undefined && !m.fromParties.includes(producer)) return undefined;
  if (m.toParties !== undefined && !m.toParties.includes(recipientParty)) return undefined;
  if (m.toAgencies !== undefined && !m.toAgencies.includes(agency)) return undefined;
  const types = idTable(m.types, interner.types);
  const purposes = idTable(m.purposes, interner.purposes);
  return {
    typeMask: idMask(types),
    types,
    tlp: m.tlp === undefined ? TLP_ANY : tlpMask(m.tlp),
    pd: m.personalData === undefined ? PD_ANY : pdMask(m.personalData),
    rsit: m.rsit === undefined ? RSIT_ANY : rsitMask(m.rsit),
    purposeMask: idMask(purposes),
    purposes,
  };
}

/** The facts of one release that matches are evaluated against, computed once per request. */
export interface ReleaseBits {
  /** Interned type id, -1 when the agreement never names the type. */
  typeId: number;
  /** `typeBitOf(typeId)`. */
  typeBit: number;
  tlp: number;
  pd: number;
  rsit: number;
  /** Purpose index (always known: stage 2 has passed). */
  purpose: number;
  /** `purposeBitOf(purpose)`. */
  purposeBit: number;
}

/** Whether a compiled match holds for a release. */
export function dynMatches(m: DynMatch, r: ReleaseBits): boolean {
  const typeBit = r.typeBit;
  const purposeBit = r.purposeBit;
  return (
    (m.tlp & r.tlp) !== 0 &&
    (m.pd & r.pd) !== 0 &&
    (m.rsit & r.rsit) !== 0 &&
    (typeBit !== 0 ? (m.typeMask & typeBit) !== 0 : m.types === null || m.types[r.typeId] === 1) &&
    (purposeBit !== 0
      ? (m.purposeMask & purposeBit) !== 0
      : m.purposes === null || m.purposes[r.purpose] === 1)
  );
}
