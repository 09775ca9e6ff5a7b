/**
 * Source (source.ts, already structurally valid) → the normalised `Agreement` (model.ts):
 * defaults filled in, durations and instants parsed, levels as indices, every clause with its
 * `ClauseRef`. Unknown names are left for validate-refs.ts to report; here they resolve to a
 * harmless placeholder so the rest of the agreement can still be checked.
 */
import { PERMISSIVE_HANDLING } from './minimisation.js';
import type {
  Agreement,
  ApprovalRule,
  ClauseKind,
  ClauseRef,
  Constraint,
  Core,
  Extension,
  Handling,
  NeverRelease,
  ReleaseRule,
  Tier,
  Trigger,
  TriggerCondition,
} from './model.js';
import {
  durationAt,
  instantAt,
  normaliseHandling,
  normaliseMatch,
  normaliseMinimise,
  type NormaliseContext,
} from './normalise-parts.js';
import type {
  AgreementSource,
  ApprovalSource,
  ConditionSource,
  ConstraintSource,
  NeverReleaseSource,
  TierSource,
} from './source.js';
import { joinPath } from './yaml-source.js';

/** The clause reference of the clause written at `path`. */
export function clauseRef(
  ctx: NormaliseContext,
  kind: ClauseKind,
  id: string,
  path: string,
): ClauseRef {
  const pos = ctx.locator.keyAt(path);
  return { kind, id, source: { path, line: pos.line, column: pos.column } };
}

function neverReleases(
  ctx: NormaliseContext,
  list: readonly NeverReleaseSource[] | undefined,
  path: string,
): NeverRelease[] {
  return (list ?? []).map((nr, i) => {
    const at = joinPath(path, i);
    return {
      id: nr.id,
      match: normaliseMatch(nr.match),
      ref: clauseRef(ctx, 'never-release', nr.id, at),
    };
  });
}

function approval(a: ApprovalSource | undefined): ApprovalRule {
  const automatic = a?.automatic ?? false;
  return {
    automatic,
    quorum: a?.quorum ?? (automatic ? 0 : 1),
    roles: [...(a?.roles ?? [])],
    distinctParties: a?.distinct_parties ?? true,
  };
}

function condition(ctx: NormaliseContext, c: ConditionSource, path: string): TriggerCondition {
  const r = c.risk_rating;
  const q = c.intel_quality;
  const inc = c.incidents;
  return {
    ...(r !== undefined
      ? {
          riskRating: {
            ...(r.any_party_at_least !== undefined
              ? { anyPartyAtLeast: r.any_party_at_least }
              : {}),
            ...(r.all_parties_at_least !== undefined
              ? { allPartiesAtLeast: r.all_parties_at_least }
              : {}),
            ...(r.any_party_below !== undefined ? { anyPartyBelow: r.any_party_below } : {}),
            ...(r.all_parties_below !== undefined ? { allPartiesBelow: r.all_parties_below } : {}),
          },
        }
      : {}),
    ...(q !== undefined
      ? {
          intelQuality: {
            atLeast: q.at_least,
            ...(q.min_confidence !== undefined ? { minConfidence: q.min_confidence } : {}),
          },
        }
      : {}),
    ...(inc !== undefined
      ? {
          incidents: {
            ...(inc.rsit !== undefined ? { rsit: [...inc.rsit] } : {}),
            ...(inc.tlp !== undefined ? { tlp: [...inc.tlp] } : {}),
            ...(inc.at_least !== undefined ? { atLeast: inc.at_least } : {}),
            ...(inc.at_most !== undefined ? { atMost: inc.at_most } : {}),
            window: durationAt(ctx, inc.within, joinPath(joinPath(path, 'incidents'), 'within')),
          },
        }
      : {}),
  };
}

function constraint(
  ctx: NormaliseContext,
  party: string,
  c: ConstraintSource,
  path: string,
): Constraint {
  const base = {
    id: c.id,
    party,
    scope: c.scope ?? 'both',
    when: normaliseMatch(c.forbid ?? c.when),
    ref: clauseRef(ctx, 'constraint', c.id, path),
  } as const;
  // validate-refs.ts reports a constraint with no action or several; the first one wins here.
  if (c.forbid !== undefined) return { ...base, kind: 'forbid' };
  if (c.require_certifications !== undefined)
    return {
      ...base,
      kind: 'require-certification',
      certifications: [...c.require_certifications],
    };
  if (c.max_retention !== undefined)
    return {
      ...base,
      kind: 'max-retention',
      retention: durationAt(ctx, c.max_retention, joinPath(path, 'max_retention')),
    };
  if (c.minimise !== undefined)
    return {
      ...base,
      kind: 'minimise',
      minimise: normaliseMinimise(ctx, c.minimise, joinPath(path, 'minimise')),
    };
  return { ...base, kind: 'forbid' };
}

