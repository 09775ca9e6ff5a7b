/**
 * Name → index tables for the compiled engine's hot path (stage 2 of docs/spec/decisions.md
 * and the interned STIX types).
 */
/**
 * A name → index table for the hot path. Few names (agencies, purposes, parties and levels of
 * one agreement) are found by a scan over internalised strings — an identity comparison when
 * the caller's string is internalised too, as literals and parsed JSON keys are — and many by a
 * prototype-less object, whose keyed loads beat `Map#get` and can find no inherited name
 * (`constructor`, `__proto__`).
 */
export interface NameTable {
  readonly names: readonly string[];
  readonly indices: readonly number[];
  readonly dict: Readonly<Record<string, number>>;
}

const SCAN_NAMES = 8;

/** V8 stores property keys internalised; reading one back yields the internalised string. */
function internalised(name: string): string {
  return Object.keys({ [name]: 0 })[0] ?? name;
}

/** Builds the table of a name → index map (first index of each name). */
export function nameTable(map: ReadonlyMap<string, number>): NameTable {
  const dict = Object.create(null) as Record<string, number>;
  for (const [name, index] of map) dict[name] = index;
  return {
    names: [...map.keys()].map(internalised),
    indices: [...map.values()],
    dict,
  };
}

/** The index of `name` in the table, or -1 when it has none. */
export function lookup(t: NameTable, name: string): number {
  const names = t.names;
  if (names.length <= SCAN_NAMES) {
    for (let i = 0; i < names.length; i++) if (names[i] === name) return t.indices[i] ?? -1;
    return -1;
  }
  return t.dict[name] ?? -1;
}
