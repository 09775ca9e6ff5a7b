/**
 * "Who may receive what, at which level": an agreement laid out as data for
 * `concordat agreement explain` (the `--json` form) and for its table. Pure: no I/O, no clock
 * (the instant comes in as an argument).
 */
import type {
  Agreement,
  Constraint,
  Handling,
  Match,
  Minimisation,
  NeverRelease,
  SourceLocation,
} from '../agreement/index.js';
import { combineMinimisation, stricterHandling } from '../agreement/index.js';
import {
  durationNeverExceeds,
  formatDuration,
  formatInstant,
  type Duration,
} from '../core/index.js';

/** One agency of a tier, and whether it holds the tier's certifications at the instant. */
export interface ExplainAgency {
  readonly id: string;
  readonly party: string;
  readonly name: string;
  /** Required certifications it lacks (or holds only expired) at the instant; empty = eligible. */
  readonly missingCertifications: readonly string[];
}

/** One release rule, with its effective retention, minimisation and handling. */
export interface ExplainRule {
  readonly id: string;
  readonly source?: SourceLocation;
  readonly types: readonly string[];
  readonly tlp: readonly string[];
  readonly purposes: readonly string[];
  readonly personalData: readonly string[];
  readonly rsit?: readonly string[];
  readonly minConfidence?: number;
  /** Level ids, inclusive. */
  readonly levels: { readonly from: string; readonly until: string };
  /** Whether the rule applies at the requested level (absent when no level was asked). */
  readonly activeAtLevel?: boolean;
  /** The rule's retention, or the shorter cap of the core / extension. */
  readonly retention: string;
  /** Which clause caps the retention when it is shorter than the rule's own. */
  readonly retentionCappedBy?: string;
  /** Core + extension + rule minimisation, as readable phrases (empty = none). */
  readonly minimisation: readonly string[];
  /** The phrases of `minimisation` that the core alone does not impose. */
  readonly minimisationBeyondCore: readonly string[];
  readonly handling: Handling;
}

/** A tier and what its agencies may receive. */
export interface ExplainTier {
  readonly id: string;
  /** The extension adding the tier; absent for core tiers. */
  readonly extension?: string;
  /** Parties between which the extension's tiers release (producer and recipient). */
  readonly extensionParties?: readonly string[];
  readonly requiresCertifications: readonly string[];
  readonly agencies: readonly ExplainAgency[];
  readonly rules: readonly ExplainRule[];
}

/** A party's non-negotiable constraint, in words. */
export interface ExplainConstraint {
  readonly party: string;
  readonly id: string;
  readonly kind: Constraint['kind'];
  /** Which releases it governs: `outgoing`, `incoming`, `both`, with the match. */
  readonly scope: Constraint['scope'];
  readonly when: string;
  readonly effect: string;
  readonly source?: SourceLocation;
}

/** Protections of the core or of an extension. */
export interface ExplainProtections {
  readonly maxRetention?: string;
  readonly neverRelease: readonly { readonly id: string; readonly match: string }[];
  readonly minimisation: readonly string[];
  readonly handling: Handling;
}

/** An optional extension among some parties. */
export interface ExplainExtension extends ExplainProtections {
  readonly id: string;
  readonly parties: readonly string[];
  readonly tiers: readonly string[];
}

/** The whole explanation. */
export interface ExplainTable {
  readonly agreement: {
    readonly id: string;
    readonly version: number;
    readonly title: string;
    readonly effective: { readonly from: string; readonly until?: string };
  };
  /** The instant certifications were checked at. */
  readonly at: string;
  /** Whether the agreement is in force at `at`. */
  readonly inForce: boolean;
  readonly levels: readonly string[];
  /** The level asked for (`--level`), if any. */
  readonly level?: string;
  readonly tiers: readonly ExplainTier[];
  readonly constraints: readonly ExplainConstraint[];
  readonly core: ExplainProtections;
  readonly extensions: readonly ExplainExtension[];
  readonly waivers?: {
    readonly maxDuration: string;
    readonly postReviewWithin: string;
    readonly neverWaive: readonly { readonly id: string; readonly match: string }[];
  };
}

