/**
 * A decision shown to a person or a machine: ALLOW/DENY, the precedence stage, the deciding
 * clauses with `FILE:line:column`, and for an allow the obligations.
 */
import type { Agreement, ClauseRef } from '../agreement/index.js';
import { formatInstant } from '../core/index.js';
import type { Decision, DecisionRequest, DecisionState, DenyStage } from '../policy/index.js';
import type { CommandContext } from './context.js';
import { describeMinimisation } from './explain-table.js';
import { where } from './load-agreement.js';
import { formatTable } from './style.js';

/** What each deny stage means, in one sentence. */
export const STAGE_MEANING: Readonly<Record<DenyStage, string>> = {
  'not-in-force': 'the agreement is not in force at that instant',
  'unknown-agency': 'the receiving agency is not an agency of the agreement',
  'unknown-purpose': 'the purpose is not a declared purpose of the agreement',
  'unknown-producer': 'the producer is not a party of the agreement',
  'unknown-level': 'the cooperation level is not a level of the agreement',
  constraint: "a party's domestic-law constraint forbids it; no tier, level or waiver overrides it",
  pause: 'the producing party has paused this sharing',
  'never-release': 'a core or extension never-release rule forbids it',
  'no-rule': 'no tier rule at this level, and no waiver, allows it (deny by default)',
};

/** A deciding clause with where it is written. */
export interface ClauseView {
  readonly kind: string;
  readonly id: string;
  /** `FILE:line:column`, absent for runtime clauses (waivers, pauses). */
  readonly at?: string;
  readonly path?: string;
}

/** The `--json` form of a decision. */
export interface DecisionView {
  readonly effect: 'allow' | 'deny';
  /** The deny stage, or `tier-rule` / `waiver` for an allow. */
  readonly stage: string;
  readonly meaning: string;
  readonly tier?: string;
  readonly clauses: readonly ClauseView[];
  readonly obligations?: {
    readonly retainUntil: string;
    readonly retainDays: number;
    readonly minimise: readonly string[];
    readonly handling: { readonly pap: string; readonly onwardSharing: string };
    readonly shapedBy: readonly ClauseView[];
  };
  readonly request: {
    readonly agency: string;
    readonly purpose: string;
    readonly object: DecisionRequest['object'];
    readonly at: string;
    readonly level: string;
  };
  /** The engine's decision, unchanged. */
  readonly decision: Decision;
}

function clauseView(file: string, ref: ClauseRef): ClauseView {
  return {
    kind: ref.kind,
    id: ref.id,
    ...(ref.source === undefined ? {} : { at: where(file, ref.source), path: ref.source.path }),
  };
}

/** Builds the view of a decision over the agreement read from `file`. */
export function viewDecision(
  file: string,
  request: DecisionRequest,
  state: DecisionState,
  decision: Decision,
): DecisionView {
  const req = {
    agency: request.agency,
    purpose: request.purpose,
    object: request.object,
    at: formatInstant(request.at),
    level: state.level,
  };
  if (decision.effect === 'deny')
    return {
      effect: 'deny',
      stage: decision.stage,
      meaning: STAGE_MEANING[decision.stage],
      clauses: decision.deniedBy.map((r) => clauseView(file, r)),
      request: req,
      decision,
    };
  const o = decision.obligations;
  return {
    effect: 'allow',
    stage: decision.byWaiver ? 'waiver' : 'tier-rule',
    meaning: decision.byWaiver
      ? 'no tier rule allows it, but a bounded waiver does'
      : `a rule of tier \`${decision.tier ?? '?'}\` allows it at level \`${state.level}\``,
    ...(decision.tier === undefined ? {} : { tier: decision.tier }),
    clauses: decision.allowedBy.map((r) => clauseView(file, r)),
    obligations: {
      retainUntil: formatInstant(o.retainUntil),
      retainDays: Math.round(((o.retainUntil - request.at) / 86_400_000) * 10) / 10,
      minimise: describeMinimisation(o.minimise),
      handling: o.handling,
      shapedBy: o.shapedBy.map((r) => clauseView(file, r)),
    },
    request: req,
    decision,
  };
}

const LABEL_WIDTH = 14;

function label(text: string): string {
  return '  ' + text.padEnd(LABEL_WIDTH);
}

function clauseLines(ctx: CommandContext, title: string, clauses: readonly ClauseView[]): string[] {
  const rows = clauses.map((c) => [
    c.kind === c.id ? c.kind : `${c.kind} ${ctx.style.bold(c.id)}`,
    c.at ?? ctx.style.dim('(runtime)'),
    c.path === undefined ? '' : ctx.style.dim(`(${c.path})`),
  ]);
  return formatTable(rows).map((line, i) => (i === 0 ? label(title) : label('')) + line);
}

/** Prints a decision for a person. */
export function printDecision(ctx: CommandContext, view: DecisionView, agreement: Agreement): void {
  const { style } = ctx;
  const o = view.request.object;
  const agency = agreement.agencies.find((a) => a.id === view.request.agency);
  const to = agency === undefined ? view.request.agency : `${agency.id} (${agency.party})`;
  const verdict =
    view.effect === 'allow' ? style.green(style.bold('ALLOW')) : style.red(style.bold('DENY '));
  ctx.line(
    `${verdict}  ${o.type} · TLP ${o.tlp} · personal data ${o.personalData}${o.rsit === undefined ? '' : ` · ${o.rsit}`}${o.confidence === undefined ? '' : ` · confidence ${o.confidence}`}  ${o.producer} → ${to}  for ${view.request.purpose}`,
  );
  ctx.line(style.dim(`       at ${view.request.at}, level ${view.request.level}`));
  ctx.line(`${label('stage')}${style.bold(view.stage)} — ${view.meaning}`);
  for (const line of clauseLines(
    ctx,
    view.effect === 'allow' ? 'allowed by' : 'denied by',
    view.clauses,
  ))
    ctx.line(line);
  const ob = view.obligations;
  if (ob !== undefined) {
    ctx.line(
      `${label('retain until')}${ob.retainUntil}  ${style.dim(`(${ob.retainDays} days after release)`)}`,
    );
    ctx.line(
      `${label('minimise')}${ob.minimise.length === 0 ? 'nothing' : ob.minimise.join('; ')}`,
    );
    ctx.line(
      `${label('handling')}PAP ${ob.handling.pap}, onward sharing ${ob.handling.onwardSharing}`,
    );
    for (const line of clauseLines(ctx, 'shaped by', ob.shapedBy)) ctx.line(line);
  }
}
