/**
 * Diff of the accountability clauses: the waiver policy, reviews, sanctions and disputes.
 */
import { formatDuration } from '../core/index.js';
import { byId, diffNeverRelease } from './diff-clauses.js';
import {
  compareBool,
  compareDuration,
  compareSets,
  compareText,
  push,
  type Changes,
} from './diff-fields.js';
import { compareApproval } from './diff-triggers.js';
import type { Agreement } from './model.js';

/** The waiver policy: allowing waivers at all widens; a longer waiver widens. */
export function diffWaivers(out: Changes, before: Agreement, after: Agreement): void {
  const b = before.waivers;
  const a = after.waivers;
  if (b === undefined && a !== undefined)
    push(out, {
      path: 'waivers',
      kind: 'added',
      effect: 'widens',
      summary: `waivers allowed, up to ${formatDuration(a.maxDuration)}`,
    });
  if (b !== undefined && a === undefined)
    push(out, {
      path: 'waivers',
      kind: 'removed',
      effect: 'narrows',
      summary: 'waivers no longer allowed',
    });
  if (b === undefined || a === undefined) return;
  compareDuration(
    out,
    'waivers.max_duration',
    'maximum waiver duration',
    b.maxDuration,
    a.maxDuration,
    true,
  );
  // A later mandatory review is looser oversight of what the waiver released.
  compareDuration(
    out,
    'waivers.post_review_within',
    'post-hoc review within',
    b.postReviewWithin,
    a.postReviewWithin,
    true,
  );
  compareApproval(out, 'waivers.approval', b.approval, a.approval);
  diffNeverRelease(out, 'waivers.never_waive', 'never-waive rule', b.neverWaive, a.neverWaive);
}

/** Reviews: cadence and observers are oversight, not access (neutral). */
export function diffReviews(out: Changes, before: Agreement, after: Agreement): void {
  const b = before.reviews;
  const a = after.reviews;
  if (b === undefined && a !== undefined)
    push(out, {
      path: 'reviews',
      kind: 'added',
      effect: 'neutral',
      summary: `reviews every ${formatDuration(a.every)}`,
    });
  if (b !== undefined && a === undefined)
    push(out, { path: 'reviews', kind: 'removed', effect: 'neutral', summary: 'reviews removed' });
  if (b === undefined || a === undefined) return;
  const scratch: Changes = [];
  compareDuration(scratch, 'reviews.every', 'review every', b.every, a.every, true);
  out.push(...scratch.map((c) => ({ ...c, effect: 'neutral' as const })));
  compareSets(out, 'reviews.observers', 'observers', b.observers, a.observers, null);
}

/** Sanctions take access away after a finding: a new or longer sanction narrows. */
export function diffSanctions(out: Changes, before: Agreement, after: Agreement): void {
  byId(before.sanctions, after.sanctions, {
    removed: (b) =>
      push(out, {
        path: `sanctions.${b.id}`,
        kind: 'removed',
        effect: 'widens',
        summary: `sanction removed (${b.action} on ${b.on})`,
      }),
    added: (a) =>
      push(out, {
        path: `sanctions.${a.id}`,
        kind: 'added',
        effect: 'narrows',
        summary: `sanction added: ${a.action} on ${a.on} for ${formatDuration(a.duration)}`,
      }),
    both: (b, a) => {
      const path = `sanctions.${b.id}`;
      compareText(out, `${path}.on`, 'on finding', b.on, a.on, 'mixed');
      compareText(out, `${path}.action`, 'action', b.action, a.action, 'mixed');
      compareText(
        out,
        `${path}.to_tier`,
        'to tier',
        b.toTier ?? '(none)',
        a.toTier ?? '(none)',
        'mixed',
      );
      compareDuration(out, `${path}.duration`, 'duration', b.duration, a.duration, false);
    },
  });
}

/** Disputes: pausing while a dispute is open narrows; stage deadlines are neutral. */
export function diffDisputes(out: Changes, before: Agreement, after: Agreement): void {
  const b = before.disputes;
  const a = after.disputes;
  if (b === undefined && a !== undefined)
    push(out, {
      path: 'disputes',
      kind: 'added',
      effect: a.pauseWhileOpen ? 'narrows' : 'neutral',
      summary: 'dispute path added',
    });
  if (b !== undefined && a === undefined)
    push(out, {
      path: 'disputes',
      kind: 'removed',
      effect: b.pauseWhileOpen ? 'widens' : 'neutral',
      summary: 'dispute path removed',
    });
  if (b === undefined || a === undefined) return;
  const stages = (d: typeof b): string[] =>
    d.stages.map((s) => `${s.stage} ${formatDuration(s.within)}`);
  const bs = stages(b);
  const as = stages(a);
  if (bs.join('\n') !== as.join('\n'))
    push(
      out,
      {
        path: 'disputes.path',
        kind: 'changed',
        effect: 'neutral',
        summary: `dispute path: ${bs.join(' → ')} ⇒ ${as.join(' → ')}`,
      },
      bs,
      as,
    );
  compareBool(
    out,
    'disputes.pause_while_open',
    'pause while a dispute is open',
    b.pauseWhileOpen,
    a.pauseWhileOpen,
    false,
  );
}
