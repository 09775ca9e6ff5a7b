/**
 * THE table of what is sensitive in each STIX type. The classification (`personalDataOf`)
 * and the minimisation transforms (`minimise`) read only this table; their code never
 * branches on type names, so supporting a new type is one row here.
 */

/** How a pseudonym token is shaped so the property stays schema-valid. */
export type TokenShape =
  /** `3f2a…@pseudonym.invalid` (RFC 2606 §2: `.invalid` never resolves). */
  | 'email'
  /** `3f2a….pseudonym.invalid`. */
  | 'domain'
  /** `https://3f2a….pseudonym.invalid/`. */
  | 'url'
  /** `pseudonym-3f2a…`. */
  | 'opaque';

/** What is sensitive in one STIX type. */
export interface SensitiveSpec {
  /** Properties whose presence makes an object personal data (GDPR art. 4(1)). */
  readonly personal?: readonly string[];
  /** Token shape per property when it is pseudonymised (default `opaque`). */
  readonly tokenShape?: Readonly<Record<string, TokenShape>>;
  /** Properties holding IPv4 addresses or CIDRs. */
  readonly ipv4?: readonly string[];
  /** Properties holding IPv6 addresses or CIDRs. */
  readonly ipv6?: readonly string[];
  /**
   * Properties holding STIX patterns (STIX 2.1 §9), with the property naming the pattern
   * language; literals inside are minimised when the language is `stix`.
   */
  readonly patterns?: Readonly<Record<string, string>>;
  /** References that identify the source, removed when source refs are stripped. */
  readonly sourceRefs?: readonly string[];
}

/** Applies to every type, in addition to its own row. */
export const COMMON_SENSITIVE: SensitiveSpec = Object.freeze({
  // STIX 2.1 §3.2: the identity that created the object is the source.
  sourceRefs: ['created_by_ref'],
});

/**
 * Per-type sensitive properties. IP addresses count as personal data: the CJEU (C-582/14,
 * Breyer) held that even dynamic IP addresses can be personal data, so Concordat does not
 * assume an attacker's address is not a person's.
 */
export const SENSITIVE_PROPERTIES: Readonly<Record<string, SensitiveSpec>> = Object.freeze({
  'email-addr': {
    personal: ['value', 'display_name'],
    tokenShape: { value: 'email' },
  },
  'email-message': {
    personal: ['subject', 'body', 'received_lines', 'additional_header_fields'],
  },
  'user-account': {
    personal: ['user_id', 'account_login', 'display_name', 'credential'],
  },
  'ipv4-addr': { personal: ['value'], ipv4: ['value'] },
  'ipv6-addr': { personal: ['value'], ipv6: ['value'] },
  'mac-addr': { personal: ['value'] },
  'domain-name': { tokenShape: { value: 'domain' } },
  url: { tokenShape: { value: 'url' } },
  identity: { personal: ['contact_information'] },
  indicator: { patterns: { pattern: 'pattern_type' } },
  sighting: { sourceRefs: ['where_sighted_refs'] },
  process: { personal: ['command_line', 'environment_variables'] },
  'x509-certificate': { personal: ['subject'] },
});

/** The spec of a type: its row merged with the common one. */
export function sensitiveSpecOf(type: string): SensitiveSpec {
  const own = SENSITIVE_PROPERTIES[type] ?? {};
  return {
    ...own,
    sourceRefs: [...(COMMON_SENSITIVE.sourceRefs ?? []), ...(own.sourceRefs ?? [])],
  };
}

/** Types with personal properties, for recognising them inside patterns. */
export function personalTypes(): readonly string[] {
  return Object.entries(SENSITIVE_PROPERTIES)
    .filter(([, s]) => (s.personal ?? []).length > 0)
    .map(([t]) => t);
}
