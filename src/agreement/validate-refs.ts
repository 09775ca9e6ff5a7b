/**
 * Semantic checks over names: duplicate ids, references to parties, agencies, purposes,
 * levels and tiers, and the clause-local rules the schema cannot express (one action per
 * constraint, level ranges, sanction targets, dispute order, reachable quorums). Every problem
 * is collected; nothing stops at the first.
 */
import { parseInstant } from '../core/index.js';
import type { AgreementIssue, IssueCode } from './issue-codes.js';
import type { Agreement, ApprovalRule } from './model.js';
import type { AgreementSource, MatchSource } from './source.js';
import { issue, joinPath, type Locator } from './yaml-source.js';

interface Ctx {
  readonly locator: Locator;
  readonly issues: AgreementIssue[];
}

function report(ctx: Ctx, code: IssueCode, message: string, path: string): void {
  ctx.issues.push(issue(code, message, path, ctx.locator.at(path)));
}

/** Reports every id that an earlier entry of the same namespace already used. */
function duplicates(ctx: Ctx, what: string, entries: readonly (readonly [string, string])[]): void {
  const first = new Map<string, string>();
  for (const [id, path] of entries) {
    const prev = first.get(id);
    if (prev === undefined) {
      first.set(id, path);
      continue;
    }
    const pos = ctx.locator.keyAt(prev);
    ctx.issues.push(
      issue(
        'duplicate-id',
        `${what} id \`${id}\` is already used at \`${prev}\` (line ${pos.line}:${pos.column})`,
        path,
        ctx.locator.keyAt(path),
      ),
    );
  }
}

