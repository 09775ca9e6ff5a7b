/**
 * The semantic diff between two versions of an agreement (docs/spec/agreement-identity.md):
 * every change, matched by clause id, with its effect on access — does the new version let
 * recipients receive more (`widens`), less (`narrows`), or neither?
 */
import { formatDuration, formatInstant } from '../core/index.js';
import {
  byId,
  diffAgencies,
  diffLevels,
  diffNeverRelease,
  diffOfficials,
  diffParties,
  diffPurposes,
} from './diff-clauses.js';
import { diffDisputes, diffReviews, diffSanctions, diffWaivers } from './diff-policies.js';
import {
  compareDuration,
  compareHandling,
  compareMinimisation,
  compareNumber,
  compareOptionalDuration,
  compareOptionalNumber,
  compareOptionalSet,
  compareSets,
  compareText,
  push,
  type Changes,
  type DiffChange,
  type DiffEffect,
} from './diff-fields.js';
import { compareLevel, diffTriggers } from './diff-triggers.js';
import { NO_MINIMISATION, PERMISSIVE_HANDLING } from './minimisation.js';
import type { Agreement, Extension, ReleaseRule, Tier } from './model.js';

export type { DiffChange, DiffEffect, DiffValue } from './diff-fields.js';

/** The semantic difference between two versions of an agreement. */
export interface AgreementDiff {
  readonly before: { readonly id: string; readonly version: number };
  readonly after: { readonly id: string; readonly version: number };
  /** Every change, grouped by section in the order of the agreement language. */
  readonly changes: readonly DiffChange[];
  /**
   * `neutral` when no change affects access; `widens` or `narrows` when every change that does
   * goes that way; `mixed` otherwise.
   */
  readonly verdict: DiffEffect;
}

interface Ctx {
  readonly before: Agreement;
  readonly after: Agreement;
}

function diffEffective(out: Changes, before: Agreement, after: Agreement): void {
  compareNumber(
    out,
    'effective.from',
    'in force from',
    before.effective.from,
    after.effective.from,
    false,
    formatInstant,
  );
  const b = before.effective.until;
  const a = after.effective.until;
  if (b !== undefined && a !== undefined)
    compareNumber(out, 'effective.until', 'in force until', b, a, true, formatInstant);
  else if (b === undefined && a !== undefined)
    push(
      out,
      {
        path: 'effective.until',
        kind: 'added',
        effect: 'narrows',
        summary: `now ends ${formatInstant(a)}`,
      },
      undefined,
      formatInstant(a),
    );
  else if (b !== undefined && a === undefined)
    push(
      out,
      {
        path: 'effective.until',
        kind: 'removed',
        effect: 'widens',
        summary: `no longer ends ${formatInstant(b)}`,
      },
      formatInstant(b),
    );
}

function diffCore(out: Changes, before: Agreement, after: Agreement): void {
  compareDuration(
    out,
    'core.max_retention',
    'maximum retention',
    before.core.maxRetention,
    after.core.maxRetention,
    true,
  );
  diffNeverRelease(
    out,
    'core.never_release',
    'never-release rule',
    before.core.neverRelease,
    after.core.neverRelease,
  );
  compareMinimisation(out, 'core.minimise', before.core.minimise, after.core.minimise);
  compareHandling(out, 'core.handling', before.core.handling, after.core.handling);
}

function ruleText(ctx: Agreement, r: ReleaseRule): string {
  const levels = `${ctx.levels[r.fromLevel]?.id ?? r.fromLevel}–${ctx.levels[r.untilLevel]?.id ?? r.untilLevel}`;
  return `${r.types.join(', ')}; tlp ${r.tlp.join(', ')}; levels ${levels}; retention ${formatDuration(r.retention)}`;
}

