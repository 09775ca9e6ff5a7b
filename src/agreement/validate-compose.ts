/**
 * How the modules compose: an extension may only tighten the core (the proof uses the same
 * algebra the engine applies: `durationNeverExceeds`, `minimisesAtLeast`,
 * `handlingAtLeastAsStrict`), rules stay within their maximum retention, extension tiers stay
 * among the extension's parties; plus warnings about certifications and unused names.
 */
import { durationNeverExceeds, formatDuration, type Duration } from '../core/index.js';
import type { AgreementIssue, IssueCode } from './issue-codes.js';
import { combineMinimisation, handlingAtLeastAsStrict, minimisesAtLeast } from './minimisation.js';
import type { Agreement, Minimisation } from './model.js';
import type { AgreementSource } from './source.js';
import { issue, joinPath, type Locator } from './yaml-source.js';

interface Ctx {
  readonly locator: Locator;
  readonly issues: AgreementIssue[];
  readonly badDurations: WeakSet<Duration>;
}

function report(ctx: Ctx, code: IssueCode, message: string, path: string): void {
  ctx.issues.push(issue(code, message, path, ctx.locator.at(path)));
}

const fmt = (d: Duration): string => `\`${formatDuration(d)}\``;

/** Names the fields where `ext` minimises less than `core`. */
function weakerFields(ext: Minimisation, core: Minimisation): string[] {
  const out: string[] = [];
  if (ext.ipv4Prefix > core.ipv4Prefix)
    out.push(
      `\`ipv4_prefix\` \`${ext.ipv4Prefix}\` keeps more than the core's \`${core.ipv4Prefix}\``,
    );
  if (ext.ipv6Prefix > core.ipv6Prefix)
    out.push(
      `\`ipv6_prefix\` \`${ext.ipv6Prefix}\` keeps more than the core's \`${core.ipv6Prefix}\``,
    );
  if (ext.timePrecisionMs < core.timePrecisionMs)
    out.push(`\`coarsen_timestamps\` is finer than the core's`);
  if (core.stripSourceRefs && !ext.stripSourceRefs)
    out.push('`strip_source_refs: false` where the core strips them');
  return out;
}

