/**
 * The demo's synthetic threat feed: realistic STIX 2.1 (indicators with STIX patterns, malware
 * families, incidents carrying ENISA RSIT classes as MISP machine tags, threat actors, URLs),
 * every object TLP 2.0-marked and graded on the Admiralty scale (STIX `confidence` plus the
 * MISP `admiralty-scale` tags). Deterministic: the same seed, party and batch give the same
 * bytes, so a demo run can be replayed and its counts asserted.
 */
import { createHash } from 'node:crypto';
import type { RsitClass, Tlp } from '../agreement/index.js';
import { formatInstant } from '../core/index.js';
import {
  admiraltyToConfidence,
  deterministicScoId,
  rsitLabel,
  tlpMarkingRef,
} from '../intel/index.js';
import { MALWARE_FAMILIES, THREAT_ACTORS } from './galaxy-names.js';
import type { GalaxyName } from './galaxy-names.js';

/** A STIX object as the feed writes it. */
export type FeedObject = Record<string, unknown>;

/** How many objects of each kind one batch holds. */
export interface BatchShape {
  readonly indicators: number;
  readonly malware: number;
  readonly incidents: number;
  readonly threatActors: number;
  /** URL observables (released only under a waiver in the demo agreement). */
  readonly urls: number;
  /** TLP:RED indicators (never leave their producer: a core never-release rule). */
  readonly red: number;
}

/** What {@link feedBatch} makes. */
export interface BatchOptions {
  readonly seed: string;
  readonly party: string;
  /** Batch number: a different batch gives different objects. */
  readonly batch: number;
  /** When the objects were created (epoch ms). */
  readonly at: number;
  readonly shape: BatchShape;
}

/** A small deterministic generator (SHA-256 in counter mode): enough for a demo, not crypto. */
class SeededRandom {
  readonly #seed: string;
  #counter = 0;

  constructor(seed: string) {
    this.#seed = seed;
  }

  /** 32 fresh bytes. */
  bytes(): Buffer {
    return createHash('sha256').update(`${this.#seed}/${this.#counter++}`).digest();
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return this.bytes().readUInt32BE(0) % n;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.below(list.length)] as T;
  }

  /** A UUIDv4-shaped id (RFC 4122 version and variant bits set). */
  uuid(): string {
    const b = this.bytes();
    b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
    b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  }
}

const WORDS = [
  'update',
  'secure',
  'portal',
  'cdn',
  'login',
  'mail',
  'sync',
  'files',
  'vpn',
  'cloud',
  'invoice',
  'payroll',
] as const;
const GRADES = ['A1', 'A2', 'B1', 'B2', 'B3', 'C2', 'C3'] as const;
const INTRUSION_TYPES = [
  'privileged-account-compromise',
  'unprivileged-account-compromise',
  'application-compromise',
  'system-compromise',
] as const;
const INCIDENT_CLASSES: readonly { rsit: RsitClass; types: readonly string[] }[] = [
  { rsit: 'intrusions', types: INTRUSION_TYPES },
  { rsit: 'malicious-code', types: ['infected-system', 'c2-server', 'malware-distribution'] },
  { rsit: 'availability', types: ['ddos', 'sabotage'] },
  { rsit: 'fraud', types: ['phishing', 'masquerade'] },
];
const SECTORS = ['energy', 'health', 'finance', 'transport', 'government'] as const;

/** Where a name came from: its MISP galaxy cluster. */
function galaxyRef(galaxy: string, name: GalaxyName): Record<string, string> {
  return { source_name: `misp-galaxy:${galaxy}`, external_id: name.uuid };
}

function admiraltyTags(grade: string): string[] {
  // MISP taxonomy `admiralty-scale` machine tags, as MISP exports them in STIX `labels`.
  return [
    `admiralty-scale:source-reliability="${grade.charAt(0).toLowerCase()}"`,
    `admiralty-scale:information-credibility="${grade.charAt(1)}"`,
  ];
}

function graded(rnd: SeededRandom): { confidence: number; labels: string[] } {
  const grade = rnd.pick(GRADES);
  return { confidence: admiraltyToConfidence(grade) ?? 50, labels: admiraltyTags(grade) };
}

function common(
  type: string,
  id: string,
  at: number,
  tlp: Tlp,
): {
  type: string;
  spec_version: '2.1';
  id: string;
  created: string;
  modified: string;
  object_marking_refs: string[];
} {
  const t = formatInstant(at);
  return {
    type,
    spec_version: '2.1',
    id: `${type}--${id}`,
    created: t,
    modified: t,
    object_marking_refs: [tlpMarkingRef(tlp)],
  };
}

