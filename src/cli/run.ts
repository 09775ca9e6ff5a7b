/**
 * The CLI as a function: `run(argv, io)` parses the arguments, runs one command against the
 * injected io, and resolves to the exit code. It never calls `process.exit` and never touches
 * the process's streams, so tests run it in process (fastify `inject` style).
 *
 * Exit codes come from the error registry (docs/errors.md): 0 success, 1 the thing checked is
 * bad (invalid agreement, failed verification), 2 usage, 3 unreadable input, 70 a bug.
 */
import { Command, CommanderError } from 'commander';
import { ConcordatError } from '../core/index.js';
import { CliError } from './cli-error.js';
import { registerAgreementCommands } from './commands/agreement.js';
import { registerApprove } from './commands/approve.js';
import { registerDecide } from './commands/decide.js';
import { registerDemo } from './commands/demo.js';
import { registerIngest } from './commands/ingest.js';
import { registerInit } from './commands/init.js';
import { registerKeyCommands } from './commands/key.js';
import { registerLedgerCommands } from './commands/ledger.js';
import { registerLevelCommands } from './commands/level.js';
import { registerPause } from './commands/pause.js';
import { registerPeerCommands } from './commands/peer.js';
import { registerPull } from './commands/pull.js';
import { registerReconcile } from './commands/reconcile.js';
import { registerResume } from './commands/resume.js';
import { registerRiskCommands } from './commands/risk.js';
import { registerServe } from './commands/serve.js';
import { registerOversightCommands } from './commands/oversight.js';
import { registerShred } from './commands/shred.js';
import { registerTlsCommands } from './commands/tls.js';
import { registerTokenCommands } from './commands/token.js';
import { registerTriggerCommands } from './commands/trigger.js';
import { registerWalkthrough } from './commands/walkthrough.js';
import { registerWaiverCommands } from './commands/waiver.js';
import type { RunState } from './context.js';
import type { CliIo } from './io.js';
import { packageVersion } from './package-root.js';
import { internalError, renderError } from './render-error.js';

const ROOT_HELP_AFTER = `
Global options work on every command: --json, --no-color, --debug.

Exit codes:
  0   success (and every decision, allow or deny, unless --fail-on-deny)
  1   the thing checked is bad: invalid agreement, failed verification, denied with --fail-on-deny
  2   usage: a missing or wrong argument (ERR_USAGE, ERR_INSTANT_INVALID, ...)
  3   an input could not be read or parsed (ERR_INPUT_UNREADABLE, ERR_INPUT_SYNTAX)
  70  a bug in concordat (ERR_INTERNAL)

Start with:
  concordat demo              (what npm start runs: three nations on loopback)
  concordat walkthrough
  concordat agreement validate examples/agreements/northsea-compact.yaml
  concordat agreement explain examples/agreements/northsea-compact.yaml`;

/** Builds the command tree. Exported for tests that inspect it (help for every command). */
export function buildProgram(io: CliIo, state: RunState, version: string): Command {
  const program = new Command('concordat');
  program
    .description('Concordat: intelligence-cooperation agreements as enforced, auditable software.')
    .version(version, '-V, --version', 'print the version')
    .option('--json', 'machine output: one JSON document on stdout (errors too)')
    .option('--no-color', 'no colours in human output (also: NO_COLOR=1)')
    .option('--debug', 'print the stack of an internal error')
    .helpOption('-h, --help', 'show help for a command')
    .helpCommand(false)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      // Commander's own error line is replaced by ours (see `run`).
      outputError: () => undefined,
    })
    .addHelpText('after', ROOT_HELP_AFTER);

  registerAgreementCommands(program, io, state);
  registerKeyCommands(program, io, state);
  registerDecide(program, io, state);
  registerWalkthrough(program, io, state);
  registerDemo(program, io, state);
  registerInit(program, io, state);
  registerIngest(program, io, state);
  registerLedgerCommands(program, io, state);
  registerShred(program, io, state);
  registerOversightCommands(program, io, state);
  registerServe(program, io, state);
  registerPeerCommands(program, io, state);
  registerPull(program, io, state);
  registerReconcile(program, io, state);
  registerTlsCommands(program, io, state);
  registerTokenCommands(program, io, state);
  registerRiskCommands(program, io, state);
  registerLevelCommands(program, io, state);
  registerTriggerCommands(program, io, state);
  registerWaiverCommands(program, io, state);
  registerPause(program, io, state);
  registerResume(program, io, state);
  registerApprove(program, io, state);
  return program;
}

/** Flags read straight from argv, for errors raised before commander has parsed them. */
function rawFlags(argv: readonly string[]): { json: boolean; debug: boolean; color: boolean } {
  const end = argv.indexOf('--');
  const head = end === -1 ? argv : argv.slice(0, end);
  return {
    json: head.includes('--json'),
    debug: head.includes('--debug'),
    color: !head.includes('--no-color'),
  };
}

/** The subcommand path the user named (`concordat agreement validate`), for hints. */
function commandPath(program: Command, argv: readonly string[]): string {
  const names = ['concordat'];
  let current: Command = program;
  for (const token of argv) {
    if (token.startsWith('-')) continue;
    const sub = current.commands.find((c) => c.name() === token || c.aliases().includes(token));
    if (sub === undefined) break;
    names.push(sub.name());
    current = sub;
  }
  return names.join(' ');
}

/**
 * Runs the CLI with `argv` (the arguments after the program name) and resolves to the exit
 * code. Output goes only to `io.stdout` / `io.stderr`.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const state: RunState = { exitCode: 0 };
  const flags = rawFlags(argv);
  let program: Command | undefined;
  try {
    program = buildProgram(io, state, await packageVersion(io));
    await program.parseAsync([...argv], { from: 'user' });
    return state.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end with exit code 0.
      if (err.exitCode === 0) return 0;
      const path = program === undefined ? 'concordat' : commandPath(program, argv);
      // A group called without a subcommand: commander has printed its help on stderr.
      if (err.code === 'commander.help') {
        if (flags.json)
          return renderError(
            io,
            new CliError('ERR_USAGE', `\`${path}\` needs a subcommand`),
            flags,
          );
        return 2;
      }
      const message = err.message.replace(/^error: /, '');
      return renderError(
        io,
        new CliError('ERR_USAGE', message, {
          details: { commander: err.code },
          hint: `run \`${path} --help\` for usage`,
        }),
        flags,
      );
    }
    if (err instanceof ConcordatError) return renderError(io, err, flags);
    return renderError(io, internalError(err), flags);
  }
}
