/**
 * `concordat … | head`: a reader that closes the pipe early gets a quiet exit, not an EPIPE
 * stack trace. Runs the real entry point in a child process whose stdout is closed before it
 * writes.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

it('exits quietly with status 0 when stdout is closed before it writes', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'ingest', '--help'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Close our end at once: every write the child makes hits a closed pipe.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(stderr).not.toMatch(/EPIPE|Unhandled/);
  expect(code).toBe(0);
});
