/**
 * What the escalation commands (`risk`, `level`, `trigger`, `waiver`, `pause`, `resume`,
 * `approve`) share: `--config` and `--agreement`, opening the agreement's escalation service on
 * the node, signing approvals with an official's key, and showing instants and countdowns.
 */
import type { Command } from 'commander';
import { formatInstant } from '../../core/index.js';
import { signApproval } from '../../escalation/index.js';
import type { EscalationEvent } from '../../escalation/index.js';
import { openEscalation } from '../../node/index.js';
import type { EscalationService, Node, RecordResult } from '../../node/index.js';
import { CliError } from '../cli-error.js';
import type { CommandContext } from '../context.js';
import { parseAtOption, readInput } from '../input.js';
import { addConfigOption, withNode } from '../node-open.js';

/** The options every escalation command takes. */
export interface EscalationOptions {
  config?: string;
  agreement?: string;
}

/** Adds `--config` and `--agreement` to an escalation command. */
export function addEscalationOptions(command: Command): Command {
  return addConfigOption(command).option(
    '--agreement <id>',
    'the agreement (required when the node takes part in several)',
  );
}

/** Opens the node and the agreement's escalation service, runs `fn`, closes the node. */
export function withEscalation<T>(
  ctx: CommandContext,
  opts: EscalationOptions,
  fn: (esc: EscalationService, node: Node) => Promise<T>,
): Promise<T> {
  return withNode(ctx.io, opts.config, async (node) => {
    const esc = await openEscalation(
      node,
      opts.agreement === undefined ? {} : { agreement: opts.agreement },
    );
    return fn(esc, node);
  });
}

/** `--at` or now. */
export function instantOption(ctx: CommandContext, at: string | undefined): number {
  return parseAtOption(at, ctx.io.clock);
}

/** RFC 3339 of an instant. */
export function iso(at: number): string {
  return formatInstant(at);
}

/** A human span: `2d 3h`, `45m`, `12s`. */
export function span(ms: number): string {
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000);
  const h = Math.floor((abs % 86_400_000) / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = Math.floor((abs % 60_000) / 1000);
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return `${m}m`;
  return `${s}s`;
}

/** `in 2d 3h` or `3h ago` from `now` to `at`. */
export function countdown(now: number, at: number): string {
  return at >= now ? `in ${span(at - now)}` : `${span(now - at)} ago`;
}

/** One written event for `--json` and for people. */
export function writtenView(result: RecordResult): {
  id: string;
  type: string;
  at: string;
  written: { seq: number; id: string; type: string; at: string }[];
} {
  return {
    id: result.event.id,
    type: result.event.type,
    at: iso(result.event.at),
    written: result.written.map((w) => ({
      seq: w.seq,
      id: w.event.id,
      type: w.event.type,
      at: iso(w.event.at),
    })),
  };
}

/** Prints what was ledgered, one line per entry (the event, its receipts, node proposals). */
export function printWritten(ctx: CommandContext, result: RecordResult): void {
  const { style } = ctx;
  for (const w of result.written) {
    const mine = w.event.id === result.event.id;
    const what = mine ? style.bold(w.event.type) : `${w.event.type} ${style.dim('(by the node)')}`;
    ctx.line(`  ledger #${w.seq}  ${what}  ${style.dim(w.event.id)}  ${iso(w.event.at)}`);
  }
}

/**
 * Signs an approval of `subjectId` (an escalation proposal or a waiver request) as `official`
 * with the private key in `keyPath`, and records it.
 *
 * @throws CliError `ERR_NOT_FOUND` when no proposal or waiver request has that id.
 */
export async function signAndApprove(
  ctx: CommandContext,
  esc: EscalationService,
  subjectId: string,
  official: string,
  keyPath: string,
  expect: 'escalation' | 'waiver' | 'any',
): Promise<RecordResult> {
  const subject: EscalationEvent | undefined = esc.event(subjectId);
  const kind =
    subject?.type === 'escalation-proposed'
      ? 'escalation'
      : subject?.type === 'waiver-requested'
        ? 'waiver'
        : undefined;
  if (subject === undefined || kind === undefined || (expect !== 'any' && expect !== kind))
    throw new CliError(
      'ERR_NOT_FOUND',
      `no ${expect === 'waiver' ? 'waiver request' : expect === 'escalation' ? 'escalation proposal' : 'escalation proposal or waiver request'} \`${subjectId}\` in agreement \`${esc.agreement.id}\``,
      {
        hint:
          expect === 'waiver'
            ? 'run `concordat waiver list` for the ids'
            : 'run `concordat trigger evaluate` for pending proposals and `concordat waiver list` for waivers',
      },
    );
  const key = await readInput(ctx.io, keyPath);
  const action = kind === 'escalation' ? 'approve-escalation' : 'approve-waiver';
  const signature = signApproval(key, esc.agreement, action, subject, official);
  return esc.record({
    type: 'approval',
    actor: official,
    official,
    subject: { kind, id: subject.id },
    signature,
  });
}
