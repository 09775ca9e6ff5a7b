/**
 * Creating a node's directory (`concordat init`): a checkpoint signing key, a keyring key file
 * and an empty keyring (all mode 0600), copies of the agreements, a development CA and node
 * certificate for loopback use (docs/federation.md), and a `node.yaml` that opens at once.
 * Never overwrites anything: an existing node is `ERR_NODE_EXISTS`.
 */
import { copyFile, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { generateSigningKeyPair } from '../agreement/index.js';
import { ConcordatError } from '../core/index.js';
import { createDevCa, issueNodeCertificate } from '../tls/index.js';
import { createKeyFile, LocalKeyring } from '../vault/index.js';
import {
  DEFAULT_FEDERATION_LISTEN,
  DEFAULT_LISTEN,
  DEFAULT_MAX_BUNDLE_BYTES,
  DEFAULT_RETENTION,
  nodeOrigin,
} from './config.js';

/** What to create. */
export interface InitNodeOptions {
  /** The node's directory; created if missing, refused if it holds anything. */
  readonly dir: string;
  readonly party: string;
  /** Agreement files to copy into `<dir>/agreements/`. */
  readonly agreements?: readonly string[];
  /** Use this PostgreSQL database instead of `<dir>/concordat.db`. */
  readonly postgresUrl?: string;
  /**
   * Create a development CA and node certificate under `<dir>/tls/` and write the `tls:` and
   * `federation:` sections (default true). Production operators bring their own certificates.
   */
  readonly tls?: boolean;
  /** `federation.listen.port` written to the config (default 9443). */
  readonly federationPort?: number;
  /**
   * Runs once every file is written (e.g. open the node and sign its first checkpoint); if it
   * throws, everything init wrote is removed again and the error is rethrown.
   */
  readonly check?: (configPath: string) => Promise<void>;
}

/** What {@link initNode} created (absolute paths). */
export interface InitNodeResult {
  readonly dir: string;
  readonly config: string;
  readonly signingKey: string;
  readonly keyFile: string;
  readonly keyring: string;
  readonly agreements: readonly string[];
  /** The TLS files created (absent with `tls: false`). */
  readonly tls?: {
    readonly ca: string;
    readonly caKey: string;
    readonly cert: string;
    readonly key: string;
  };
  /** True when the config holds a database password (then it is written with mode 0600). */
  readonly configHoldsSecret: boolean;
}

const PARTY = /^[A-Za-z0-9](?:[A-Za-z0-9._+:-]{0,62}[A-Za-z0-9+])?$/;

function yamlString(s: string): string {
  return JSON.stringify(s);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Creates a node directory. Throws `ERR_NODE_EXISTS` when `dir` already holds files (nothing
 * is touched), `ERR_USAGE` for a bad party id, and `ERR_INPUT_UNREADABLE` for a missing
 * agreement file. On any failure after the directory was touched, what init wrote is removed.
 */
export async function initNode(options: InitNodeOptions): Promise<InitNodeResult> {
  const dir = resolve(options.dir);
  if (!PARTY.test(options.party))
    throw new ConcordatError('ERR_USAGE', `\`--party\` \`${options.party}\` is not a party id`);
  const present = await stat(dir).then(
    (s) => (s.isDirectory() ? 'dir' : 'other'),
    () => undefined,
  );
  if (present === 'other' || (present === 'dir' && (await readdir(dir)).length > 0))
    throw new ConcordatError(
      'ERR_NODE_EXISTS',
      `\`${dir}\` already exists and is not empty; refusing to overwrite a node`,
      { details: { dir } },
    );
  const created = present === undefined;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    const signingKey = join(dir, 'node.key.pem');
    const keyFile = join(dir, 'keyring.key');
    const keyring = join(dir, 'keyring.json');
    const config = join(dir, 'node.yaml');
    const pair = generateSigningKeyPair();
    await writeFile(signingKey, pair.privateKey, { mode: 0o600, flag: 'wx' });
    await createKeyFile(keyFile);
    const ring = await LocalKeyring.create(keyring, { keyFile });
    await ring.close();

    const copies: string[] = [];
    for (const file of options.agreements ?? []) {
      const target = join(dir, 'agreements', basename(file));
      if (copies.includes(target) || (await exists(target)))
        throw new ConcordatError(
          'ERR_USAGE',
          `two agreement files are named \`${basename(file)}\`; rename one`,
        );
      await mkdir(join(dir, 'agreements'), { recursive: true });
      try {
        await copyFile(file, target);
      } catch (cause) {
        throw new ConcordatError('ERR_INPUT_UNREADABLE', `cannot read agreement \`${file}\``, {
          cause,
          details: { path: file },
        });
      }
      copies.push(target);
    }

    const tls = options.tls === false ? undefined : await writeDevTls(dir, options.party);

    const pgUrl = options.postgresUrl;
    const holdsSecret = pgUrl !== undefined && /^[^:]+:\/\/[^/@]*:[^/@]*@/.test(pgUrl);
    const lines = [
      '# Concordat node config (docs/node-config.md). Relative paths are relative to this file.',
      `party: ${yamlString(options.party)}`,
      'name: node',
      'data_dir: .',
      'store:',
      ...(pgUrl === undefined
        ? ['  sqlite:', '    path: concordat.db']
        : ['  postgres:', `    url: ${yamlString(pgUrl)}`]),
      'keyring:',
      '  path: keyring.json',
      '  key_file: keyring.key',
      'signing_key: node.key.pem',
      ...(copies.length === 0
        ? ['agreements: []']
        : [
            'agreements:',
            ...copies.map((c) => `  - file: ${yamlString(join('agreements', basename(c)))}`),
          ]),
      'listen:',
      `  host: ${DEFAULT_LISTEN.host}`,
      `  port: ${DEFAULT_LISTEN.port}`,
      ...(tls === undefined
        ? []
        : [
            "# This node's TLS identity: a development CA and certificate for loopback use",
            '# (docs/federation.md). Give partners tls/ca.crt; `concordat tls show` prints the rest.',
            'tls:',
            '  cert: tls/node.crt',
            '  key: tls/node.key',
            '  ca: tls/ca.crt',
            '# TAXII 2.1 for partner nodes over mutual TLS only; add peers with `concordat peer add`.',
            'federation:',
            '  listen:',
            `    host: ${DEFAULT_FEDERATION_LISTEN.host}`,
            `    port: ${options.federationPort ?? DEFAULT_FEDERATION_LISTEN.port}`,
            '  peers: []',
          ]),
      'limits:',
      `  max_bundle_bytes: ${DEFAULT_MAX_BUNDLE_BYTES}`,
      `  retention: ${DEFAULT_RETENTION}`,
      '',
    ];
    await writeFile(config, lines.join('\n'), {
      mode: holdsSecret ? 0o600 : 0o644,
      flag: 'wx',
    });
    await options.check?.(config);
    return {
      dir,
      config,
      signingKey,
      keyFile,
      keyring,
      agreements: copies,
      ...(tls === undefined ? {} : { tls }),
      configHoldsSecret: holdsSecret,
    };
  } catch (err) {
    await removeNodeDir(dir, created);
    throw err;
  }
}

/** Writes a development CA and a node certificate it issued under `<dir>/tls/`. */
async function writeDevTls(
  dir: string,
  party: string,
): Promise<{ ca: string; caKey: string; cert: string; key: string }> {
  const tlsDir = join(dir, 'tls');
  await mkdir(tlsDir, { mode: 0o700 });
  const ca = await createDevCa(party);
  const node = await issueNodeCertificate(ca, { party, origin: nodeOrigin(party, 'node') });
  const files = {
    ca: join(tlsDir, 'ca.crt'),
    caKey: join(tlsDir, 'ca.key'),
    cert: join(tlsDir, 'node.crt'),
    key: join(tlsDir, 'node.key'),
  };
  await writeFile(files.ca, ca.cert, { mode: 0o644, flag: 'wx' });
  await writeFile(files.caKey, ca.key, { mode: 0o600, flag: 'wx' });
  await writeFile(files.cert, node.cert, { mode: 0o644, flag: 'wx' });
  await writeFile(files.key, node.key, { mode: 0o600, flag: 'wx' });
  return files;
}

/**
 * Removes what {@link initNode} wrote to `dir` (the whole directory when init created it),
 * after a failure: a half-made node must not block the next `init`.
 */
async function removeNodeDir(dir: string, whole: boolean): Promise<void> {
  if (whole) {
    await rm(dir, { recursive: true, force: true });
    return;
  }
  for (const name of [
    'node.key.pem',
    'keyring.key',
    'keyring.json',
    'node.yaml',
    'agreements',
    'tls',
    'concordat.db',
    'concordat.db-wal',
    'concordat.db-shm',
  ])
    await rm(join(dir, name), { recursive: true, force: true });
}
