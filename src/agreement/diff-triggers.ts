/**
 * Diff of the escalation clauses: triggers (what raises the level, what lowers it, who
 * approves) and the waiver policy. A trigger that fires more easily, raises higher, lasts
 * longer or needs fewer approvals widens access; one that lowers the level sooner narrows it.
 */
import { formatDuration } from '../core/index.js';
import {
  compareBool,
  compareDuration,
  compareNumber,
  compareOptionalNumber,
  compareOptionalSet,
  flipEffect,
  push,
  type Changes,
  type DiffEffect,
} from './diff-fields.js';
import type { Agreement, ApprovalRule, Trigger, TriggerCondition } from './model.js';

/** Approval: automatic widens, a higher quorum narrows, more approving roles widen. */
export function compareApproval(
  out: Changes,
  path: string,
  before: ApprovalRule,
  after: ApprovalRule,
): void {
  compareBool(
    out,
    `${path}.automatic`,
    'automatic approval',
    before.automatic,
    after.automatic,
    true,
  );
  compareNumber(out, `${path}.quorum`, 'quorum', before.quorum, after.quorum, false);
  // No roles listed means any official may approve.
  compareOptionalSet(
    out,
    `${path}.roles`,
    'approving roles',
    before.roles.length === 0 ? undefined : before.roles,
    after.roles.length === 0 ? undefined : after.roles,
    true,
  );
  compareBool(
    out,
    `${path}.distinct_parties`,
    'approvals from distinct parties',
    before.distinctParties,
    after.distinctParties,
    false,
  );
}

// Admiralty code (NATO AJP-2.1): reliability A (best) … F, credibility 1 (best) … 6.
function admiralty(grade: string): readonly [number, number] {
  return [grade.toUpperCase().charCodeAt(0) - 65, Number(grade.slice(1))];
}

/**
 * Compares two conditions. `easier` is the effect of a condition that holds more often: for a
 * raising condition `widens`, for a lowering one `narrows`.
 */
export function compareCondition(
  out: Changes,
  path: string,
  before: TriggerCondition,
  after: TriggerCondition,
  easier: DiffEffect,
): void {
  const harder = flipEffect(easier);
  const higherEasier = easier === 'widens';
  const group = (name: string, b: unknown, a: unknown): boolean => {
    if (b === undefined && a !== undefined)
      push(out, {
        path: `${path}.${name}`,
        kind: 'added',
        effect: harder,
        summary: `${name} condition added`,
      });
    if (b !== undefined && a === undefined)
      push(out, {
        path: `${path}.${name}`,
        kind: 'removed',
        effect: easier,
        summary: `${name} condition removed`,
      });
    return b !== undefined && a !== undefined;
  };

  const rb = before.riskRating;
  const ra = after.riskRating;
  if (group('risk_rating', rb, ra) && rb !== undefined && ra !== undefined) {
    const p = `${path}.risk_rating`;
    // "at least n": a lower n holds more often; "below n": a higher n does.
    compareOptionalNumber(
      out,
      `${p}.any_party_at_least`,
      'any party at least',
      rb.anyPartyAtLeast,
      ra.anyPartyAtLeast,
      !higherEasier,
      harder,
    );
    compareOptionalNumber(
      out,
      `${p}.all_parties_at_least`,
      'all parties at least',
      rb.allPartiesAtLeast,
      ra.allPartiesAtLeast,
      !higherEasier,
      harder,
    );
    compareOptionalNumber(
      out,
      `${p}.any_party_below`,
      'any party below',
      rb.anyPartyBelow,
      ra.anyPartyBelow,
      higherEasier,
      harder,
    );
    compareOptionalNumber(
      out,
      `${p}.all_parties_below`,
      'all parties below',
      rb.allPartiesBelow,
      ra.allPartiesBelow,
      higherEasier,
      harder,
    );
  }

  const qb = before.intelQuality;
  const qa = after.intelQuality;
  if (group('intel_quality', qb, qa) && qb !== undefined && qa !== undefined) {
    const p = `${path}.intel_quality`;
    if (qb.atLeast.toUpperCase() !== qa.atLeast.toUpperCase()) {
      const [br, bc] = admiralty(qb.atLeast);
      const [ar, ac] = admiralty(qa.atLeast);
      // A worse grade accepted (a later letter or a higher digit) holds more often.
      const looser = ar >= br && ac >= bc;
      const stricter = ar <= br && ac <= bc;
      const effect = looser ? easier : stricter ? harder : 'mixed';
      push(
        out,
        {
          path: `${p}.at_least`,
          kind: 'changed',
          effect,
          summary: `intel quality at least: ${qb.atLeast} → ${qa.atLeast}`,
        },
        qb.atLeast,
        qa.atLeast,
      );
    }
    compareOptionalNumber(
      out,
      `${p}.min_confidence`,
      'minimum confidence',
      qb.minConfidence,
      qa.minConfidence,
      !higherEasier,
      harder,
    );
  }

  const ib = before.incidents;
  const ia = after.incidents;
  if (group('incidents', ib, ia) && ib !== undefined && ia !== undefined) {
    const p = `${path}.incidents`;
    compareOptionalNumber(
      out,
      `${p}.at_least`,
      'incidents at least',
      ib.atLeast,
      ia.atLeast,
      !higherEasier,
      harder,
    );
    compareOptionalNumber(
      out,
      `${p}.at_most`,
      'incidents at most',
      ib.atMost,
      ia.atMost,
      higherEasier,
      harder,
    );
    // Counting more (a longer window, broader filters) helps "at least" and hurts "at most".
    const hasAtLeast = ib.atLeast !== undefined || ia.atLeast !== undefined;
    const hasAtMost = ib.atMost !== undefined || ia.atMost !== undefined;
    const countingMore: DiffEffect =
      hasAtLeast && hasAtMost ? 'mixed' : hasAtLeast ? easier : harder;
    const scratch: Changes = [];
    compareOptionalSet(scratch, `${p}.rsit`, 'counted rsit classes', ib.rsit, ia.rsit, true);
    compareOptionalSet(scratch, `${p}.tlp`, 'counted tlp labels', ib.tlp, ia.tlp, true);
    compareDuration(scratch, `${p}.within`, 'counting window', ib.window, ia.window, true);
    for (const c of scratch) {
      // `scratch` judged "counting more" as widening; translate to this condition's effect.
      const effect =
        c.effect === 'widens'
          ? countingMore
          : c.effect === 'narrows'
            ? flipEffect(countingMore)
            : c.effect;
      out.push({ ...c, effect });
    }
  }
}

