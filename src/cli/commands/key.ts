/** The `key` command group. */
import type { Command } from 'commander';
import type { RunState } from '../context.js';
import type { CliIo } from '../io.js';
import { registerKeyGenerate } from './key-generate.js';

/** Registers `concordat key …`. */
export function registerKeyCommands(program: Command, io: CliIo, state: RunState): void {
  const key = program.command('key').description('manage signing keys').helpCommand(false);
  registerKeyGenerate(key, io, state);
}