function msToText(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return formatDuration({
    years: 0,
    months: 0,
    weeks: 0,
    days: Math.floor(seconds / 86_400),
    hours: Math.floor((seconds % 86_400) / 3600),
    minutes: Math.floor((seconds % 3600) / 60),
    seconds: seconds % 60,
  });
}

/** A minimisation as readable phrases, e.g. `pseudonymise email-addr.value`, `IPv4 /24`. */
export function describeMinimisation(m: Minimisation): string[] {
  const out: string[] = [];
  if (m.drop.length > 0) out.push(`drop ${m.drop.join(', ')}`);
  if (m.pseudonymise.length > 0) out.push(`pseudonymise ${m.pseudonymise.join(', ')}`);
  if (m.ipv4Prefix < 32) out.push(`IPv4 /${m.ipv4Prefix}`);
  if (m.ipv6Prefix < 128) out.push(`IPv6 /${m.ipv6Prefix}`);
  if (m.timePrecisionMs > 0) out.push(`timestamps to ${msToText(m.timePrecisionMs)}`);
  if (m.stripSourceRefs) out.push('strip source refs');
  return out;
}

/** A `Match` in words: `tlp red; purposes attribution`, or `every release` when empty. */
export function describeMatch(m: Match): string {
  const parts: string[] = [];
  const add = (label: string, values: readonly string[] | undefined): void => {
    if (values !== undefined) parts.push(`${label} ${values.join(', ')}`);
  };
  add('types', m.types);
  add('tlp', m.tlp);
  add('personal data', m.personalData);
  add('rsit', m.rsit);
  add('purposes', m.purposes);
  add('from', m.fromParties);
  add('to party', m.toParties);
  add('to agency', m.toAgencies);
  return parts.length === 0 ? 'every release' : parts.join('; ');
}

function describeConstraintEffect(c: Constraint): string {
  switch (c.kind) {
    case 'forbid':
      return 'never released';
    case 'require-certification':
      return `only to agencies certified ${c.certifications.join(', ')}`;
    case 'max-retention':
      return `kept at most ${formatDuration(c.retention)}`;
    case 'minimise': {
      const phrases = describeMinimisation(c.minimise);
      return `minimised: ${phrases.length === 0 ? 'nothing' : phrases.join('; ')}`;
    }
  }
}

function describeNever(rules: readonly NeverRelease[]): { id: string; match: string }[] {
  return rules.map((r) => ({ id: r.id, match: describeMatch(r.match) }));
}

function shorter(
  a: { d: Duration; by: string },
  b: { d: Duration; by: string } | undefined,
): { d: Duration; by: string } {
  if (b === undefined) return a;
  return durationNeverExceeds(a.d, b.d) ? a : b;
}

/**
 * Lays out `agreement`: tiers with their agencies and rules, party constraints, core
 * protections and extensions. `at` decides which certifications are still valid; `level`
 * (a level id) marks which rules apply at that level.
 *
 * @throws RangeError when `level` is not a level of the agreement (callers check first).
 */
