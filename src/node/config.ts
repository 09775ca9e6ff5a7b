/**
 * A node's config (docs/node-config.md): loaded from YAML, checked against
 * docs/node-config.schema.json with every issue located at its line:column, relative paths
 * resolved against the config file's directory, defaults filled in. Loading reads the one file
 * and nothing else; `openNode` does the rest of the I/O.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConcordatError, minDurationMs, parseDuration } from '../core/index.js';
import type { Duration } from '../core/index.js';
import { DEFAULT_STIX_LIMITS } from '../intel/index.js';
import type { StixLimits } from '../intel/index.js';
import { parseNoteVerifierKey } from '../ledger/index.js';
import type { FederationConfig, PeerConfig, TlsIdentityConfig } from '../tls/index.js';
import { readConfigSource } from './config-source.js';
import { defaultIngestWorkers } from './ingest-workers.js';
import type { ConfigIssue, ConfigPosition } from './config-source.js';

/** Where the node keeps its database. */
export type StoreConfig =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'postgres'; readonly urlEnv: string };

/** How the keyring is unlocked. */
export type KeyringUnlock = { readonly passphraseEnv: string } | { readonly keyFile: string };

/** One agreement the node takes part in (paths absolute). */
export interface AgreementConfig {
  readonly file: string;
  readonly signatures?: string;
  readonly keys?: string;
  /**
   * Public keys of officials the agreement does not pin, for signed escalation and waiver
   * approvals: a directory of `<OFFICIAL>.pub.pem` or a JSON map (read by the escalation
   * service).
   */
  readonly officialKeys?: string;
}

/** An oversight body whose cosignatures of the node's checkpoints the node accepts. */
export interface WitnessConfig {
  /** The witness's C2SP signed-note key name. */
  readonly name: string;
  /** Its verifier key, `name+id+base64` (parsed and checked against `name` at load). */
  readonly key: string;
}

/** What the node accepts and keeps. */
export interface NodeLimits {
  readonly maxBundleBytes: number;
  /** How long ingested intel is kept at most. */
  readonly retention: Duration;
  readonly stix: StixLimits;
  /** Server requests per agency: a token bucket (`limits.rate`). */
  readonly rate: { readonly perSecond: number; readonly burst: number };
  /** Threads that prepare large bundles beside the writer (`limits.ingest_workers`; 0: none). */
  readonly ingestWorkers: number;
}

/** A loaded node config: defaults filled in, every path absolute. */
export interface NodeConfig {
  /** The config file (absolute). */
  readonly file: string;
  readonly party: string;
  readonly name: string;
  /** The ledger's C2SP origin and the checkpoint key name: `concordat.<party>.<name>`. */
  readonly origin: string;
  readonly dataDir: string;
  readonly store: StoreConfig;
  readonly keyring: { readonly path: string; readonly unlock: KeyringUnlock };
  readonly signingKey: string;
  readonly agreements: readonly AgreementConfig[];
  /**
   * The analyst listener. `https` (needs `tls`): served with the node certificate, and then
   * allowed on any address; otherwise plain http on loopback only.
   */
  readonly listen: { readonly host: string; readonly port: number; readonly https?: boolean };
  readonly limits: NodeLimits;
  /**
   * This node's TLS identity (docs/federation.md). With it, `concordat serve` may serve the
   * analyst API over https on any address; without it, plain http on loopback only.
   */
  readonly tls?: TlsIdentityConfig;
  /** Node-to-node TAXII over mutual TLS: the listener and the peers (requires `tls`). */
  readonly federation?: FederationConfig;
  /** Witnesses whose cosignatures the node keeps and serves (empty: none accepted). */
  readonly witnesses: readonly WitnessConfig[];
  /** Line:column of each value in the file, by dotted path, for errors found later. */
  readonly positions: Readonly<Record<string, ConfigPosition>>;
}

export type { ConfigIssue, ConfigPosition, FederationConfig, PeerConfig, TlsIdentityConfig };