function domain(rnd: SeededRandom, party: string): string {
  return `${rnd.pick(WORDS)}-${rnd.pick(WORDS)}${rnd.below(900) + 100}.${party.toLowerCase()}-threat.example`;
}

function indicator(rnd: SeededRandom, o: BatchOptions, tlp: Tlp, family: GalaxyName): FeedObject {
  const { confidence, labels } = graded(rnd);
  const kind = rnd.below(3);
  // RFC 5737 documentation addresses and `.example` names: realistic shapes, nobody's assets.
  const pattern =
    kind === 0
      ? `[domain-name:value = '${domain(rnd, o.party)}']`
      : kind === 1
        ? `[ipv4-addr:value = '${rnd.pick(['192.0.2', '198.51.100', '203.0.113'])}.${rnd.below(254) + 1}']`
        : `[file:hashes.'SHA-256' = '${rnd.bytes().toString('hex')}']`;
  return {
    ...common('indicator', rnd.uuid(), o.at, tlp),
    name: `${family.name} ${kind === 2 ? 'payload' : 'command-and-control'}`,
    indicator_types: ['malicious-activity'],
    pattern,
    pattern_type: 'stix',
    valid_from: formatInstant(o.at),
    confidence,
    labels,
  };
}

/**
 * One batch of a party's national feed. Objects come in a fixed order (indicators, TLP:RED
 * indicators, malware, incidents, threat actors, URLs) so counts per kind are easy to assert.
 */
export function feedBatch(o: BatchOptions): FeedObject[] {
  const rnd = new SeededRandom(`${o.seed}/${o.party}/${o.batch}`);
  const out: FeedObject[] = [];
  const { shape } = o;
  for (let i = 0; i < shape.indicators; i++)
    out.push(
      indicator(rnd, o, rnd.pick(['green', 'amber', 'amber'] as const), rnd.pick(MALWARE_FAMILIES)),
    );
  for (let i = 0; i < shape.red; i++)
    out.push(indicator(rnd, o, 'red', rnd.pick(MALWARE_FAMILIES)));
  for (let i = 0; i < shape.malware; i++) {
    const family = rnd.pick(MALWARE_FAMILIES);
    const { confidence, labels } = graded(rnd);
    out.push({
      ...common('malware', rnd.uuid(), o.at, 'green'),
      name: family.name,
      is_family: true,
      external_references: [galaxyRef('tool', family)],
      malware_types: [rnd.pick(['remote-access-trojan', 'backdoor', 'trojan', 'dropper'])],
      confidence,
      labels,
    });
  }
  for (let i = 0; i < shape.incidents; i++) {
    const cls = rnd.pick(INCIDENT_CLASSES);
    const sub = rnd.pick(cls.types);
    const { confidence, labels } = graded(rnd);
    out.push({
      ...common('incident', rnd.uuid(), o.at, rnd.pick(['green', 'amber'] as const)),
      name: `${o.party} ${rnd.pick(SECTORS)} sector: ${sub.replace(/-/g, ' ')}`,
      description: `Synthetic ${cls.rsit} incident reported to the ${o.party} national CERT (demo data).`,
      confidence,
      labels: [rsitLabel(cls.rsit, sub), ...labels],
    });
  }
  for (let i = 0; i < shape.threatActors; i++) {
    const actor = rnd.pick(THREAT_ACTORS);
    const { confidence, labels } = graded(rnd);
    out.push({
      ...common('threat-actor', rnd.uuid(), o.at, 'green'),
      name: actor.name,
      external_references: [galaxyRef('threat-actor', actor)],
      threat_actor_types: ['nation-state'],
      confidence,
      labels,
    });
  }
  for (let i = 0; i < shape.urls; i++) {
    const value = `https://${domain(rnd, o.party)}/${rnd.pick(WORDS)}/${rnd.below(10_000)}`;
    out.push({
      type: 'url',
      spec_version: '2.1',
      id: deterministicScoId('url', { value }),
      value,
      object_marking_refs: [tlpMarkingRef('amber')],
    });
  }
  return out;
}

/** A STIX 2.1 bundle around `objects` (its id derived from the seed, party and batch). */
export function feedBundle(o: BatchOptions): { type: 'bundle'; id: string; objects: FeedObject[] } {
  const rnd = new SeededRandom(`${o.seed}/${o.party}/${o.batch}/bundle`);
  return { type: 'bundle', id: `bundle--${rnd.uuid()}`, objects: feedBatch(o) };
}
