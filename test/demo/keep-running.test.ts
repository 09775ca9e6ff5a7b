/**
 * `concordat demo` without `--exit` (what `npm start` runs): after the story every node's
 * TAXII endpoint stays up for real clients, answers the read token the demo printed, and the
 * demo stops cleanly on SIGTERM (delivered through an injected lifecycle). Readiness is the
 * `live` step on stdout — an event, not a timer.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import type { DemoStep } from '../../src/demo/index.js';
import { TAXII_MEDIA_TYPE } from '../../src/server/index.js';
import { captureIo, manualLifecycle, tempDir } from '../cli/harness.js';

const { dir, cleanup } = tempDir();
afterAll(() => cleanup());

describe('concordat demo (keep running)', () => {
  it('serves every node’s TAXII API after the story until SIGTERM', async () => {
    const { io, out, err } = captureIo();
    const { lifecycle, subscribed, send } = manualLifecycle();
    let ready: (step: DemoStep) => void = () => undefined;
    const live = new Promise<DemoStep>((resolve) => (ready = resolve));
    const watched: CliIo = {
      ...io,
      lifecycle,
      stdout: (t) => {
        io.stdout(t);
        for (const line of t.split('\n').filter((l) => l !== '')) {
          const s = JSON.parse(line) as DemoStep;
          if (s.id === 'live') ready(s);
        }
      },
    };
    const done = run(['demo', '--json', '--speed', '1000', '--dir', join(dir, 'nodes')], watched);
    const step = await Promise.race([
      live,
      done.then((code) => {
        throw new Error(`demo exited ${code} before serving: ${err.join('')}`);
      }),
    ]);
    const nodes = step.nodes ?? [];
    expect(nodes).toHaveLength(3);
    for (const n of nodes) {
      const discovery = await fetch(n.discovery, {
        headers: { accept: TAXII_MEDIA_TYPE, authorization: `Bearer ${n.readToken.token}` },
      });
      expect(discovery.status, n.discovery).toBe(200);
      const body = (await discovery.json()) as { api_roots: string[] };
      expect(body.api_roots).toHaveLength(1);
      // The curl line the demo prints names a collection the token may read, with objects in it.
      const url = /(http:\/\/\S+\/objects\/)$/.exec(n.curl)?.[1] ?? '';
      const objects = await fetch(url, {
        headers: { accept: TAXII_MEDIA_TYPE, authorization: `Bearer ${n.readToken.token}` },
      });
      expect(objects.status, url).toBe(200);
      expect(((await objects.json()) as { objects?: unknown[] }).objects?.length).toBeGreaterThan(
        0,
      );
      const refused = await fetch(n.discovery, {
        headers: { accept: TAXII_MEDIA_TYPE, authorization: 'Bearer cct_not-a-token' },
      });
      expect(refused.status).toBe(401);
    }
    expect(subscribed(), 'demo subscribed to shutdown signals').toBe(true);
    send('SIGTERM');
    expect(await done).toBe(0);
    expect(out.join('')).not.toContain('"ok":false');
    const after = await fetch(nodes[0]?.discovery ?? '').then(
      () => 'answered',
      () => 'closed',
    );
    expect(after).toBe('closed');
  }, 60_000);
});
