/**
 * `concordat peer add` and `concordat serve` with TLS (issue 6): a partner added from its CA
 * file (comments in the config kept, nothing written when anything is wrong), then served —
 * the partner pulls discovery over mutual TLS by its certificate, the analyst API over https.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { loadNodeConfig } from '../../src/node/index.js';
import { clientTlsOptions, loadTlsIdentity, toX509 } from '../../src/tls/index.js';
import type { TrustedPeer } from '../../src/tls/index.js';
import { EXAMPLE_AGREEMENT } from '../node/fixtures.js';
import { get } from '../tls/listener-harness.js';
import { captureIo, cli, json } from './harness.js';

async function node(party: string, root: string): Promise<string> {
  const dir = join(root, party.toLowerCase());
  const r = await cli(['init', '--dir', dir, '--party', party, '--agreement', EXAMPLE_AGREEMENT]);
  expect(r.code, r.stderr).toBe(0);
  return join(dir, 'node.yaml');
}

function addBor(
  arv: string,
  bor: string,
  extra: readonly string[] = [],
): Promise<{
  code: number;
  stdout: string;
  stderr: string;
}> {
  return cli([
    '--json',
    'peer',
    'add',
    '--config',
    arv,
    '--party',
    'BOR',
    '--url',
    'https://127.0.0.1:9444/taxii2/',
    '--ca',
    join(bor, '..', 'tls', 'ca.crt'),
    '--agency',
    'BOR-CERT',
    ...extra,
  ]);
}

/** `concordat --json serve …` in process until `stop()`; resolves once the document is out. */
async function serveJson(
  config: string,
  extra: readonly string[],
): Promise<{ doc: Record<string, unknown>; stop: () => Promise<number> }> {
  const { io, out, err } = captureIo();
  let deliver: (s: string) => void = () => undefined;
  let ready: () => void = () => undefined;
  const listening = new Promise<void>((r) => (ready = r));
  const done = run(['--json', 'serve', '--port', '0', '--config', config, ...extra], {
    ...io,
    stdout: (t) => {
      io.stdout(t);
      ready();
    },
    lifecycle: {
      onShutdown: (h) => {
        deliver = h;
        return () => undefined;
      },
    },
  });
  await Promise.race([
    listening,
    done.then((code) => {
      throw new Error(`serve exited ${code}: ${err.join('')}`);
    }),
  ]);
  return {
    doc: JSON.parse(out.join('')) as Record<string, unknown>,
    stop: async () => {
      deliver('SIGTERM');
      return done;
    },
  };
}

