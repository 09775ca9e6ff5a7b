/**
 * `concordat approve PROPOSAL_ID --official O --key KEY.pem`: a designated official signs an
 * escalation proposal (Ed25519 over the domain-separated approval message, docs/spec/
 * escalation.md "Approval") and the node records it; the level rises at the approval that
 * completes the quorum.
 */
import type { Command } from 'commander';
import { action, type RunState } from '../context.js';
import type { CliIo } from '../io.js';
import {
  addEscalationOptions,
  iso,
  printWritten,
  signAndApprove,
  withEscalation,
  writtenView,
} from './level-shared.js';
import type { EscalationOptions } from './level-shared.js';

interface ApproveOptions extends EscalationOptions {
  official: string;
  key: string;
}

/** Registers `concordat approve`. */
export function registerApprove(program: Command, io: CliIo, state: RunState): void {
  addEscalationOptions(
    program
      .command('approve')
      .description('sign and record an official’s approval of an escalation proposal')
      .argument('<proposal-id>', 'the proposal (see `concordat trigger evaluate`)')
      .requiredOption('--official <id>', 'the designated official approving')
      .requiredOption('--key <file>', "the official's Ed25519 private key (PKCS#8 PEM)"),
  )
    .addHelpText(
      'after',
      `
The approval counts when the official is designated in the agreement, holds one of the
trigger's approval roles, and the signature verifies against the official's key pinned in the
agreement or, when it pins none, the node config's \`official_keys\`. An approval that would not
count is refused and not written. Waiver requests are approved with \`concordat waiver approve\`.

Example:
  $ concordat approve 3f0c… --official CAL-LIAISON --key cal-liaison.pem
  approved by CAL-LIAISON: quorum met, level severe since 2026-03-03T17:00:00.000Z`,
    )
    .action(
      action(io, state, async (ctx, id: string, opts: ApproveOptions) => {
        const result = await withEscalation(ctx, opts, (esc) =>
          signAndApprove(ctx, esc, id, opts.official, opts.key, 'escalation'),
        );
        const s = result.state;
        const proposal = s.proposals.find((p) => p.id === id);
        const level = s.current.level;
        if (ctx.json) {
          ctx.emitJson({
            ...writtenView(result),
            proposal: proposal?.status,
            level: level.id,
            levelSince: iso(level.since),
          });
          return;
        }
        const valid = proposal?.approvals.filter((a) => a.problems.length === 0).length ?? 0;
        ctx.line(
          proposal?.status === 'approved'
            ? `${ctx.style.green('approved')} by ${opts.official}: quorum met, level ${level.id} since ${iso(level.since)}`
            : `${ctx.style.green('approved')} by ${opts.official}: ${valid} valid approval${valid === 1 ? '' : 's'} so far, proposal ${proposal?.status ?? '?'}`,
        );
        printWritten(ctx, result);
      }),
    );
}