function levelName(agreement: Agreement, index: number): string {
  return agreement.levels[index]?.id ?? String(index);
}

/** Position of `before`'s level `index` on `after`'s scale, by level id when it still exists. */
export function translateLevel(before: Agreement, after: Agreement, index: number): number {
  const id = before.levels[index]?.id;
  const there = id === undefined ? -1 : after.levels.findIndex((l) => l.id === id);
  return there === -1 ? index : there;
}

/** Compares two level indexes across versions, shown by level id. */
export function compareLevel(
  out: Changes,
  path: string,
  label: string,
  ctx: { readonly before: Agreement; readonly after: Agreement },
  before: number,
  after: number,
  higherWidens: boolean,
): void {
  const b = levelName(ctx.before, before);
  const a = levelName(ctx.after, after);
  const moved = translateLevel(ctx.before, ctx.after, before);
  if (b === a && moved === after) return;
  const effect: DiffEffect =
    moved === after ? 'neutral' : after > moved === higherWidens ? 'widens' : 'narrows';
  push(out, { path, kind: 'changed', effect, summary: `${label}: ${b} → ${a}` }, b, a);
}

function compareTrigger(
  out: Changes,
  path: string,
  ctx: { readonly before: Agreement; readonly after: Agreement },
  b: Trigger,
  a: Trigger,
): void {
  compareLevel(out, `${path}.raise_to`, 'raises to', ctx, b.raiseTo, a.raiseTo, true);
  compareApproval(out, `${path}.approval`, b.approval, a.approval);
  compareDuration(
    out,
    `${path}.max_duration`,
    'maximum duration',
    b.maxDuration,
    a.maxDuration,
    true,
  );
  compareCondition(out, `${path}.when`, b.when, a.when, 'widens');
  const lb = b.lowerWhen;
  const la = a.lowerWhen;
  if (lb === undefined && la !== undefined)
    push(out, {
      path: `${path}.lower_when`,
      kind: 'added',
      effect: 'narrows',
      summary: `the level can now fall back after ${formatDuration(la.holdFor)} of calm`,
    });
  if (lb !== undefined && la === undefined)
    push(out, {
      path: `${path}.lower_when`,
      kind: 'removed',
      effect: 'widens',
      summary: 'the level no longer falls back before its maximum duration',
    });
  if (lb !== undefined && la !== undefined) {
    compareDuration(
      out,
      `${path}.lower_when.for`,
      'calm needed to lower',
      lb.holdFor,
      la.holdFor,
      true,
    );
    compareCondition(out, `${path}.lower_when.when`, lb.when, la.when, 'narrows');
  }
}

/** Triggers by id: a new trigger is a new way to escalate (widens). */
export function diffTriggers(out: Changes, before: Agreement, after: Agreement): void {
  const ctx = { before, after };
  for (const b of before.triggers) {
    const a = after.triggers.find((t) => t.id === b.id);
    const path = `triggers.${b.id}`;
    if (a === undefined)
      push(out, {
        path,
        kind: 'removed',
        effect: 'narrows',
        summary: `trigger removed (raised to ${levelName(before, b.raiseTo)})`,
      });
    else compareTrigger(out, path, ctx, b, a);
  }
  for (const a of after.triggers)
    if (!before.triggers.some((t) => t.id === a.id))
      push(out, {
        path: `triggers.${a.id}`,
        kind: 'added',
        effect: 'widens',
        summary: `trigger added: raises to ${levelName(after, a.raiseTo)} for up to ${formatDuration(a.maxDuration)}`,
      });
}
