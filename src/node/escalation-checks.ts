/**
 * The checks an escalation event passes before the service applies it: its structure
 * (`eventProblems`), bounded free text, and — for a waiver request — every clause of the
 * agreement that forbids it.
 */
import type { Agreement } from '../agreement/index.js';
import { ConcordatError } from '../core/index.js';
import { checkWaiverRequest, eventProblems } from '../escalation/index.js';
import type { EscalationEvent, WaiverRefusal } from '../escalation/index.js';

/**
 * The longest free text an event may carry (`reason`, `justification`, a dispute `subject`,
 * `setBy`): the ledger is handed to oversight whole and holds metadata, not documents (its
 * no-content guard caps strings at 512). Write a short reason and keep the full justification in
 * your case file, referenced by id.
 */
export const MAX_EVENT_TEXT = 400;

const TEXT_MEMBERS = ['reason', 'justification', 'setBy', 'objectRef', 'reportRef', 'finding'];

/** An `ERR_ESCALATION_REFUSED` listing every reason, one per line. */
export function refused(
  message: string,
  reasons: readonly string[],
  details: object,
): ConcordatError {
  return new ConcordatError(
    'ERR_ESCALATION_REFUSED',
    `${message}:\n${reasons.map((r) => `  - ${r}`).join('\n')}`,
    { details: { ...details, reasons } },
  );
}

/** A refusal with the clause that forbids it: `message — clause \`id\` (file:line:column)`. */
export function refusalLine(r: WaiverRefusal, file: string): string {
  const { clause } = r;
  const where =
    clause.source === undefined ? file : `${file}:${clause.source.line}:${clause.source.column}`;
  return `${r.message} — ${clause.kind} \`${clause.id}\` (${where})`;
}

/**
 * Throws unless `event` may be applied: `ERR_ESCALATION_EVENT_INVALID` with every structural
 * problem (free text over {@link MAX_EVENT_TEXT} included), or `ERR_ESCALATION_REFUSED` with
 * every clause that forbids a waiver request, located in `file`.
 */
export function checkInput(event: EscalationEvent, agreement: Agreement, file: string): void {
  const problems = eventProblems(event);
  for (const key of TEXT_MEMBERS) {
    const value = (event as unknown as Record<string, unknown>)[key];
    if (typeof value === 'string' && value.length > MAX_EVENT_TEXT)
      problems.push(`\`${key}\` is longer than ${MAX_EVENT_TEXT} characters`);
  }
  const dispute = (event as { dispute?: { subject?: unknown } }).dispute?.subject;
  if (typeof dispute === 'string' && dispute.length > MAX_EVENT_TEXT)
    problems.push(`\`dispute.subject\` is longer than ${MAX_EVENT_TEXT} characters`);
  if (problems.length > 0)
    throw new ConcordatError(
      'ERR_ESCALATION_EVENT_INVALID',
      `${event.type} event is malformed:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      { details: { problems } },
    );
  if (event.type === 'waiver-requested') {
    const refusals = checkWaiverRequest(agreement, event);
    if (refusals.length > 0)
      throw refused(
        `waiver request refused by agreement \`${agreement.id}\``,
        refusals.map((r) => refusalLine(r, file)),
        { refusals },
      );
  }
}
