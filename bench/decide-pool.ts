/**
 * The requests every decision benchmark decides: a deterministic mix over the northsea
 * example's agencies, purposes, object types, TLP labels, personal-data categories, producers,
 * RSIT classes, confidences, levels and instants, weighted like real traffic (mostly
 * personal-data-free, mostly green/amber), with a few names the agreement does not know.
 * Runtime state is empty but for the level: the Cedar translation models no pauses or waivers.
 */
import { readFileSync } from 'node:fs';
import { loadAgreement, type Agreement } from '../src/agreement/index.js';
import type { DecisionRequest, DecisionState, ObjectMeta } from '../src/policy/index.js';

/** Path of the example agreement the decision benchmarks use. */
export const NORTHSEA_PATH = new URL(
  '../examples/agreements/northsea-compact.yaml',
  import.meta.url,
);

/** The northsea example agreement, parsed and validated by src/agreement. */
export function loadNorthsea(): Agreement {
  return loadAgreement(readFileSync(NORTHSEA_PATH, 'utf8'), {
    sourceName: 'northsea-compact.yaml',
  });
}

/** One benchmark input. */
export interface PoolEntry {
  readonly request: DecisionRequest;
  readonly state: DecisionState;
}

// mulberry32 (public domain): a small seeded PRNG, so every run decides the same requests.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AGENCIES = ['ARV-CERT', 'ARV-NCSC', 'BOR-CERT', 'BOR-FININT', 'CAL-CSIRT'];
const PURPOSES = ['incident-response', 'threat-detection', 'attribution'];
const TYPES = [
  'indicator',
  'indicator',
  'indicator',
  'malware',
  'attack-pattern',
  'vulnerability',
  'incident',
  'sighting',
  'observed-data',
  'ipv4-addr',
  'domain-name',
  'email-addr',
  'user-account',
  'threat-actor',
  'intrusion-set',
  'campaign',
  'report',
  'identity',
  'url',
  'note',
];
const TLPS = ['clear', 'green', 'green', 'amber', 'amber', 'amber+strict', 'red'] as const;
const PDS = [
  'none',
  'none',
  'none',
  'none',
  'pseudonymous',
  'personal',
  'special-category',
] as const;
const PRODUCERS = ['ARV', 'BOR', 'CAL'];
const RSITS = [undefined, undefined, 'fraud', 'intrusions', 'malicious-code'] as const;
const LEVELS = ['baseline', 'elevated', 'severe', 'emergency'];

/** `size` requests with their states, the same on every run. */
export function requestPool(size: number, seed = 2026): PoolEntry[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const states = LEVELS.map((level): DecisionState => ({
    level,
    waivers: [],
    pauses: [],
    revocations: [],
  }));
  const from = Date.UTC(2026, 1, 1);
  const span = Date.UTC(2027, 2, 1) - from;
  const out: PoolEntry[] = [];
  for (let i = 0; i < size; i++) {
    const rsit = pick(RSITS);
    const confidence = r() < 0.3 ? undefined : Math.floor(r() * 101);
    const object: ObjectMeta = {
      type: pick(TYPES),
      tlp: pick(TLPS),
      personalData: pick(PDS),
      producer: r() < 0.01 ? 'XYZ' : pick(PRODUCERS),
      ...(rsit === undefined ? {} : { rsit }),
      ...(confidence === undefined ? {} : { confidence }),
    };
    out.push({
      request: {
        agency: r() < 0.01 ? 'NOBODY' : pick(AGENCIES),
        purpose: r() < 0.01 ? 'curiosity' : pick(PURPOSES),
        object,
        at: from + Math.floor(r() * span),
      },
      state: pick(states),
    });
  }
  return out;
}