/** Checks names and clause-local rules; `a` is the normalisation of `src`. */
export function validateRefs(ctx: Ctx, src: AgreementSource, a: Agreement): void {
  const parties = new Set(a.parties.map((p) => p.id));
  const agencies = new Set(a.agencies.map((x) => x.id));
  const purposes = new Set(a.purposes.map((p) => p.id));
  const levels = new Set(src.levels);
  const tierIds = new Set(a.tiers.map((t) => t.id));

  const refs = (
    list: readonly string[] | undefined,
    known: ReadonlySet<string>,
    code: IssueCode,
    kind: string,
    path: string,
  ): void => {
    (list ?? []).forEach((name, i) => {
      if (!known.has(name)) {
        const choices = [...known].map((k) => `\`${k}\``).join(', ');
        report(
          ctx,
          code,
          `unknown ${kind} \`${name}\`; declared: ${choices || 'none'}`,
          joinPath(path, i),
        );
      }
    });
  };
  const matchRefs = (m: MatchSource | undefined, path: string): void => {
    if (m === undefined) return;
    refs(m.purposes, purposes, 'unknown-purpose', 'purpose', joinPath(path, 'purposes'));
    refs(m.from_parties, parties, 'unknown-party', 'party', joinPath(path, 'from_parties'));
    refs(m.to_parties, parties, 'unknown-party', 'party', joinPath(path, 'to_parties'));
    refs(m.to_agencies, agencies, 'unknown-agency', 'agency', joinPath(path, 'to_agencies'));
  };
  const level = (name: string | undefined, path: string): void => {
    if (name !== undefined && !levels.has(name))
      report(
        ctx,
        'unknown-level',
        `unknown level \`${name}\`; declared: ${src.levels.map((l) => `\`${l}\``).join(', ')}`,
        path,
      );
  };

  // --- namespaces ---
  duplicates(
    ctx,
    'party',
    src.parties.map((p, i) => [p.id, joinPath(joinPath('parties', i), 'id')]),
  );
  duplicates(
    ctx,
    'level',
    src.levels.map((l, i) => [l, joinPath('levels', i)]),
  );
  if (Array.isArray(src.purposes))
    duplicates(
      ctx,
      'purpose',
      src.purposes.map((p, i) => [p, joinPath('purposes', i)]),
    );
  // Agencies and officials are both people or bodies that can be named in a ledger entry.
  duplicates(ctx, 'agency or official', [
    ...Object.keys(src.agencies).map((id) => [id, joinPath('agencies', id)] as const),
    ...Object.keys(src.officials ?? {}).map((id) => [id, joinPath('officials', id)] as const),
  ]);
  // One clause namespace: an explanation names a clause by id, so ids must not collide.
  duplicates(ctx, 'clause', [
    ...a.parties.flatMap((p) =>
      p.constraints.map((c) => [c.id, c.ref.source?.path ?? ''] as const),
    ),
    ...a.core.neverRelease.map((n) => [n.id, n.ref.source?.path ?? ''] as const),
    ...a.extensions.map((e) => [e.id, e.ref.source?.path ?? ''] as const),
    ...a.extensions.flatMap((e) =>
      e.neverRelease.map((n) => [n.id, n.ref.source?.path ?? ''] as const),
    ),
    ...a.tiers.map((t) => [t.id, t.ref.source?.path ?? ''] as const),
    ...a.tiers.flatMap((t) => t.rules.map((r) => [r.id, r.ref.source?.path ?? ''] as const)),
    ...a.triggers.map((t) => [t.id, t.ref.source?.path ?? ''] as const),
    ...(a.waivers?.neverWaive ?? []).map((n) => [n.id, n.ref.source?.path ?? ''] as const),
    ...a.sanctions.map((s) => [s.id, s.ref.source?.path ?? ''] as const),
  ]);
  for (const ag of a.agencies)
    duplicates(
      ctx,
      'certification',
      ag.certifications.map((c) => [c.id, c.ref.source?.path ?? ''] as const),
    );

  // --- effective period ---
  const from = parseInstant(src.effective.from);
  const until = src.effective.until === undefined ? undefined : parseInstant(src.effective.until);
  if (from !== undefined && until !== undefined && until <= from)
    report(
      ctx,
      'effective-range',
      `\`effective.until\` (\`${src.effective.until ?? ''}\`) must be after \`effective.from\` (\`${src.effective.from}\`)`,
      'effective.until',
    );

  // --- parties and constraints ---
  src.parties.forEach((p, i) => {
    (p.constraints ?? []).forEach((c, j) => {
      const at = joinPath(joinPath(joinPath('parties', i), 'constraints'), j);
      const actions = (
        ['forbid', 'require_certifications', 'max_retention', 'minimise'] as const
      ).filter((k) => c[k] !== undefined);
      if (actions.length !== 1)
        report(
          ctx,
          'constraint-action',
          actions.length === 0
            ? `constraint \`${c.id}\` has no action; give one of \`forbid\`, \`require_certifications\`, \`max_retention\`, \`minimise\``
            : `constraint \`${c.id}\` has ${actions.length} actions (${actions.map((k) => `\`${k}\``).join(', ')}); split it into one constraint per action`,
          at,
        );
      if (c.forbid !== undefined && c.when !== undefined)
        report(
          ctx,
          'forbid-with-when',
          `constraint \`${c.id}\` has both \`forbid\` and \`when\`; put every condition in \`forbid\``,
          joinPath(at, 'when'),
        );
      matchRefs(c.when, joinPath(at, 'when'));
      matchRefs(c.forbid, joinPath(at, 'forbid'));
    });
  });

  // --- agencies and officials ---
  for (const [id, ag] of Object.entries(src.agencies))
    if (!parties.has(ag.party))
      report(
        ctx,
        'unknown-party',
        `agency \`${id}\` belongs to unknown party \`${ag.party}\``,
        joinPath(joinPath('agencies', id), 'party'),
      );
  for (const [id, o] of Object.entries(src.officials ?? {}))
    if (!parties.has(o.party))
      report(
        ctx,
        'unknown-party',
        `official \`${id}\` belongs to unknown party \`${o.party}\``,
        joinPath(joinPath('officials', id), 'party'),
      );

  // --- core, extensions, tiers ---
  (src.core.never_release ?? []).forEach((n, i) =>
    matchRefs(n.match, joinPath(joinPath(joinPath('core', 'never_release'), i), 'match')),
  );
  (src.waivers?.never_waive ?? []).forEach((n, i) =>
    matchRefs(n.match, joinPath(joinPath(joinPath('waivers', 'never_waive'), i), 'match')),
  );
  const tierSources = [
    ...Object.entries(src.tiers).map(([id, t]) => [id, t, joinPath('tiers', id)] as const),
    ...Object.entries(src.extensions ?? {}).flatMap(([eid, e]) => {
      const at = joinPath('extensions', eid);
      refs(e.parties, parties, 'unknown-party', 'party', joinPath(at, 'parties'));
      (e.core?.never_release ?? []).forEach((n, i) =>
        matchRefs(
          n.match,
          joinPath(joinPath(joinPath(joinPath(at, 'core'), 'never_release'), i), 'match'),
        ),
      );
      return Object.entries(e.tiers ?? {}).map(
        ([id, t]) => [id, t, joinPath(joinPath(at, 'tiers'), id)] as const,
      );
    }),
  ];
  for (const [, t, at] of tierSources) {
    refs(t.agencies, agencies, 'unknown-agency', 'agency', joinPath(at, 'agencies'));
    t.release.forEach((r, i) => {
      const rat = joinPath(joinPath(at, 'release'), i);
      refs(r.purposes, purposes, 'unknown-purpose', 'purpose', joinPath(rat, 'purposes'));
      level(r.from_level, joinPath(rat, 'from_level'));
      level(r.until_level, joinPath(rat, 'until_level'));
      const from = r.from_level === undefined ? 0 : src.levels.indexOf(r.from_level);
      const until =
        r.until_level === undefined ? src.levels.length - 1 : src.levels.indexOf(r.until_level);
      if (from >= 0 && until >= 0 && from > until)
        report(
          ctx,
          'level-range',
          `rule applies from level \`${src.levels[from] ?? ''}\` until the lower level \`${src.levels[until] ?? ''}\`, so never; swap them`,
          joinPath(rat, 'from_level'),
        );
    });
  }

  // --- triggers, approvals, sanctions, disputes ---
  const lowest = src.levels[0];
  (src.triggers ?? []).forEach((t, i) => {
    const at = joinPath('triggers', i);
    level(t.raise_to, joinPath(at, 'raise_to'));
    if (t.raise_to === lowest && src.levels.length > 1)
      report(
        ctx,
        'trigger-raises-to-lowest',
        `trigger \`${t.id}\` raises to \`${t.raise_to}\`, the lowest level, so it never raises anything`,
        joinPath(at, 'raise_to'),
      );
    for (const [cond, cat] of [
      [t.when, joinPath(at, 'when')],
      [t.lower_when?.when, joinPath(joinPath(at, 'lower_when'), 'when')],
    ] as const) {
      const inc = cond?.incidents;
      if (inc !== undefined && inc.at_least === undefined && inc.at_most === undefined)
        report(
          ctx,
          'incomplete-condition',
          '`incidents` needs `at_least`, `at_most` or both',
          joinPath(cat, 'incidents'),
        );
    }
  });
  a.triggers.forEach((t, i) =>
    quorum(ctx, a, t.approval, joinPath(joinPath('triggers', i), 'approval')),
  );
  if (a.waivers !== undefined) quorum(ctx, a, a.waivers.approval, joinPath('waivers', 'approval'));
  (src.sanctions ?? []).forEach((s, i) => {
    const at = joinPath('sanctions', i);
    if (s.action === 'downgrade-tier' && s.to_tier === undefined)
      report(
        ctx,
        'sanction-to-tier',
        `sanction \`${s.id}\` downgrades a tier but names no \`to_tier\``,
        at,
      );
    else if (s.action !== 'downgrade-tier' && s.to_tier !== undefined)
      report(
        ctx,
        'sanction-to-tier',
        `sanction \`${s.id}\` has \`to_tier\` but its action is \`${s.action}\`, not \`downgrade-tier\``,
        joinPath(at, 'to_tier'),
      );
    else if (s.to_tier !== undefined && !tierIds.has(s.to_tier))
      report(
        ctx,
        'unknown-tier',
        `unknown tier \`${s.to_tier}\`; declared: ${[...tierIds].map((t) => `\`${t}\``).join(', ')}`,
        joinPath(at, 'to_tier'),
      );
  });
  const order = ['consultation', 'mediation', 'arbitration'];
  (src.disputes?.path ?? []).forEach((s, i, all) => {
    const prev = all[i - 1];
    if (prev !== undefined && order.indexOf(s.stage) <= order.indexOf(prev.stage))
      report(
        ctx,
        'dispute-path-order',
        `stage \`${s.stage}\` after \`${prev.stage}\`; stages go consultation, mediation, arbitration, each at most once`,
        joinPath(joinPath(joinPath('disputes', 'path'), i), 'stage'),
      );
  });
}

/** An approval whose quorum the named officials can never reach. */
function quorum(ctx: Ctx, a: Agreement, rule: ApprovalRule, path: string): void {
  if (rule.automatic || rule.quorum === 0) return;
  const eligible = a.officials.filter(
    (o) => rule.roles.length === 0 || o.roles.some((r) => rule.roles.includes(r)),
  );
  const reachable = rule.distinctParties
    ? new Set(eligible.map((o) => o.party)).size
    : eligible.length;
  if (rule.quorum > reachable) {
    const who = rule.distinctParties ? 'parties with an eligible official' : 'eligible officials';
    const roles =
      rule.roles.length > 0 ? ` holding ${rule.roles.map((r) => `\`${r}\``).join(' or ')}` : '';
    report(
      ctx,
      'quorum-unreachable',
      `quorum \`${rule.quorum}\` cannot be reached: the agreement names ${reachable} ${who}${roles}`,
      path,
    );
  }
}
