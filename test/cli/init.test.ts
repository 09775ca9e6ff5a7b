/** `concordat init`: a node that works at once, secrets 0600, never overwritten. */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, json } from './harness.js';
import { EXAMPLE_AGREEMENT } from '../node/fixtures.js';
import { loadNodeConfig } from '../../src/node/index.js';

function fresh(): string {
  return mkdtempSync(join(tmpdir(), 'concordat-init-'));
}

describe('concordat init', () => {
  it('creates keys (0600), an empty keyring, agreement copies and a node.yaml that opens', async () => {
    const root = fresh();
    const dir = join(root, 'arv');
    const r = await cli(['init', '--dir', dir, '--party', 'ARV', '--agreement', EXAMPLE_AGREEMENT]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('created node concordat.arv.node');
    expect(r.stdout).toContain('next:');
    expect(r.stdout).toContain(`concordat ingest BUNDLE.json --config`);
    for (const f of ['node.key.pem', 'keyring.key', 'keyring.json'])
      expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600);
    expect(readFileSync(join(dir, 'node.yaml'), 'utf8')).toContain(
      'file: "agreements/northsea-compact.yaml"',
    );
    expect(existsSync(join(dir, 'agreements', 'northsea-compact.yaml'))).toBe(true);
    // Works at once: the ledger verifies, with the empty checkpoint init signed.
    const v = await cli(['--json', 'ledger', 'verify', '--config', join(dir, 'node.yaml')]);
    expect(v.code, v.stdout).toBe(0);
    expect(json(v)).toMatchObject({ ok: true, size: 0, checkpoints: 1 });
  });

  it('uses ./.concordat and CONCORDAT_CONFIG-free defaults from the working directory', async () => {
    const root = fresh();
    const { captureIo } = await import('./harness.js');
    const { run } = await import('../../src/cli/run.js');
    const { io, out } = captureIo();
    const here = { ...io, cwd: root };
    expect(await run(['init', '--party', 'BOR'], here)).toBe(0);
    expect(existsSync(join(root, '.concordat', 'node.yaml'))).toBe(true);
    expect(out.join('')).toContain('concordat ingest BUNDLE.json\n');
    expect(await run(['ledger', 'head'], here)).toBe(0);
    expect(out.join('')).toContain('verifier key: concordat.bor.node+');
  });

  it('refuses to overwrite a node (exit 1) and says how to remove it; nothing changes', async () => {
    const dir = join(fresh(), 'arv');
    expect((await cli(['init', '--dir', dir, '--party', 'ARV'])).code).toBe(0);
    const key = readFileSync(join(dir, 'node.key.pem'), 'utf8');
    const again = await cli(['init', '--dir', dir, '--party', 'ARV']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('ERR_NODE_EXISTS');
    expect(again.stderr).toContain(`rm -r ${dir}`);
    expect(readFileSync(join(dir, 'node.key.pem'), 'utf8')).toBe(key);
  });

  it('leaves nothing behind when an agreement does not load or the party is not in it', async () => {
    const root = fresh();
    const missing = await cli([
      'init',
      '--dir',
      join(root, 'a'),
      '--party',
      'ARV',
      '--agreement',
      join(root, 'nope.yaml'),
    ]);
    expect(missing.code).toBe(3);
    expect(existsSync(join(root, 'a'))).toBe(false);
    const stranger = await cli([
      'init',
      '--dir',
      join(root, 'b'),
      '--party',
      'ZED',
      '--agreement',
      EXAMPLE_AGREEMENT,
    ]);
    expect(stranger.code).toBe(2);
    expect(stranger.stderr).toContain('ERR_CONFIG_INVALID');
    expect(stranger.stderr).toContain('party `ZED` is not a party of agreement');
    expect(existsSync(join(root, 'b'))).toBe(false);
  });

  it('--json names every file and the verifier key, never a key', async () => {
    const dir = join(fresh(), 'arv');
    const r = await cli(['--json', 'init', '--dir', dir, '--party', 'ARV']);
    expect(r.code).toBe(0);
    const j = json(r);
    expect(j).toMatchObject({ dir, origin: 'concordat.arv.node' });
    expect(String(j.verifierKey)).toMatch(/^concordat\.arv\.node\+[0-9a-f]{8}\+/);
    expect(r.stdout).not.toContain('PRIVATE KEY');
  });

  it('creates a development CA and node certificate (keys 0600) and a tls + federation config that serves at once', async () => {
    const dir = join(fresh(), 'arv');
    const r = await cli([
      '--json',
      'init',
      '--dir',
      dir,
      '--party',
      'ARV',
      '--agreement',
      EXAMPLE_AGREEMENT,
      '--federation-port',
      '9555',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r).tls).toEqual({
      ca: join(dir, 'tls', 'ca.crt'),
      caKey: join(dir, 'tls', 'ca.key'),
      cert: join(dir, 'tls', 'node.crt'),
      key: join(dir, 'tls', 'node.key'),
    });
    for (const f of ['ca.key', 'node.key'])
      expect(statSync(join(dir, 'tls', f)).mode & 0o777, f).toBe(0o600);
    const config = await loadNodeConfig(join(dir, 'node.yaml'));
    expect(config.tls).toEqual({
      cert: join(dir, 'tls', 'node.crt'),
      key: join(dir, 'tls', 'node.key'),
      ca: join(dir, 'tls', 'ca.crt'),
    });
    expect(config.federation).toEqual({ listen: { host: '127.0.0.1', port: 9555 }, peers: [] });
    const cert = new X509Certificate(readFileSync(join(dir, 'tls', 'node.crt')));
    expect(cert.subject).toBe('CN=concordat.arv.node\nO=ARV');
    expect(cert.checkIssued(new X509Certificate(readFileSync(join(dir, 'tls', 'ca.crt'))))).toBe(
      true,
    );
    // `tls show` reads it back: what a partner needs.
    const show = await cli(['--json', 'tls', 'show', '--config', join(dir, 'node.yaml')]);
    expect(show.code, show.stderr).toBe(0);
    expect(json(show)).toMatchObject({
      party: 'ARV',
      certificate: {
        subject: 'CN=concordat.arv.node, O=ARV',
        fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      ca: { path: join(dir, 'tls', 'ca.crt') },
      federation: { url: 'https://127.0.0.1:9555/taxii2/', peers: 0 },
    });
  });

  it('--no-tls writes neither certificates nor the tls and federation sections', async () => {
    const dir = join(fresh(), 'arv');
    const r = await cli(['init', '--dir', dir, '--party', 'ARV', '--no-tls']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'tls'))).toBe(false);
    const config = await loadNodeConfig(join(dir, 'node.yaml'));
    expect(config.tls).toBeUndefined();
    expect(config.federation).toBeUndefined();
    const show = await cli(['--json', 'tls', 'show', '--config', join(dir, 'node.yaml')]);
    expect(show.code).toBe(2);
    expect(json(show)).toMatchObject({ error: { code: 'ERR_USAGE' } });
  });
});
