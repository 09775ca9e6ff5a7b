/** The `ledger` command group: verify, head, prove, consistency, export. */
import type { Command } from 'commander';
import type { RunState } from '../context.js';
import type { CliIo } from '../io.js';
import { registerLedgerExport } from './ledger-export.js';
import { registerLedgerHead } from './ledger-head.js';
import { registerLedgerConsistency, registerLedgerProve } from './ledger-prove.js';
import { registerLedgerVerify } from './ledger-verify.js';

/** Registers `concordat ledger …`. */
export function registerLedgerCommands(program: Command, io: CliIo, state: RunState): void {
  const ledger = program
    .command('ledger')
    .description(
      "verify the node's ledger, show its signed head, prove inclusion and consistency, export it",
    )
    .helpCommand(false);
  registerLedgerVerify(ledger, io, state);
  registerLedgerHead(ledger, io, state);
  registerLedgerProve(ledger, io, state);
  registerLedgerConsistency(ledger, io, state);
  registerLedgerExport(ledger, io, state);
}
