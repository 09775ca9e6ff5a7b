/**
 * The object types STIX 2.1 defines, by category (STIX 2.1 §4 SDOs, §5 SROs, §6 SCOs, §7
 * meta objects). Anything else is a custom type (§11.2, deprecated) or a type added by an
 * extension definition (§7.3, `new-sdo` / `new-sco` / `new-sro`).
 */

/** STIX 2.1 §4: the STIX Domain Objects. */
export const STIX_SDO_TYPES: readonly string[] = [
  'attack-pattern',
  'campaign',
  'course-of-action',
  'grouping',
  'identity',
  'incident',
  'indicator',
  'infrastructure',
  'intrusion-set',
  'location',
  'malware',
  'malware-analysis',
  'note',
  'observed-data',
  'opinion',
  'report',
  'threat-actor',
  'tool',
  'vulnerability',
];

/** STIX 2.1 §5: the STIX Relationship Objects. */
export const STIX_SRO_TYPES: readonly string[] = ['relationship', 'sighting'];

/** STIX 2.1 §6: the STIX Cyber-observable Objects. */
export const STIX_SCO_TYPES: readonly string[] = [
  'artifact',
  'autonomous-system',
  'directory',
  'domain-name',
  'email-addr',
  'email-message',
  'file',
  'ipv4-addr',
  'ipv6-addr',
  'mac-addr',
  'mutex',
  'network-traffic',
  'process',
  'software',
  'url',
  'user-account',
  'windows-registry-key',
  'x509-certificate',
];

/** STIX 2.1 §7: the meta objects. */
export const STIX_META_TYPES: readonly string[] = [
  'extension-definition',
  'language-content',
  'marking-definition',
];

const SCO = new Set(STIX_SCO_TYPES);
const ALL = new Set([...STIX_SDO_TYPES, ...STIX_SRO_TYPES, ...STIX_SCO_TYPES, ...STIX_META_TYPES]);

/** True for a type the STIX 2.1 specification defines. */
export function isSpecType(type: string): boolean {
  return ALL.has(type);
}

/** True for a STIX 2.1 Cyber-observable type (whose ids are deterministic, §2.9). */
export function isScoType(type: string): boolean {
  return SCO.has(type);
}
