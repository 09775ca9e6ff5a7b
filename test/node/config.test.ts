/** Node config: the schema file, defaults, path resolution, and clear, located errors. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isConcordatError } from '../../src/core/index.js';
import {
  NODE_CONFIG_SCHEMA,
  initNode,
  loadNodeConfig,
  openNode,
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