/** Default `limits.max_bundle_bytes`: 64 MiB (the ATT&CK Enterprise bundle is about 45 MB). */
export const DEFAULT_MAX_BUNDLE_BYTES = 64 * 1024 * 1024;
/** Default `limits.retention`. */
export const DEFAULT_RETENTION = 'P365D';
/** Default `limits.rate`: 50 requests/s sustained per agency, bursts of 200. */
export const DEFAULT_RATE_LIMIT = Object.freeze({ perSecond: 50, burst: 200 });
/** Default `listen`. */
export const DEFAULT_LISTEN = Object.freeze({ host: '127.0.0.1', port: 8443 });
/** Default `federation.listen`. */
export const DEFAULT_FEDERATION_LISTEN = Object.freeze({ host: '127.0.0.1', port: 9443 });
/** Default `federation.peers[].pull_every`. */
export const DEFAULT_PULL_EVERY = 'PT60S';

interface RawConfig {
  party: string;
  name?: string;
  data_dir?: string;
  store?: { sqlite?: { path?: string }; postgres?: { url?: string; url_env?: string } };
  keyring: { path?: string; passphrase_env?: string; key_file?: string };
  signing_key: string;
  agreements?: { file: string; signatures?: string; keys?: string; official_keys?: string }[];
  listen?: { host?: string; port?: number; https?: boolean };
  tls?: { cert: string; key: string; ca: string };
  federation?: {
    listen?: { host?: string; port?: number };
    peers?: {
      party: string;
      url: string;
      ca: string;
      pin?: string;
      agency: string;
      pull_every?: string;
    }[];
  };
  witnesses?: { name: string; key: string }[];
  limits?: {
    max_bundle_bytes?: number;
    retention?: string;
    stix?: { max_depth?: number; max_values?: number; max_string_length?: number };
    rate?: { per_second?: number; burst?: number };
    ingest_workers?: number;
  };
}

/** `file:line:column` of the value at `path` in the config, or the file alone. */
export function configWhere(config: Pick<NodeConfig, 'file' | 'positions'>, path: string): string {
  const p = config.positions[path];
  return p === undefined ? config.file : `${config.file}:${p.line}:${p.column}`;
}

/** The error for a config with issues: every issue in `details`, the first in the message. */
export function configError(file: string, issues: readonly ConfigIssue[]): ConcordatError {
  const first = issues[0];
  const n = issues.length;
  return new ConcordatError(
    'ERR_CONFIG_INVALID',
    `node config \`${file}\` has ${n} issue${n === 1 ? '' : 's'}` +
      (first === undefined
        ? ''
        : `; first: ${file}:${first.line}:${first.column} ${first.message}`),
    { details: issues.map((i) => ({ file, ...i })) },
  );
}

/** The ledger origin of a node: `concordat.<party, lowercased, safe>.<name>`. */
export function nodeOrigin(party: string, name: string): string {
  return `concordat.${party.toLowerCase().replace(/[^a-z0-9.-]/g, '-')}.${name}`;
}

/**
 * Parses config text read from `file` (used to resolve relative paths and to locate issues).
 * Throws `ERR_CONFIG_INVALID` listing every issue.
 */
