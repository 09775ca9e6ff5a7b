/**
 * `concordat serve` in process: listens (port 0), prints discovery and how to get a token,
 * reads tokens from the store on every request (a revocation by another command takes effect
 * at once), stops cleanly on SIGTERM, refuses non-loopback hosts and bad ports.
 */
import { describe, expect, it } from 'vitest';
import { TAXII_MEDIA_TYPE } from '../../src/server/index.js';
import { run } from '../../src/cli/run.js';
import { captureIo, cli, json } from './harness.js';
import { freshNode, issueToken, serve } from '../server/e2e-harness.js';

const headers = (token?: string): Record<string, string> => ({
  accept: TAXII_MEDIA_TYPE,
  ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
});

describe('concordat serve', () => {
  it('serves discovery to a token holder, 401 otherwise; a revocation applies at once; SIGTERM stops it', async () => {
    const { config } = await freshNode();
    const { token, id } = await issueToken(config, 'BOR-CERT');
    const s = await serve(config);
    expect(s.stdout()).toContain('get a token: concordat token issue --agency AGENCY');
    expect(s.stdout()).toContain(`api root:  ${s.base}/taxii2/northsea-cti-compact/`);
    // init wrote `federation:` with no peers yet: no listener no one may connect to.
    expect(s.stdout()).toContain('federation: not started, no peers yet');
    const ok = await fetch(`${s.base}/taxii2/`, { headers: headers(token) });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { api_roots: string[] }).api_roots).toEqual([
      '/taxii2/northsea-cti-compact/',
    ]);
    expect((await fetch(`${s.base}/taxii2/`, { headers: headers() })).status).toBe(401);
    // Revoked by another command while the server runs: refused on the next request.
    expect((await cli(['token', 'revoke', id, '--config', config])).code).toBe(0);
    expect((await fetch(`${s.base}/taxii2/`, { headers: headers(token) })).status).toBe(401);
    expect(await s.stop()).toBe(0);
    expect(s.stdout()).toMatch(/stopped on SIGTERM\n$/);
    await expect(fetch(`${s.base}/taxii2/`, { headers: headers(token) })).rejects.toThrow();
  });

  it('--json prints one document with the urls', async () => {
    const { config } = await freshNode();
    const { io, out } = captureIo();
    let stop: (s: string) => void = () => undefined;
    let ready: () => void = () => undefined;
    const listening = new Promise<void>((r) => (ready = r));
    const done = run(['--json', 'serve', '--port', '0', '--config', config], {
      ...io,
      stdout: (t) => {
        io.stdout(t);
        ready();
      },
      lifecycle: {
        onShutdown: (h) => {
          stop = h;
          return () => undefined;
        },
      },
    });
    await listening;
    stop('SIGINT');
    expect(await done).toBe(0);
    const doc = JSON.parse(out.join('')) as Record<string, unknown>;
    expect(doc).toMatchObject({
      origin: 'concordat.arv.node',
      decisionState: 'escalation',
      tokens: 0,
    });
    expect(String(doc.discovery)).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+\/taxii2\/$/);
  });

  it('refuses a non-loopback host (plain http until mutual tls) and a bad port', async () => {
    const { config } = await freshNode();
    const host = await cli(['--json', 'serve', '--host', '0.0.0.0', '--config', config]);
    expect(host.code).toBe(2);
    expect(json(host)).toMatchObject({ error: { code: 'ERR_USAGE' } });
    expect(String((json(host).error as { message: string }).message)).toContain(
      'not a loopback address',
    );
    const port = await cli(['--json', 'serve', '--port', '70000', '--config', config]);
    expect(json(port)).toMatchObject({ error: { code: 'ERR_USAGE' } });
  });
});