function compareRule(out: Changes, path: string, ctx: Ctx, b: ReleaseRule, a: ReleaseRule): void {
  compareSets(out, `${path}.types`, 'types', b.types, a.types, true);
  compareSets(out, `${path}.tlp`, 'tlp', b.tlp, a.tlp, true);
  compareSets(out, `${path}.purposes`, 'purposes', b.purposes, a.purposes, true);
  compareSets(out, `${path}.personal_data`, 'personal data', b.personalData, a.personalData, true);
  compareOptionalSet(out, `${path}.rsit`, 'rsit', b.rsit, a.rsit, true);
  // Objects without a confidence never match a rule that sets a minimum: adding one narrows.
  compareOptionalNumber(
    out,
    `${path}.min_confidence`,
    'minimum confidence',
    b.minConfidence,
    a.minConfidence,
    false,
    'narrows',
  );
  compareLevel(out, `${path}.from_level`, 'from level', ctx, b.fromLevel, a.fromLevel, false);
  compareLevel(out, `${path}.until_level`, 'until level', ctx, b.untilLevel, a.untilLevel, true);
  compareDuration(out, `${path}.retention`, 'retention', b.retention, a.retention, true);
  compareMinimisation(out, `${path}.minimise`, b.minimise, a.minimise);
  compareHandling(out, `${path}.handling`, b.handling, a.handling);
}

function compareTier(out: Changes, path: string, ctx: Ctx, b: Tier, a: Tier): void {
  compareSets(out, `${path}.agencies`, 'agencies', b.agencies, a.agencies, true);
  compareSets(
    out,
    `${path}.requires_certifications`,
    'required certifications',
    b.requiresCertifications,
    a.requiresCertifications,
    false,
  );
  if (b.extension !== a.extension) {
    // A core tier serves every pair of parties; an extension's tier only the pairs it covers.
    const effect: DiffEffect =
      b.extension === undefined ? 'narrows' : a.extension === undefined ? 'widens' : 'mixed';
    const show = (e: string | undefined): string => (e === undefined ? 'core' : `extension ${e}`);
    push(
      out,
      {
        path: `${path}.extension`,
        kind: 'changed',
        effect,
        summary: `part of: ${show(b.extension)} → ${show(a.extension)}`,
      },
      show(b.extension),
      show(a.extension),
    );
  }
  byId(b.rules, a.rules, {
    removed: (r) =>
      push(out, {
        path: `${path}.rules.${r.id}`,
        kind: 'removed',
        effect: 'narrows',
        summary: `rule removed: ${ruleText(ctx.before, r)}`,
      }),
    added: (r) =>
      push(out, {
        path: `${path}.rules.${r.id}`,
        kind: 'added',
        effect: 'widens',
        summary: `rule added: ${ruleText(ctx.after, r)}`,
      }),
    both: (rb, ra) => compareRule(out, `${path}.rules.${rb.id}`, ctx, rb, ra),
  });
}

function diffTiers(out: Changes, ctx: Ctx): void {
  byId(ctx.before.tiers, ctx.after.tiers, {
    removed: (t) =>
      push(out, {
        path: `tiers.${t.id}`,
        kind: 'removed',
        effect: 'narrows',
        summary: `tier removed (${t.rules.length} rule(s), agencies ${t.agencies.join(', ')})`,
      }),
    added: (t) =>
      push(out, {
        path: `tiers.${t.id}`,
        kind: 'added',
        effect: 'widens',
        summary: `tier added (${t.rules.length} rule(s), agencies ${t.agencies.join(', ')})`,
      }),
    both: (b, a) => compareTier(out, `tiers.${b.id}`, ctx, b, a),
  });
}

function protects(e: Extension): boolean {
  const m = e.minimise;
  const n = NO_MINIMISATION;
  return (
    e.maxRetention !== undefined ||
    e.neverRelease.length > 0 ||
    m.drop.length > 0 ||
    m.pseudonymise.length > 0 ||
    m.ipv4Prefix !== n.ipv4Prefix ||
    m.ipv6Prefix !== n.ipv6Prefix ||
    m.timePrecisionMs !== n.timePrecisionMs ||
    m.stripSourceRefs !== n.stripSourceRefs ||
    e.handling.pap !== PERMISSIVE_HANDLING.pap ||
    e.handling.onwardSharing !== PERMISSIVE_HANDLING.onwardSharing
  );
}