export function parseNodeConfig(text: string, file: string): NodeConfig {
  const absFile = resolve(file);
  const source = readConfigSource(text);
  if (source.issues.length > 0) throw configError(absFile, source.issues);
  const raw = source.data as RawConfig;
  const base = dirname(absFile);
  const abs = (p: string, from = base): string => (isAbsolute(p) ? p : resolve(from, p));
  const dataDir = abs(raw.data_dir ?? '.');

  const retentionText = raw.limits?.retention ?? DEFAULT_RETENTION;
  const retention = parseDuration(retentionText);
  const issues: ConfigIssue[] = [];
  const at = (path: string): ConfigPosition => source.positions[path] ?? { line: 1, column: 1 };
  // The schema pattern admits `P0D`; a node that keeps nothing could ingest nothing.
  if (retention === undefined || minDurationMs(retention) <= 0)
    issues.push({
      path: 'limits.retention',
      ...at('limits.retention'),
      message: `\`limits.retention\` \`${retentionText}\` must be a positive iso 8601 duration`,
    });
  const party = raw.party;
  (raw.agreements ?? []).forEach((a, i) => {
    if (a.signatures !== undefined && a.keys === undefined)
      issues.push({
        path: `agreements[${i}]`,
        ...at(`agreements[${i}]`),
        message: `\`agreements[${i}]\` has \`signatures\` but no \`keys\` to verify them with`,
      });
  });
  if (raw.listen?.https === true && raw.tls === undefined)
    issues.push({
      path: 'listen.https',
      ...at('listen.https'),
      message: '`listen.https` needs `tls`: the analyst api is served with the node certificate',
    });
  const federation = raw.federation === undefined ? undefined : federationIssues(raw, at);
  if (federation !== undefined) issues.push(...federation.issues);
  issues.push(...witnessIssues(raw, at));
  if (issues.length > 0 || retention === undefined) throw configError(absFile, issues);

  const store: StoreConfig =
    raw.store?.postgres?.url !== undefined
      ? { kind: 'postgres', url: raw.store.postgres.url }
      : raw.store?.postgres?.url_env !== undefined
        ? { kind: 'postgres', urlEnv: raw.store.postgres.url_env }
        : {
            kind: 'sqlite',
            path: abs(raw.store?.sqlite?.path ?? resolve(dataDir, 'concordat.db')),
          };
  const unlock: KeyringUnlock =
    raw.keyring.key_file !== undefined
      ? { keyFile: abs(raw.keyring.key_file) }
      : { passphraseEnv: raw.keyring.passphrase_env ?? '' };
  if (raw.keyring.key_file !== undefined && raw.keyring.passphrase_env !== undefined)
    throw configError(absFile, [
      {
        path: 'keyring',
        ...at('keyring'),
        message: '`keyring` takes `passphrase_env` or `key_file`, not both',
      },
    ]);
  if (raw.keyring.key_file === undefined && raw.keyring.passphrase_env === undefined)
    throw configError(absFile, [
      {
        path: 'keyring',
        ...at('keyring'),
        message: '`keyring` needs `passphrase_env` or `key_file`',
      },
    ]);
  const name = raw.name ?? 'node';
  const stix = raw.limits?.stix;
  return {
    file: absFile,
    party,
    name,
    origin: nodeOrigin(party, name),
    dataDir,
    store,
    keyring: { path: abs(raw.keyring.path ?? resolve(dataDir, 'keyring.json')), unlock },
    signingKey: abs(raw.signing_key),
    agreements: (raw.agreements ?? []).map((a) => ({
      file: abs(a.file),
      ...(a.signatures === undefined ? {} : { signatures: abs(a.signatures) }),
      ...(a.keys === undefined ? {} : { keys: abs(a.keys) }),
      ...(a.official_keys === undefined ? {} : { officialKeys: abs(a.official_keys) }),
    })),
    listen: {
      host: raw.listen?.host ?? DEFAULT_LISTEN.host,
      port: raw.listen?.port ?? DEFAULT_LISTEN.port,
      ...(raw.listen?.https === true ? { https: true } : {}),
    },
    limits: {
      maxBundleBytes: raw.limits?.max_bundle_bytes ?? DEFAULT_MAX_BUNDLE_BYTES,
      retention,
      stix: {
        maxDepth: stix?.max_depth ?? DEFAULT_STIX_LIMITS.maxDepth,
        maxValues: stix?.max_values ?? DEFAULT_STIX_LIMITS.maxValues,
        maxStringLength: stix?.max_string_length ?? DEFAULT_STIX_LIMITS.maxStringLength,
      },
      rate: {
        perSecond: raw.limits?.rate?.per_second ?? DEFAULT_RATE_LIMIT.perSecond,
        burst: raw.limits?.rate?.burst ?? DEFAULT_RATE_LIMIT.burst,
      },
      ingestWorkers: raw.limits?.ingest_workers ?? defaultIngestWorkers(),
    },
    ...(raw.tls === undefined
      ? {}
      : { tls: { cert: abs(raw.tls.cert), key: abs(raw.tls.key), ca: abs(raw.tls.ca) } }),
    ...(raw.federation === undefined || federation === undefined
      ? {}
      : {
          federation: {
            listen: {
              host: raw.federation.listen?.host ?? DEFAULT_FEDERATION_LISTEN.host,
              port: raw.federation.listen?.port ?? DEFAULT_FEDERATION_LISTEN.port,
            },
            peers: (raw.federation.peers ?? []).map((p, i): PeerConfig => ({
              party: p.party,
              url: p.url,
              ca: abs(p.ca),
              ...(p.pin === undefined ? {} : { pin: p.pin }),
              agency: p.agency,
              pullEvery: federation.pullEvery[i] as Duration,
            })),
          },
        }),
    witnesses: (raw.witnesses ?? []).map((w) => ({ name: w.name, key: w.key })),
    positions: source.positions,
  };
}

