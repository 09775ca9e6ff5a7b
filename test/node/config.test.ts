/** Node config: the schema file, defaults, path resolution, and clear, located errors. */
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isConcordatError } from '../../src/core/index.js';
import {
  NODE_CONFIG_SCHEMA,
  initNode,
  loadNodeConfig,
  openNode,
  openNodeTls,
  parseNodeConfig,
} from '../../src/node/index.js';

const MINIMAL = `party: ARV
keyring:
  passphrase_env: ARV_KEYRING_PASS
signing_key: keys/node.key.pem
`;

function issuesOf(text: string): { path: string; line: number; column: number; message: string }[] {
  try {
    parseNodeConfig(text, '/etc/concordat/node.yaml');
  } catch (err) {
    if (isConcordatError(err, 'ERR_CONFIG_INVALID'))
      return err.details as { path: string; line: number; column: number; message: string }[];
    throw err;
  }
  throw new Error('expected ERR_CONFIG_INVALID');
}

describe('node config', () => {
  it('docs/node-config.schema.json is the schema the loader checks', () => {
    const doc = JSON.parse(
      readFileSync(new URL('../../docs/node-config.schema.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(doc).toEqual(JSON.parse(JSON.stringify(NODE_CONFIG_SCHEMA)));
  });

  it('fills defaults and resolves relative paths against the config directory', () => {
    const c = parseNodeConfig(MINIMAL, '/etc/concordat/node.yaml');
    expect(c).toMatchObject({
      party: 'ARV',
      name: 'node',
      origin: 'concordat.arv.node',
      dataDir: '/etc/concordat',
      store: { kind: 'sqlite', path: '/etc/concordat/concordat.db' },
      keyring: {
        path: '/etc/concordat/keyring.json',
        unlock: { passphraseEnv: 'ARV_KEYRING_PASS' },
      },
      signingKey: '/etc/concordat/keys/node.key.pem',
      agreements: [],
      listen: { host: '127.0.0.1', port: 8443 },
      limits: { maxBundleBytes: 64 * 1024 * 1024, retention: { days: 365 } },
    });
    const pg = parseNodeConfig(
      `${MINIMAL}data_dir: /var/lib/arv\nstore:\n  postgres:\n    url_env: ARV_PG\n`,
      '/etc/concordat/node.yaml',
    );
    expect(pg.store).toEqual({ kind: 'postgres', urlEnv: 'ARV_PG' });
    expect(pg.keyring.path).toBe('/var/lib/arv/keyring.json');
  });

  it('names an unknown key where it is written, with a suggestion', () => {
    const issues = issuesOf(`${MINIMAL}listn:\n  port: 1\n`);
    expect(issues).toEqual([expect.objectContaining({ path: 'listn', line: 5, column: 1 })]);
    expect(issues[0]?.message).toContain('did you mean `listen`?');
    const nested = issuesOf(MINIMAL.replace('passphrase_env', 'passphrase'));
    expect(nested[0]).toMatchObject({ path: 'keyring.passphrase', line: 3, column: 3 });
  });

  it('lists every issue: wrong types, both unlock methods, two stores, bad duration', () => {
    const issues = issuesOf(`party: ARV
keyring:
  passphrase_env: X
  key_file: k
signing_key: 42
store:
  sqlite: { path: a.db }
  postgres: { url: postgres://x/y }
listen: { port: 70000 }
limits: { retention: 90 days }
`);
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['signing_key', 'store', 'listen.port', 'limits.retention']),
    );
    expect(issues.find((i) => i.path === 'listen.port')).toMatchObject({ line: 9 });
    const both = issuesOf(MINIMAL.replace('signing_key', '  key_file: k\nsigning_key'));
    expect(both[0]?.message).toContain('not both');
  });

  it('reports yaml syntax errors and unreadable files clearly', async () => {
    expect(issuesOf('party: [ARV\n')[0]?.line).toBeGreaterThan(0);
    await expect(loadNodeConfig('/nonexistent/node.yaml')).rejects.toMatchObject({
      code: 'ERR_INPUT_UNREADABLE',
    });
  });

  it('says which environment variable is missing for the keyring passphrase, and where it is configured', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'concordat-config-')), 'n');
    const made = await initNode({ dir, party: 'ARV' });
    writeFileSync(
      made.config,
      readFileSync(made.config, 'utf8').replace(
        'key_file: keyring.key',
        'passphrase_env: ARV_PASS',
      ),
    );
    const err: unknown = await openNode(await loadNodeConfig(made.config), { env: {} }).catch(
      (e: unknown) => e,
    );
    expect(isConcordatError(err, 'ERR_KEYRING_LOCKED')).toBe(true);
    expect((err as Error).message).toMatch(/`ARV_PASS` is not set .*node\.yaml:\d+:\d+/);
  });

  it('refuses a party that is not in an agreement, and a missing agreement file, at their lines', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'concordat-config-')), 'n');
    const agreement = new URL('../../examples/agreements/northsea-compact.yaml', import.meta.url)
      .pathname;
    const made = await initNode({ dir, party: 'ZED', agreements: [agreement] });
    const err: unknown = await openNode(await loadNodeConfig(made.config), { env: {} }).catch(
      (e: unknown) => e,
    );
    expect(isConcordatError(err, 'ERR_CONFIG_INVALID')).toBe(true);
    expect((err as Error).message).toContain('party `ZED` is not a party of agreement');
    writeFileSync(
      made.config,
      readFileSync(made.config, 'utf8').replace('agreements/northsea', 'agreements/missing'),
    );
    const missing: unknown = await openNode(await loadNodeConfig(made.config), { env: {} }).catch(
      (e: unknown) => e,
    );
    expect((missing as Error).message).toMatch(/cannot read .*missing-compact\.yaml.*no such file/);
  });
});