/** Checks composition and emits warnings; `a` is the normalisation of `src`. */
export function validateCompose(ctx: Ctx, src: AgreementSource, a: Agreement): void {
  const core = a.core;
  const partyOf = new Map(a.agencies.map((x) => [x.id, x.party]));
  const bad = (d: Duration | undefined): boolean => d !== undefined && ctx.badDurations.has(d);

  for (const ext of a.extensions) {
    const at = ext.ref.source?.path ?? '';
    const eat = joinPath(at, 'core');
    const esrc = src.extensions?.[ext.id]?.core;
    // Max retention: longer than the core's, for some start date, loosens.
    if (ext.maxRetention !== undefined && !bad(ext.maxRetention) && !bad(core.maxRetention))
      if (!durationNeverExceeds(ext.maxRetention, core.maxRetention))
        report(
          ctx,
          'extension-loosens',
          `extension \`${ext.id}\` sets \`max_retention\` ${fmt(ext.maxRetention)}, which can exceed the core's ${fmt(core.maxRetention)}; extensions may only tighten`,
          joinPath(eat, 'max_retention'),
        );
    // Minimisation: lists add to the core's; a written scalar must be at least as strict. The
    // core's lists still apply, so only the scalars the extension writes can loosen.
    const m = esrc?.minimise;
    if (m !== undefined) {
      const written: Minimisation = {
        ...combineMinimisation(core.minimise, ext.minimise),
        ipv4Prefix: m.ipv4_prefix ?? core.minimise.ipv4Prefix,
        ipv6Prefix: m.ipv6_prefix ?? core.minimise.ipv6Prefix,
        timePrecisionMs:
          m.coarsen_timestamps !== undefined
            ? ext.minimise.timePrecisionMs
            : core.minimise.timePrecisionMs,
        stripSourceRefs: m.strip_source_refs ?? core.minimise.stripSourceRefs,
      };
      if (!minimisesAtLeast(written, core.minimise))
        report(
          ctx,
          'extension-loosens',
          `extension \`${ext.id}\` minimises less than the core: ${weakerFields(written, core.minimise).join('; ')}; extensions may only tighten`,
          joinPath(eat, 'minimise'),
        );
    }
    if (!handlingAtLeastAsStrict(ext.handling, core.handling))
      report(
        ctx,
        'extension-loosens',
        `extension \`${ext.id}\` handling (\`pap: ${ext.handling.pap}\`, \`onward_sharing: ${ext.handling.onwardSharing}\`) is less strict than the core's (\`pap: ${core.handling.pap}\`, \`onward_sharing: ${core.handling.onwardSharing}\`); extensions may only tighten`,
        joinPath(eat, 'handling'),
      );
    // Extension tiers serve only the extension's parties: the extension covers nothing else.
    for (const t of a.tiers.filter((x) => x.extension === ext.id)) {
      t.agencies.forEach((ag, i) => {
        const party = partyOf.get(ag);
        if (party !== undefined && !ext.parties.includes(party))
          report(
            ctx,
            'extension-agency-outside',
            `agency \`${ag}\` of party \`${party}\` is in tier \`${t.id}\` of extension \`${ext.id}\`, whose parties are ${ext.parties.map((p) => `\`${p}\``).join(', ')}`,
            joinPath(joinPath(t.ref.source?.path ?? '', 'agencies'), i),
          );
      });
    }
  }

  // Rule retention within the maximum of the core, or of the extension that adds the tier.
  for (const t of a.tiers) {
    const ext =
      t.extension === undefined ? undefined : a.extensions.find((e) => e.id === t.extension);
    const max = ext?.maxRetention ?? core.maxRetention;
    const whose = ext?.maxRetention !== undefined ? `extension \`${ext.id}\`'s` : "the core's";
    for (const r of t.rules) {
      if (bad(r.retention) || bad(max)) continue;
      if (!durationNeverExceeds(r.retention, max))
        report(
          ctx,
          'retention-exceeds-max',
          `rule \`${r.id}\` keeps data ${fmt(r.retention)}, which can exceed ${whose} \`max_retention\` ${fmt(max)}`,
          joinPath(r.ref.source?.path ?? '', 'retention'),
        );
    }
  }

  // --- warnings ---
  for (const ag of a.agencies)
    for (const c of ag.certifications)
      if (c.expires <= a.effective.from && c.expires !== 0)
        report(
          ctx,
          'certification-expired',
          `certification \`${c.id}\` of agency \`${ag.id}\` expires before the agreement enters into force`,
          joinPath(c.ref.source?.path ?? '', 'expires'),
        );
  const held = new Set(a.agencies.flatMap((x) => x.certifications.map((c) => c.id)));
  const needed: [string, string][] = [
    ...a.tiers.flatMap((t) =>
      t.requiresCertifications.map((c, i): [string, string] => [
        c,
        joinPath(joinPath(t.ref.source?.path ?? '', 'requires_certifications'), i),
      ]),
    ),
    ...a.parties.flatMap((p) =>
      p.constraints.flatMap((c) =>
        c.kind === 'require-certification'
          ? c.certifications.map((x, i): [string, string] => [
              x,
              joinPath(joinPath(c.ref.source?.path ?? '', 'require_certifications'), i),
            ])
          : [],
      ),
    ),
  ];
  for (const [c, path] of needed)
    if (!held.has(c))
      report(
        ctx,
        'unknown-certification',
        `certification \`${c}\` is held by no agency, so what requires it is never released`,
        path,
      );
  // A purpose is used when some rule names it, or some rule takes the default (every purpose).
  const allDefault = a.tiers.some((t) =>
    t.rules.some((_r, i) =>
      t.extension === undefined
        ? src.tiers[t.id]?.release[i]?.purposes === undefined
        : src.extensions?.[t.extension]?.tiers?.[t.id]?.release[i]?.purposes === undefined,
    ),
  );
  if (!allDefault) {
    const used = new Set(a.tiers.flatMap((t) => t.rules.flatMap((r) => r.purposes)));
    for (const p of a.purposes)
      if (!used.has(p.id))
        report(
          ctx,
          'unused-purpose',
          `purpose \`${p.id}\` is served by no rule`,
          p.ref.source?.path ?? 'purposes',
        );
  }
  const inTier = new Set(a.tiers.flatMap((t) => t.agencies));
  for (const ag of a.agencies)
    if (!inTier.has(ag.id))
      report(
        ctx,
        'unused-agency',
        `agency \`${ag.id}\` is in no tier, so it receives nothing (it may still produce)`,
        ag.ref.source?.path ?? 'agencies',
      );
}
