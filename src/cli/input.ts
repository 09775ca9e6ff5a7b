/**
 * Reading the CLI's inputs, with errors that name the path and say what to do: files (`-` is
 * standard input), JSON files, and option values such as `--at`.
 */
import { parseDuration, parseInstant, type Clock, type Duration } from '../core/index.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './io.js';

function errnoCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** The display name of an input path (`-` is shown as `<stdin>`). */
export function displayName(path: string): string {
  return path === '-' ? '<stdin>' : path;
}

/** Reads a text input; `-` reads standard input. Throws `ERR_INPUT_UNREADABLE`. */
export async function readInput(io: CliIo, path: string): Promise<string> {
  try {
    return path === '-' ? await io.fs.readStdin() : await io.fs.readText(path);
  } catch (err) {
    const code = errnoCode(err);
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : (code ?? 'read failed');
    throw new CliError('ERR_INPUT_UNREADABLE', `cannot read \`${displayName(path)}\`: ${why}`, {
      details: { path, reason: code ?? 'unknown' },
      hint: 'check the path (relative to the current directory) and its permissions',
    });
  }
}

/** Reads and parses a JSON input. Throws `ERR_INPUT_UNREADABLE` or `ERR_INPUT_SYNTAX`. */
export async function readJsonInput(io: CliIo, path: string): Promise<unknown> {
  const text = await readInput(io, path);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliError(
      'ERR_INPUT_SYNTAX',
      `\`${displayName(path)}\` is not valid json: ${err instanceof Error ? err.message : String(err)}`,
      { details: { path }, hint: 'fix the json syntax and try again' },
    );
  }
}

/** `--at TIME` (RFC 3339 or a date) → epoch ms; the clock's now when absent. */
export function parseAtOption(text: string | undefined, clock: Clock, option = '--at'): number {
  if (text === undefined) return clock.now();
  const t = parseInstant(text);
  if (t === undefined)
    throw new CliError(
      'ERR_INSTANT_INVALID',
      `\`${option}\` value \`${text}\` is not a timestamp`,
      {
        details: { option, value: text },
        hint: 'write an rfc 3339 timestamp such as `2026-03-03T14:00:00Z`, or a date `2026-03-03`',
      },
    );
  return t;
}

/** An ISO 8601 duration option value. */
export function parseDurationOption(text: string, option: string): Duration {
  const d = parseDuration(text);
  if (d === undefined)
    throw new CliError(
      'ERR_DURATION_INVALID',
      `\`${option}\` value \`${text}\` is not a duration`,
      {
        details: { option, value: text },
        hint: 'write durations as `P90D`, `PT72H` or `P1Y6M`',
      },
    );
  return d;
}
