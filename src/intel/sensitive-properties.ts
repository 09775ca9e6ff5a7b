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
 * Per-type sensitive properties.
 *
 * IP addresses (`ipv4-addr`, `ipv6-addr`, and addresses inside patterns) do NOT by themselves
 * make an object personal data. In threat intelligence they are overwhelmingly attacker
 * infrastructure (C2 servers, scanners, bullet-proof hosting); classifying every one as
 * personal made ordinary infrastructure IOCs unreleasable under the default
 * `personal_data: [none]`, which is the opposite of what the agreements are for. The CJEU
 * (C-582/14, Breyer) held that an IP address *can* be personal data in the hands of someone
 * with the means to identify its user; that concern is met where it arises:
 * - every agreement's minimisation coarsens addresses (`ipv4_prefix` / `ipv6_prefix`, applied
 *   through the `ipv4` / `ipv6` columns below whatever the category), and
 * - a producer or agreement that treats an address as personal says so with an explicit
 *   `concordat:personal-data="personal"` label, which raises the category (classification.ts).
 * Properties that identify people directly (email addresses, accounts, MAC addresses, command
 * lines, certificate subjects) stay personal.
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
  // Not personal by themselves (see above); coarsened by the agreement's minimisation.
  'ipv4-addr': { ipv4: ['value'] },
  'ipv6-addr': { ipv6: ['value'] },
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
  // The table is frozen: build each type's spec once (minimise asks per released object).
  let spec = specByType.get(type);
  if (spec === undefined) {
    const own = SENSITIVE_PROPERTIES[type] ?? {};
    spec = Object.freeze({
      ...own,
      sourceRefs: [...(COMMON_SENSITIVE.sourceRefs ?? []), ...(own.sourceRefs ?? [])],
    });
    if (specByType.size < 4096) specByType.set(type, spec);
  }
  return spec;
}

const specByType = new Map<string, SensitiveSpec>();

/** Types with personal properties, for recognising them inside patterns. */
export function personalTypes(): readonly string[] {
  return Object.entries(SENSITIVE_PROPERTIES)
    .filter(([, s]) => (s.personal ?? []).length > 0)
    .map(([t]) => t);
}

let patternNeedles: readonly string[] | undefined;

/**
 * The `type:property` object paths that make a pattern personal (`email-addr:value`, ...),
 * derived once from the table (it is frozen): classification runs on every ingested object.
 */
export function personalPatternPaths(): readonly string[] {
  patternNeedles ??= Object.freeze(
    personalTypes().flatMap((t) =>
      (SENSITIVE_PROPERTIES[t]?.personal ?? []).map((p) => `${t}:${p}`),
    ),
  );
  return patternNeedles;
}