function diffExtensions(out: Changes, before: Agreement, after: Agreement): void {
  byId(before.extensions, after.extensions, {
    // Its tiers show under `tiers`; the extension itself adds protections for its parties.
    removed: (e) =>
      push(out, {
        path: `extensions.${e.id}`,
        kind: 'removed',
        effect: protects(e) ? 'widens' : 'neutral',
        summary: `extension among ${e.parties.join(', ')} removed`,
      }),
    added: (e) =>
      push(out, {
        path: `extensions.${e.id}`,
        kind: 'added',
        effect: protects(e) ? 'narrows' : 'neutral',
        summary: `extension among ${e.parties.join(', ')} added`,
      }),
    both: (b, a) => {
      const path = `extensions.${b.id}`;
      // More parties: its protections cover more flows (narrows), its tiers serve more (widens).
      const p = protects(b) || protects(a);
      const t = b.tiers.length > 0 || a.tiers.length > 0;
      const scratch: Changes = [];
      compareSets(scratch, `${path}.parties`, 'parties', b.parties, a.parties, true);
      for (const c of scratch) {
        const effect: DiffEffect =
          c.effect === 'mixed'
            ? p || t
              ? 'mixed'
              : 'neutral'
            : p && t
              ? 'mixed'
              : p
                ? c.effect === 'widens'
                  ? 'narrows'
                  : 'widens'
                : t
                  ? c.effect
                  : 'neutral';
        out.push({ ...c, effect });
      }
      compareOptionalDuration(
        out,
        `${path}.max_retention`,
        'maximum retention',
        b.maxRetention,
        a.maxRetention,
        true,
      );
      diffNeverRelease(
        out,
        `${path}.never_release`,
        'never-release rule',
        b.neverRelease,
        a.neverRelease,
      );
      compareMinimisation(out, `${path}.minimise`, b.minimise, a.minimise);
      compareHandling(out, `${path}.handling`, b.handling, a.handling);
    },
  });
}

/** The overall effect of a list of changes. */
export function diffVerdict(changes: readonly DiffChange[]): DiffEffect {
  const effects = new Set(changes.map((c) => c.effect).filter((e) => e !== 'neutral'));
  if (effects.size === 0) return 'neutral';
  if (effects.size === 1 && !effects.has('mixed'))
    return effects.has('widens') ? 'widens' : 'narrows';
  return 'mixed';
}

/**
 * The semantic diff from `before` to `after`: parties and constraints, agencies and
 * certifications, officials, purposes, levels, core protections, tiers and their rules,
 * extensions, triggers, the waiver policy, reviews, sanctions, disputes and effective dates.
 * Clauses are matched by id; list order never counts as a change. The id and version are
 * reported in the header, not as changes.
 */
export function diffAgreements(before: Agreement, after: Agreement): AgreementDiff {
  const out: Changes = [];
  const ctx: Ctx = { before, after };
  compareText(out, 'title', 'title', before.title, after.title);
  diffEffective(out, before, after);
  diffParties(out, before, after);
  diffAgencies(out, before, after);
  diffOfficials(out, before, after);
  diffPurposes(out, before, after);
  diffLevels(out, before, after);
  diffCore(out, before, after);
  diffTiers(out, ctx);
  diffExtensions(out, before, after);
  diffTriggers(out, before, after);
  diffWaivers(out, before, after);
  diffReviews(out, before, after);
  diffSanctions(out, before, after);
  diffDisputes(out, before, after);
  return {
    before: { id: before.id, version: before.version },
    after: { id: after.id, version: after.version },
    changes: out,
    verdict: diffVerdict(out),
  };
}
