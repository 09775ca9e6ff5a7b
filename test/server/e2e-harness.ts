/**
 * Runs `concordat serve --port 0` in process over a fresh node (`concordat init` first) and
 * hands back its base URL and a way to stop it — as SIGTERM would — through an injected
 * lifecycle. Readiness is the discovery line on stdout (an event, not a timer).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { run } from '../../src/cli/run.js';
import type { CliIo } from '../../src/cli/io.js';
import { captureIo, cli, json, manualLifecycle } from '../cli/harness.js';
import type { RunOptions } from '../cli/harness.js';
import { EXAMPLE_AGREEMENT } from '../node/fixtures.js';

/** A fresh node directory with the example agreement, party ARV. */
export async function freshNode(): Promise<{ dir: string; config: string }> {
  const dir = join(mkdtempSync(join(tmpdir(), 'concordat-serve-')), 'n');
  const r = await cli(['init', '--dir', dir, '--party', 'ARV', '--agreement', EXAMPLE_AGREEMENT]);
  expect(r.code, r.stderr).toBe(0);
  return { dir, config: join(dir, 'node.yaml') };
}

/** Issues a token through the CLI and returns its text. */
export async function issueToken(
  config: string,
  agency: string,
  scope = 'read',
  options: RunOptions = {},
): Promise<{ token: string; id: string }> {
  const r = await cli(
    ['--json', 'token', 'issue', '--agency', agency, '--scope', scope, '--config', config],
    options,
  );
  expect(r.code, r.stderr).toBe(0);
  const j = json(r);
  return { token: String(j.token), id: String(j.id) };
}

/** A running in-process `concordat serve`. */
export interface Serving {
  readonly base: string;
  readonly stdout: () => string;
  /** Delivers SIGTERM through the lifecycle and resolves to the exit code. */
  stop(): Promise<number>;
}

/** Starts `concordat serve --port 0 --config <config> ...extra`. */
export async function serve(
  config: string,
  extra: readonly string[] = [],
  options: RunOptions = {},
): Promise<Serving> {
  const { io, out, err } = captureIo(options);
  const { lifecycle, subscribed, send } = manualLifecycle();
  let ready: (base: string) => void = () => undefined;
  const started = new Promise<string>((resolve) => (ready = resolve));
  const watched: CliIo = {
    ...io,
    lifecycle,
    stdout: (t) => {
      io.stdout(t);
      const m = /discovery: (http:\/\/\S+)\/taxii2\//.exec(out.join(''));
      if (m !== null) ready(m[1] as string);
    },
  };
  const done = run(['serve', '--port', '0', '--config', config, ...extra], watched);
  const base = await Promise.race([
    started,
    done.then((code) => {
      throw new Error(`serve exited ${code} before listening: ${err.join('')}`);
    }),
  ]);
  return {
    base,
    stdout: () => out.join(''),
    async stop() {
      expect(subscribed(), 'serve subscribed to shutdown signals').toBe(true);
      send('SIGTERM');
      return done;
    },
  };
}
