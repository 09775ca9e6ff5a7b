/**
 * Runs the CLI in process with captured output, a fixed clock and an optional stdin.
 */
import { Readable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock, parseInstant, type Clock } from '../../src/core/index.js';
import type { CliIo, Lifecycle } from '../../src/cli/io.js';
import { nodeFs } from '../../src/cli/node-io.js';
import { run } from '../../src/cli/run.js';

/** The instant tests run at unless told otherwise. */
export const TEST_NOW = '2026-03-03T14:00:00Z';

export const EXAMPLE = 'examples/agreements/northsea-compact.yaml';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly stdin?: string;
  readonly env?: Record<string, string | undefined>;
  readonly clock?: Clock;
  readonly fs?: Partial<CliIo['fs']>;
}

/** Builds an io that captures stdout and stderr. */
export function captureIo(options: RunOptions = {}): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const now = parseInstant(TEST_NOW) ?? 0;
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: options.env ?? {},
    clock: options.clock ?? fixedClock(now),
    fs: { ...nodeFs(Readable.from([options.stdin ?? ''])), ...options.fs },
    cwd: process.cwd(),
    stdoutIsTTY: false,
  };
  return { io, out, err };
}

/** Runs `concordat ...args` in process. */
export async function cli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const { io, out, err } = captureIo(options);
  const code = await run(args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** Parses stdout as the one JSON document of a `--json` run. */
export function json(result: CliResult): Record<string, unknown> {
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

/** A fresh temporary directory and its cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'concordat-cli-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A lifecycle a test signals by hand: `send('SIGTERM')` stops a long-running command
 * (`serve`, `demo`); `subscribed()` tells whether the command is listening.
 */
export function manualLifecycle(): {
  lifecycle: Lifecycle;
  subscribed(): boolean;
  send(signal: string): void;
} {
  let deliver: ((signal: string) => void) | undefined;
  return {
    lifecycle: {
      onShutdown(handler) {
        deliver = handler;
        return () => {
          deliver = undefined;
        };
      },
    },
    subscribed: () => deliver !== undefined,
    send: (signal) => deliver?.(signal),
  };
}