function tier(
  ctx: NormaliseContext,
  src: AgreementSource,
  id: string,
  t: TierSource,
  path: string,
  handling: Handling,
  extension: string | undefined,
): Tier {
  const purposes = Array.isArray(src.purposes) ? src.purposes : Object.keys(src.purposes);
  const level = (name: string | undefined, fallback: number): number => {
    const i = name === undefined ? -1 : src.levels.indexOf(name);
    return i < 0 ? fallback : i;
  };
  const rules: ReleaseRule[] = t.release.map((r, i) => {
    const at = joinPath(joinPath(path, 'release'), i);
    const ruleId = r.id ?? `${id}.release[${i}]`;
    return {
      id: ruleId,
      tier: id,
      types: [...r.types],
      tlp: [...r.tlp],
      purposes: [...(r.purposes ?? purposes)],
      personalData: [...(r.personal_data ?? ['none'])],
      ...(r.rsit !== undefined ? { rsit: [...r.rsit] } : {}),
      ...(r.min_confidence !== undefined ? { minConfidence: r.min_confidence } : {}),
      fromLevel: level(r.from_level, 0),
      untilLevel: level(r.until_level, src.levels.length - 1),
      retention: durationAt(ctx, r.retention, joinPath(at, 'retention')),
      minimise: normaliseMinimise(ctx, r.minimise, joinPath(at, 'minimise')),
      handling: normaliseHandling(r.handling, handling),
      ref: clauseRef(ctx, 'rule', ruleId, at),
    };
  });
  return {
    id,
    agencies: [...t.agencies],
    requiresCertifications: [...(t.requires_certifications ?? [])],
    rules,
    ...(extension !== undefined ? { extension } : {}),
    ref: clauseRef(ctx, 'tier', id, path),
  };
}