describe('node config: tls and federation (issue 6)', () => {
  const TLS = `tls:
  cert: tls/node.crt
  key: tls/node.key
  ca: tls/ca.crt
`;
  const PEER = `federation:
  listen: { host: 127.0.0.1, port: 9444 }
  peers:
    - party: BOR
      url: https://127.0.0.1:9445/taxii2/
      ca: peers/BOR-ca.crt
      pin: "${'a'.repeat(64)}"
      agency: BOR-CERT
      pull_every: PT30S
    - { party: CAL, url: "https://cal.example/taxii2/", ca: /etc/cal.crt, agency: CAL-CSIRT }
`;

  it('resolves tls and peer paths, fills listen and pull_every defaults', () => {
    const c = parseNodeConfig(`${MINIMAL}${TLS}${PEER}`, '/etc/concordat/node.yaml');
    expect(c.tls).toEqual({
      cert: '/etc/concordat/tls/node.crt',
      key: '/etc/concordat/tls/node.key',
      ca: '/etc/concordat/tls/ca.crt',
    });
    expect(c.federation?.listen).toEqual({ host: '127.0.0.1', port: 9444 });
    expect(c.federation?.peers).toMatchObject([
      {
        party: 'BOR',
        ca: '/etc/concordat/peers/BOR-ca.crt',
        pin: 'a'.repeat(64),
        agency: 'BOR-CERT',
        pullEvery: { seconds: 30 },
      },
      { party: 'CAL', ca: '/etc/cal.crt', agency: 'CAL-CSIRT', pullEvery: { seconds: 60 } },
    ]);
    expect(c.federation?.peers[1]?.pin).toBeUndefined();
    const bare = parseNodeConfig(`${MINIMAL}${TLS}federation: {}\n`, '/etc/concordat/node.yaml');
    expect(bare.federation).toEqual({ listen: { host: '127.0.0.1', port: 9443 }, peers: [] });
    expect(parseNodeConfig(MINIMAL, '/x/node.yaml').tls).toBeUndefined();
  });

  it('schema issues at their line:column: bad pin, http url, missing agency, unknown key', () => {
    const issues = issuesOf(`${MINIMAL}${TLS}federation:
  peers:
    - party: BOR
      url: http://127.0.0.1:9445/taxii2/
      ca: peers/BOR-ca.crt
      pin: "ABCD"
      pulls: PT30S
`);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'federation.peers[0].url', line: 12, column: 12 }),
        expect.objectContaining({ path: 'federation.peers[0].pin', line: 14, column: 12 }),
        expect.objectContaining({ path: 'federation.peers[0].pulls', line: 15, column: 7 }),
        expect.objectContaining({
          path: 'federation.peers[0]',
          message: expect.stringContaining('needs `agency`'),
        }),
      ]),
    );
    expect(issues.find((i) => i.path.endsWith('.url'))?.message).toContain('https://');
    expect(issues.find((i) => i.path.endsWith('.pin'))?.message).toContain('64 lowercase hex');
    const tlsIssues = issuesOf(`${MINIMAL}tls: { cert: a }\n`);
    expect(tlsIssues.map((i) => i.message)).toEqual(
      expect.arrayContaining(['`tls` needs `key`', '`tls` needs `ca`']),
    );
  });

  it('federation needs tls; a peer is never this party, once per party, pulled every positive duration; listeners differ', () => {
    const issues = issuesOf(`${MINIMAL}listen: { https: true }
federation:
  listen: { port: 8443 }
  peers:
    - { party: ARV, url: "https://a/taxii2/", ca: a, agency: ARV-CERT }
    - { party: BOR, url: "https://b/taxii2/", ca: b, agency: BOR-CERT, pull_every: PT0S }
    - { party: BOR, url: "https://c/taxii2/", ca: c, agency: BOR-CERT }
`);
    const byPath = (p: string): string[] =>
      issues.filter((i) => i.path === p).map((i) => i.message);
    expect(byPath('listen.https')[0]).toContain('needs `tls`');
    expect(byPath('federation')[0]).toContain('`federation` needs `tls`');
    expect(byPath('federation.peers[0].party')[0]).toContain("this node's own party");
    expect(byPath('federation.peers[1].pull_every')[0]).toContain('positive');
    expect(byPath('federation.peers[2].party')[0]).toContain(
      'already a peer at `federation.peers[1]`',
    );
    expect(byPath('federation.listen')[0]).toContain('also `listen`');
    expect(issues.find((i) => i.path === 'federation.peers[0].party')).toMatchObject({
      line: 9,
      column: 16,
    });
  });

  it('peers are checked against the agreements when the node opens its tls: party, agency, agency of another party', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'concordat-config-')), 'n');
    const agreement = new URL('../../examples/agreements/northsea-compact.yaml', import.meta.url)
      .pathname;
    const made = await initNode({ dir, party: 'ARV', agreements: [agreement] });
    writeFileSync(
      made.config,
      readFileSync(made.config, 'utf8').replace(
        '  peers: []',
        `  peers:
    - { party: ZED, url: "https://z/taxii2/", ca: tls/ca.crt, agency: ZED-CERT }
    - { party: BOR, url: "https://b/taxii2/", ca: tls/ca.crt, agency: NOPE }
    - { party: CAL, url: "https://c/taxii2/", ca: tls/ca.crt, agency: BOR-CERT }`,
      ),
    );
    const node = await openNode(await loadNodeConfig(made.config), { env: {} });
    try {
      const err: unknown = await openNodeTls(node).catch((e: unknown) => e);
      expect(isConcordatError(err, 'ERR_CONFIG_INVALID')).toBe(true);
      const issues = (err as { details: { path: string; message: string; line: number }[] })
        .details;
      expect(issues.map((i) => i.path)).toEqual([
        'federation.peers[0].party',
        'federation.peers[1].agency',
        'federation.peers[2].agency',
      ]);
      expect(issues[0]?.message).toContain('`ZED` is not a party');
      expect(issues[1]?.message).toContain('`NOPE` is not an agency');
      expect(issues[2]?.message).toContain('belongs to `BOR`, not to peer party `CAL`');
      expect(issues.every((i) => i.line > 1)).toBe(true);
    } finally {
      await node.close();
    }
  });

  it('tls material: a missing file, a key other users can read, a key of another certificate, each located', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'concordat-config-')), 'n');
    const made = await initNode({ dir, party: 'ARV' });
    const open = async (): Promise<unknown> => {
      const node = await openNode(await loadNodeConfig(made.config), { env: {} });
      try {
        return await openNodeTls(node).then(
          () => undefined,
          (e: unknown) => e,
        );
      } finally {
        await node.close();
      }
    };
    expect(await open()).toBeUndefined();
    chmodSync(join(dir, 'tls', 'node.key'), 0o644);
    const mode = await open();
    expect(isConcordatError(mode, 'ERR_TLS_MATERIAL_INVALID')).toBe(true);
    expect((mode as Error).message).toMatch(/readable by other users.*chmod 600/);
    expect((mode as Error).message).toMatch(/node\.yaml:\d+:\d+/);
    chmodSync(join(dir, 'tls', 'node.key'), 0o600);
    // The CA's key is a valid key, but not the node certificate's.
    copyFileSync(join(dir, 'tls', 'ca.key'), join(dir, 'tls', 'node.key'));
    const mismatch = await open();
    expect(isConcordatError(mismatch, 'ERR_TLS_MATERIAL_INVALID')).toBe(true);
    expect((mismatch as Error).message).toContain('does not belong to certificate');
    rmSync(join(dir, 'tls', 'node.crt'));
    const missing = await open();
    expect(isConcordatError(missing, 'ERR_TLS_MATERIAL_INVALID')).toBe(true);
    expect((missing as Error).message).toMatch(/cannot read tls certificate .*no such file/);
  });
});
