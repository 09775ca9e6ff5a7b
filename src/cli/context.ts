/**
 * What every command's action receives: the injected io, the global flags, a style, and
 * helpers to write human lines, the one JSON document, and progress bars.
 */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { CliIo } from './io.js';
import { colorWanted, makeStyle, type Style } from './style.js';

/** The global options, valid on every command. */
export interface GlobalOptions {
  readonly json: boolean;
  readonly color: boolean;
  readonly debug: boolean;
}

/** The outcome a run accumulates: the exit code the commands asked for. */
export interface RunState {
  exitCode: number;
}

/** A progress bar that may be drawn (TTY stderr, not `--json`) or may be a no-op. */
export interface Progress {
  tick(): void;
  /** `n` steps at once. */
  advance(n: number): void;
  stop(): void;
}

/** What a command action works with. */
export interface CommandContext {
  readonly io: CliIo;
  readonly json: boolean;
  readonly debug: boolean;
  readonly style: Style;
  /** Writes one line of human output to stdout. */
  line(text?: string): void;
  /** Writes the one JSON document of a `--json` run to stdout. */
  emitJson(value: unknown): void;
  /** Asks for at least this exit code (the highest requested wins). */
  fail(exitCode: number): void;
  /** A progress bar over `total` steps, on stderr, only when it is a terminal. */
  progress(total: number, label: string): Progress;
}

/** Reads the global options from a command (they are declared on the root). */
export function globalOptions(command: Command): GlobalOptions {
  const o = command.optsWithGlobals<{ json?: boolean; color?: boolean; debug?: boolean }>();
  return { json: o.json === true, color: o.color !== false, debug: o.debug === true };
}

const NO_PROGRESS: Progress = {
  tick: () => undefined,
  advance: () => undefined,
  stop: () => undefined,
};

/** Builds the context for one action. */
export function makeContext(io: CliIo, globals: GlobalOptions, state: RunState): CommandContext {
  const style = makeStyle(!globals.json && colorWanted(globals.color, io.env, io.stdoutIsTTY));
  return {
    io,
    json: globals.json,
    debug: globals.debug,
    style,
    line: (text = '') => io.stdout(text + '\n'),
    emitJson: (value) => io.stdout(JSON.stringify(value, null, 2) + '\n'),
    fail: (exitCode) => {
      state.exitCode = Math.max(state.exitCode, exitCode);
    },
    progress: (total, label) => {
      const stream = io.progressStream;
      if (globals.json || stream === undefined || stream.isTTY !== true || total < 2)
        return NO_PROGRESS;
      const bar = new cliProgress.SingleBar(
        {
          stream: stream as NodeJS.WritableStream,
          format: `${label} [{bar}] {value}/{total}`,
          clearOnComplete: true,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
      return {
        tick: () => bar.increment(),
        advance: (n) => bar.increment(n),
        stop: () => bar.stop(),
      };
    },
  };
}

/**
 * Wraps a command handler as a commander action: commander passes the positional arguments,
 * then the options, then the command; the handler gets the context first.
 */
export function action<A extends unknown[]>(
  io: CliIo,
  state: RunState,
  handler: (ctx: CommandContext, ...args: A) => Promise<void>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const ctx = makeContext(io, globalOptions(command), state);
    await handler(ctx, ...(args.slice(0, -1) as A));
  };
}