/** Normalises a structurally valid source; problems found on the way go to `ctx.issues`. */
export function normalise(ctx: NormaliseContext, src: AgreementSource): Agreement {
  const until = src.effective.until;
  const effective = {
    from: instantAt(ctx, src.effective.from, 'effective.from'),
    ...(until !== undefined ? { until: instantAt(ctx, until, 'effective.until') } : {}),
  };
  const parties = src.parties.map((p, i) => {
    const at = joinPath('parties', i);
    return {
      id: p.id,
      name: p.name,
      constraints: (p.constraints ?? []).map((c, j) =>
        constraint(ctx, p.id, c, joinPath(joinPath(at, 'constraints'), j)),
      ),
      ref: clauseRef(ctx, 'party', p.id, at),
    };
  });
  const agencies = Object.entries(src.agencies).map(([id, a]) => {
    const at = joinPath('agencies', id);
    return {
      id,
      party: a.party,
      name: a.name ?? id,
      roles: [...(a.roles ?? [])],
      certifications: (a.certifications ?? []).map((c, i) => {
        const cat = joinPath(joinPath(at, 'certifications'), i);
        return {
          id: c.id,
          expires: instantAt(ctx, c.expires, joinPath(cat, 'expires')),
          ref: clauseRef(ctx, 'certification', c.id, cat),
        };
      }),
      ref: clauseRef(ctx, 'agency', id, at),
    };
  });
  const officials = Object.entries(src.officials ?? {}).map(([id, o]) => ({
    id,
    party: o.party,
    roles: [...(o.roles ?? [])],
    ...(o.public_key !== undefined ? { publicKey: o.public_key } : {}),
    ref: clauseRef(ctx, 'official', id, joinPath('officials', id)),
  }));
  const purposes = Array.isArray(src.purposes)
    ? src.purposes.map((id, i) => ({
        id,
        description: '',
        ref: clauseRef(ctx, 'purpose', id, joinPath('purposes', i)),
      }))
    : Object.entries(src.purposes).map(([id, description]) => ({
        id,
        description,
        ref: clauseRef(ctx, 'purpose', id, joinPath('purposes', id)),
      }));
  const levels = src.levels.map((id, index) => ({
    id,
    index,
    ref: clauseRef(ctx, 'level', id, joinPath('levels', index)),
  }));

  const coreHandling = normaliseHandling(src.core.handling, PERMISSIVE_HANDLING);
  const core: Core = {
    maxRetention: durationAt(ctx, src.core.max_retention, 'core.max_retention'),
    neverRelease: neverReleases(ctx, src.core.never_release, 'core.never_release'),
    minimise: normaliseMinimise(ctx, src.core.minimise, 'core.minimise'),
    handling: coreHandling,
    ref: clauseRef(ctx, 'core', 'core', 'core'),
  };

  const tiers: Tier[] = Object.entries(src.tiers).map(([id, t]) =>
    tier(ctx, src, id, t, joinPath('tiers', id), coreHandling, undefined),
  );
  const extensions: Extension[] = Object.entries(src.extensions ?? {}).map(([id, e]) => {
    const at = joinPath('extensions', id);
    const ecore = joinPath(at, 'core');
    // Handling the extension leaves unwritten is the core's; its rules default to it.
    const handling = normaliseHandling(e.core?.handling, coreHandling);
    const maxRetention = e.core?.max_retention;
    const ownTiers = Object.entries(e.tiers ?? {}).map(([tid, t]) =>
      tier(ctx, src, tid, t, joinPath(joinPath(at, 'tiers'), tid), handling, id),
    );
    tiers.push(...ownTiers);
    return {
      id,
      parties: [...e.parties],
      ...(maxRetention !== undefined
        ? { maxRetention: durationAt(ctx, maxRetention, joinPath(ecore, 'max_retention')) }
        : {}),
      neverRelease: neverReleases(ctx, e.core?.never_release, joinPath(ecore, 'never_release')),
      minimise: normaliseMinimise(ctx, e.core?.minimise, joinPath(ecore, 'minimise')),
      handling,
      tiers: ownTiers.map((t) => t.id),
      ref: clauseRef(ctx, 'extension', id, at),
    };
  });

  const triggers: Trigger[] = (src.triggers ?? []).map((t, i) => {
    const at = joinPath('triggers', i);
    const lw = t.lower_when;
    const raiseTo = src.levels.indexOf(t.raise_to);
    return {
      id: t.id,
      when: condition(ctx, t.when, joinPath(at, 'when')),
      raiseTo: raiseTo < 0 ? 0 : raiseTo,
      approval: approval(t.approval),
      maxDuration: durationAt(ctx, t.max_duration, joinPath(at, 'max_duration')),
      ...(lw !== undefined
        ? {
            lowerWhen: {
              when: condition(ctx, lw.when, joinPath(joinPath(at, 'lower_when'), 'when')),
              holdFor: durationAt(ctx, lw.for, joinPath(joinPath(at, 'lower_when'), 'for')),
            },
          }
        : {}),
      ref: clauseRef(ctx, 'trigger', t.id, at),
    };
  });

  const w = src.waivers;
  const r = src.reviews;
  const d = src.disputes;
  return {
    concordat: 1,
    id: src.id,
    version: src.version,
    title: src.title,
    effective,
    parties,
    agencies,
    officials,
    purposes,
    levels,
    core,
    tiers,
    extensions,
    triggers,
    ...(w !== undefined
      ? {
          waivers: {
            maxDuration: durationAt(ctx, w.max_duration, 'waivers.max_duration'),
            postReviewWithin: durationAt(ctx, w.post_review_within, 'waivers.post_review_within'),
            approval: approval(w.approval),
            neverWaive: neverReleases(ctx, w.never_waive, 'waivers.never_waive'),
            ref: clauseRef(ctx, 'waiver-policy', 'waivers', 'waivers'),
          },
        }
      : {}),
    ...(r !== undefined
      ? {
          reviews: {
            every: durationAt(ctx, r.every, 'reviews.every'),
            observers: [...(r.observers ?? [])],
            ref: clauseRef(ctx, 'review-policy', 'reviews', 'reviews'),
          },
        }
      : {}),
    sanctions: (src.sanctions ?? []).map((s, i) => {
      const at = joinPath('sanctions', i);
      return {
        id: s.id,
        on: s.on,
        action: s.action,
        ...(s.to_tier !== undefined ? { toTier: s.to_tier } : {}),
        duration: durationAt(ctx, s.duration, joinPath(at, 'duration')),
        ref: clauseRef(ctx, 'sanction', s.id, at),
      };
    }),
    ...(d !== undefined
      ? {
          disputes: {
            stages: d.path.map((s, i) => ({
              stage: s.stage,
              within: durationAt(
                ctx,
                s.within,
                joinPath(joinPath(joinPath('disputes', 'path'), i), 'within'),
              ),
            })),
            pauseWhileOpen: d.pause_while_open ?? false,
            ref: clauseRef(ctx, 'dispute-policy', 'disputes', 'disputes'),
          },
        }
      : {}),
    ref: clauseRef(ctx, 'agreement', src.id, ''),
  };
}