describe('concordat peer add', () => {
  it('adds a partner: CA copied beside the config, comments kept, the config loads', async () => {
    const root = mkdtempSync(join(tmpdir(), 'concordat-peer-'));
    const [arv, bor] = [await node('ARV', root), await node('BOR', root)];
    const r = await addBor(arv, bor, ['--pin', 'AB'.repeat(32), '--pull-every', 'PT30S']);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toMatchObject({
      party: 'BOR',
      agency: 'BOR-CERT',
      ca: join(root, 'arv', 'peers', 'BOR-ca.crt'),
      pin: 'ab'.repeat(32),
      pullEvery: 'PT30S',
      caFingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const text = readFileSync(arv, 'utf8');
    expect(text).toContain("# This node's TLS identity");
    expect(text).toContain('ca: peers/BOR-ca.crt');
    const config = await loadNodeConfig(arv);
    expect(config.federation?.peers).toMatchObject([
      { party: 'BOR', ca: join(root, 'arv', 'peers', 'BOR-ca.crt'), pullEvery: { seconds: 30 } },
    ]);
    expect(readFileSync(join(root, 'arv', 'peers', 'BOR-ca.crt'), 'utf8')).toBe(
      readFileSync(join(root, 'bor', 'tls', 'ca.crt'), 'utf8'),
    );
    // Once per party.
    const again = await addBor(arv, bor);
    expect(again.code).toBe(2);
    expect(json(again)).toMatchObject({ error: { code: 'ERR_USAGE' } });
  });

  it('writes nothing for a party outside the agreements, the own party, a non-CA or unreadable --ca', async () => {
    const root = mkdtempSync(join(tmpdir(), 'concordat-peer-'));
    const [arv, bor] = [await node('ARV', root), await node('BOR', root)];
    const before = readFileSync(arv, 'utf8');
    const base = ['--json', 'peer', 'add', '--config', arv, '--url', 'https://x:1/taxii2/'];
    const ca = join(root, 'bor', 'tls', 'ca.crt');
    const cases: [readonly string[], string][] = [
      [['--party', 'ZED', '--ca', ca, '--agency', 'BOR-CERT'], 'ERR_CONFIG_INVALID'],
      [['--party', 'ARV', '--ca', ca, '--agency', 'ARV-CERT'], 'ERR_CONFIG_INVALID'],
      [['--party', 'CAL', '--ca', ca, '--agency', 'BOR-CERT'], 'ERR_CONFIG_INVALID'],
      [
        ['--party', 'BOR', '--ca', ca, '--agency', 'BOR-CERT', '--pin', 'xyz'],
        'ERR_CONFIG_INVALID',
      ],
      [
        ['--party', 'BOR', '--ca', join(root, 'bor', 'tls', 'node.crt'), '--agency', 'BOR-CERT'],
        'ERR_TLS_MATERIAL_INVALID',
      ],
      [['--party', 'BOR', '--ca', bor, '--agency', 'BOR-CERT'], 'ERR_TLS_MATERIAL_INVALID'],
      [
        ['--party', 'BOR', '--ca', join(root, 'none'), '--agency', 'BOR-CERT'],
        'ERR_INPUT_UNREADABLE',
      ],
    ];
    for (const [args, code] of cases) {
      const r = await cli([...base, ...args]);
      expect(json(r), args.join(' ')).toMatchObject({ error: { code } });
      expect(readFileSync(arv, 'utf8')).toBe(before);
      expect(existsSync(join(root, 'arv', 'peers'))).toBe(false);
    }
  });

  it('--help names every option', async () => {
    const r = await cli(['peer', 'add', '--help']);
    for (const o of ['--party', '--url', '--ca', '--pin', '--agency', '--pull-every', '--config'])
      expect(r.stdout).toContain(o);
  });
});

describe('concordat serve with tls', () => {
  it('starts the federation listener once a peer is configured: the peer pulls discovery by certificate', async () => {
    const root = mkdtempSync(join(tmpdir(), 'concordat-peer-'));
    const [arv, bor] = [await node('ARV', root), await node('BOR', root)];
    expect((await addBor(arv, bor)).code).toBe(0);
    const s = await serveJson(arv, ['--federation-port', '0']);
    try {
      const fed = s.doc.federation as { url: string; discovery: string; peers: unknown[] };
      expect(fed.url).toMatch(/^https:\/\/127\.0\.0\.1:[0-9]+$/);
      expect(fed.peers).toEqual([{ party: 'BOR', agency: 'BOR-CERT' }]);
      expect(String(s.doc.url)).toMatch(/^http:\/\//);
      const borConfig = await loadNodeConfig(bor);
      const identity = await loadTlsIdentity(borConfig.tls ?? { cert: '', key: '', ca: '' });
      const arvCa = readFileSync(join(root, 'arv', 'tls', 'ca.crt'), 'utf8');
      const peer: TrustedPeer = {
        peer: {
          party: 'ARV',
          url: fed.discovery,
          ca: '/unused',
          agency: 'ARV-CERT',
          pullEvery: { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 1, seconds: 0 },
        },
        caPem: arvCa,
        ca: toX509(arvCa),
      };
      const r = await get(fed.discovery, clientTlsOptions(identity, peer));
      expect(r.status).toBe(200);
      expect(r.body.api_roots).toEqual(['/taxii2/northsea-cti-compact/']);
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });

  it('--https serves the analyst api with the node certificate', async () => {
    const root = mkdtempSync(join(tmpdir(), 'concordat-peer-'));
    const arv = await node('ARV', root);
    const t = await cli([
      '--json',
      'token',
      'issue',
      '--agency',
      'BOR-CERT',
      '--scope',
      'read',
      '--config',
      arv,
    ]);
    const token = String(json(t).token);
    const s = await serveJson(arv, ['--https']);
    try {
      expect(s.doc.federation).toBeNull(); // no peers yet: no federation listener
      expect(String(s.doc.discovery)).toMatch(/^https:\/\/127\.0\.0\.1:[0-9]+\/taxii2\/$/);
      const ca = readFileSync(join(root, 'arv', 'tls', 'ca.crt'), 'utf8');
      const ok = await get(
        String(s.doc.discovery),
        { ca: [ca] },
        { authorization: `Bearer ${token}` },
      );
      expect(ok.status).toBe(200);
      const none = await get(String(s.doc.discovery), { ca: [ca] });
      expect(none.status).toBe(401);
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });

  it('--https on a node without tls, and federation flags without federation, are usage errors', async () => {
    const root = mkdtempSync(join(tmpdir(), 'concordat-peer-'));
    const dir = join(root, 'plain');
    expect((await cli(['init', '--dir', dir, '--party', 'ARV', '--no-tls'])).code).toBe(0);
    const config = join(dir, 'node.yaml');
    const https = await cli(['--json', 'serve', '--https', '--port', '0', '--config', config]);
    expect(json(https)).toMatchObject({ error: { code: 'ERR_USAGE' } });
    const fed = await cli(['--json', 'serve', '--federation-port', '0', '--config', config]);
    expect(json(fed)).toMatchObject({ error: { code: 'ERR_USAGE' } });
  });
});
