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

/** The bit of an object's TLP label (an unknown label gets a bit no present field holds). */
export function tlpBit(tlp: string): number {
  return TLP_BIT.get(tlp) ?? TLP_UNKNOWN_BIT;
}

/** The bit of an object's personal-data category. */
export function pdBit(pd: string): number {
  return PD_BIT.get(pd) ?? PD_UNKNOWN_BIT;
}

/** The bit of an object's RSIT class, or of "no class" when absent. */
export function rsitBit(rsit: string | undefined): number {
  return rsit === undefined ? RSIT_NONE_BIT : (RSIT_BIT.get(rsit) ?? RSIT_UNKNOWN_BIT);
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

/** The request-dependent part of a `Match`, as tables. */
export interface DynMatch {
  readonly types: IdTable;
  readonly tlp: number;
  readonly pd: number;
  readonly rsit: number;
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
  return {
    types: idTable(m.types, interner.types),
    tlp: m.tlp === undefined ? TLP_ANY : tlpMask(m.tlp),
    pd: m.personalData === undefined ? PD_ANY : pdMask(m.personalData),
    rsit: m.rsit === undefined ? RSIT_ANY : rsitMask(m.rsit),
    purposes: idTable(m.purposes, interner.purposes),
  };
}

/**
 * Whether a compiled match holds for a release. `typeId` is -1 for a type the agreement never
 * names; `purpose` is always a known index (stage 2 has passed).
 */
export function dynMatches(
  m: DynMatch,
  typeId: number,
  tlp: number,
  pd: number,
  rsit: number,
  purpose: number,
): boolean {
  return (
    (m.tlp & tlp) !== 0 &&
    (m.pd & pd) !== 0 &&
    (m.rsit & rsit) !== 0 &&
    (m.types === null || (typeId >= 0 && m.types[typeId] === 1)) &&
    (m.purposes === null || m.purposes[purpose] === 1)
  );
}