export function buildExplainTable(
  agreement: Agreement,
  options: { at: number; level?: string },
): ExplainTable {
  const levelIds = agreement.levels.map((l) => l.id);
  const levelIndex = options.level === undefined ? undefined : levelIds.indexOf(options.level);
  if (levelIndex === -1) throw new RangeError(`unknown level ${options.level ?? ''}`);
  const agencies = new Map(agreement.agencies.map((a) => [a.id, a]));
  const extensions = new Map(agreement.extensions.map((e) => [e.id, e]));
  const corePhrases = new Set(describeMinimisation(agreement.core.minimise));

  const tiers: ExplainTier[] = agreement.tiers.map((tier) => {
    const ext = tier.extension === undefined ? undefined : extensions.get(tier.extension);
    const baseMinimise =
      ext === undefined
        ? agreement.core.minimise
        : combineMinimisation(agreement.core.minimise, ext.minimise);
    const baseHandling =
      ext === undefined
        ? agreement.core.handling
        : stricterHandling(agreement.core.handling, ext.handling);
    return {
      id: tier.id,
      ...(tier.extension === undefined ? {} : { extension: tier.extension }),
      ...(ext === undefined ? {} : { extensionParties: ext.parties }),
      requiresCertifications: tier.requiresCertifications,
      agencies: tier.agencies.map((id) => {
        const agency = agencies.get(id);
        const held = new Set(
          (agency?.certifications ?? []).filter((c) => options.at < c.expires).map((c) => c.id),
        );
        return {
          id,
          party: agency?.party ?? '?',
          name: agency?.name ?? id,
          missingCertifications: tier.requiresCertifications.filter((c) => !held.has(c)),
        };
      }),
      rules: tier.rules.map((rule) => {
        let retention = { d: rule.retention, by: 'rule' };
        retention = shorter(retention, { d: agreement.core.maxRetention, by: 'core' });
        if (ext?.maxRetention !== undefined)
          retention = shorter(retention, { d: ext.maxRetention, by: `extension ${ext.id}` });
        const effective = describeMinimisation(combineMinimisation(baseMinimise, rule.minimise));
        const from = levelIds[rule.fromLevel] ?? String(rule.fromLevel);
        const until = levelIds[rule.untilLevel] ?? String(rule.untilLevel);
        return {
          id: rule.id,
          ...(rule.ref.source === undefined ? {} : { source: rule.ref.source }),
          types: rule.types,
          tlp: rule.tlp,
          purposes: rule.purposes,
          personalData: rule.personalData,
          ...(rule.rsit === undefined ? {} : { rsit: rule.rsit }),
          ...(rule.minConfidence === undefined ? {} : { minConfidence: rule.minConfidence }),
          levels: { from, until },
          ...(levelIndex === undefined
            ? {}
            : { activeAtLevel: rule.fromLevel <= levelIndex && levelIndex <= rule.untilLevel }),
          retention: formatDuration(retention.d),
          ...(retention.by === 'rule' ? {} : { retentionCappedBy: retention.by }),
          minimisation: effective,
          minimisationBeyondCore: effective.filter((p) => !corePhrases.has(p)),
          handling: stricterHandling(baseHandling, rule.handling),
        };
      }),
    };
  });

  const constraints: ExplainConstraint[] = agreement.parties.flatMap((p) =>
    p.constraints.map((c) => ({
      party: p.id,
      id: c.id,
      kind: c.kind,
      scope: c.scope,
      when: describeMatch(c.when),
      effect: describeConstraintEffect(c),
      ...(c.ref.source === undefined ? {} : { source: c.ref.source }),
    })),
  );

  const { effective } = agreement;
  return {
    agreement: {
      id: agreement.id,
      version: agreement.version,
      title: agreement.title,
      effective: {
        from: formatInstant(effective.from),
        ...(effective.until === undefined ? {} : { until: formatInstant(effective.until) }),
      },
    },
    at: formatInstant(options.at),
    inForce:
      effective.from <= options.at &&
      (effective.until === undefined || options.at < effective.until),
    levels: levelIds,
    ...(options.level === undefined ? {} : { level: options.level }),
    tiers,
    constraints,
    core: {
      maxRetention: formatDuration(agreement.core.maxRetention),
      neverRelease: describeNever(agreement.core.neverRelease),
      minimisation: describeMinimisation(agreement.core.minimise),
      handling: agreement.core.handling,
    },
    extensions: agreement.extensions.map((e) => ({
      id: e.id,
      parties: e.parties,
      tiers: e.tiers,
      ...(e.maxRetention === undefined ? {} : { maxRetention: formatDuration(e.maxRetention) }),
      neverRelease: describeNever(e.neverRelease),
      minimisation: describeMinimisation(e.minimise),
      handling: e.handling,
    })),
    ...(agreement.waivers === undefined
      ? {}
      : {
          waivers: {
            maxDuration: formatDuration(agreement.waivers.maxDuration),
            postReviewWithin: formatDuration(agreement.waivers.postReviewWithin),
            neverWaive: describeNever(agreement.waivers.neverWaive),
          },
        }),
  };
}