/**
 * What the schema cannot say about `witnesses`: each key is a C2SP verifier key whose name is
 * the entry's `name`, and a name appears once (one key per witness).
 */
function witnessIssues(raw: RawConfig, at: (path: string) => ConfigPosition): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, number>();
  (raw.witnesses ?? []).forEach((w, i) => {
    const path = `witnesses[${i}]`;
    let keyName: string | undefined;
    try {
      keyName = parseNoteVerifierKey(w.key).name;
    } catch (err) {
      issues.push({
        path: `${path}.key`,
        ...at(`${path}.key`),
        message: `\`${path}.key\` is not a verifier key \`<name>+<hex key id>+<base64 key>\`: ${(err as Error).message}`,
      });
    }
    if (keyName !== undefined && keyName !== w.name)
      issues.push({
        path: `${path}.key`,
        ...at(`${path}.key`),
        message: `\`${path}.key\` is the key of \`${keyName}\`, not of \`${w.name}\``,
      });
    const first = seen.get(w.name);
    if (first !== undefined)
      issues.push({
        path: `${path}.name`,
        ...at(`${path}.name`),
        message: `witness \`${w.name}\` is already at \`witnesses[${first}]\`; one key per witness`,
      });
    else seen.set(w.name, i);
  });
  return issues;
}

/**
 * What the schema cannot say about `federation`: it needs `tls`; a peer is never the node's
 * own party and appears once; `pull_every` is a positive duration; the two listeners differ.
 * Whether a peer's party and agency are in the node's agreements is checked when the node
 * opens its federation (`openNodeTls`), since loading reads no agreement.
 */
function federationIssues(
  raw: RawConfig,
  at: (path: string) => ConfigPosition,
): { issues: ConfigIssue[]; pullEvery: (Duration | undefined)[] } {
  const issues: ConfigIssue[] = [];
  const issue = (path: string, message: string): void => {
    issues.push({ path, ...at(path), message });
  };
  const fed = raw.federation ?? {};
  if (raw.tls === undefined)
    issue(
      'federation',
      '`federation` needs `tls`: peers are authenticated by certificate (run `concordat init` or see docs/federation.md)',
    );
  const seen = new Map<string, number>();
  const pullEvery = (fed.peers ?? []).map((p, i) => {
    const path = `federation.peers[${i}]`;
    if (p.party === raw.party)
      issue(
        `${path}.party`,
        `\`${path}.party\` is \`${p.party}\`, this node's own party; a peer is another party's node`,
      );
    const first = seen.get(p.party);
    if (first !== undefined)
      issue(
        `${path}.party`,
        `party \`${p.party}\` is already a peer at \`federation.peers[${first}]\`; one peer per party`,
      );
    else seen.set(p.party, i);
    const text = p.pull_every ?? DEFAULT_PULL_EVERY;
    const d = parseDuration(text);
    if (d === undefined || minDurationMs(d) <= 0)
      issue(
        `${path}.pull_every`,
        `\`${path}.pull_every\` \`${text}\` must be a positive iso 8601 duration`,
      );
    return d;
  });
  const listen = raw.listen ?? {};
  const host = fed.listen?.host ?? DEFAULT_FEDERATION_LISTEN.host;
  const port = fed.listen?.port ?? DEFAULT_FEDERATION_LISTEN.port;
  if (
    port !== 0 &&
    port === (listen.port ?? DEFAULT_LISTEN.port) &&
    host === (listen.host ?? DEFAULT_LISTEN.host)
  )
    issue(
      'federation.listen',
      `\`federation.listen\` ${host}:${port} is also \`listen\`; the federation listener needs its own port`,
    );
  return { issues, pullEvery };
}

/**
 * Reads and parses a node config file. Throws `ERR_INPUT_UNREADABLE` when the file cannot be
 * read and `ERR_CONFIG_INVALID` (every issue, located) when it is not a valid config.
 */
export async function loadNodeConfig(path: string): Promise<NodeConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    throw new ConcordatError(
      'ERR_INPUT_UNREADABLE',
      `cannot read node config \`${path}\`: ${code === 'ENOENT' ? 'no such file' : String(code ?? 'read failed')}`,
      { cause, details: { path } },
    );
  }
  return parseNodeConfig(text, path);
}
