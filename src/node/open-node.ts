/**
 * The composition root: `openNode(config)` builds a running node — store, keyring, vault,
 * agreements and their compiled engines, the ledger with its checkpoint key — and is the only
 * place that does. Importing this file does nothing; opening does all the I/O.
 */
import { createPrivateKey } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { addDuration, ConcordatError, systemClock } from '../core/index.js';
import type { Clock } from '../core/index.js';
import { noteVerifier } from '../ledger/index.js';
import type { NoteSigner } from '../ledger/index.js';
import {
  checkpoints,
  dataKeys,
  ledgerEntries,
  objects,
  openPostgres,
  openSqlite,
} from '../store/index.js';
import type { CheckpointRecord, Database } from '../store/index.js';
import { createVault, LocalKeyring } from '../vault/index.js';
import type { KeyringSecret, ShredEvent, Vault } from '../vault/index.js';
import { configError, configWhere } from './config.js';
import type { NodeConfig } from './config.js';
import { ingestBundle } from './ingest.js';
import type { BundlePreparer } from './ingest-prepare.js';
import { IngestWorkers } from './ingest-workers.js';
import type { IngestReport } from './ingest.js';
import { loadAgreements, readConfigured } from './load-agreements.js';
import type { NodeAgreement } from './load-agreements.js';
import { NodeLedger } from './node-ledger.js';
import { shredDue } from './shred.js';

/** The store's repositories, as the node hands them to services. */
export interface NodeRepositories {
  readonly objects: typeof objects;
  readonly dataKeys: typeof dataKeys;
  readonly ledgerEntries: typeof ledgerEntries;
  readonly checkpoints: typeof checkpoints;
}

/** Options of {@link openNode}. */
export interface OpenNodeOptions {
  /** The node's clock (default: the system clock). */
  readonly clock?: Clock;
  /** Where `*_env` settings are read (default: `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Options of {@link Node.ingest}. */
export interface NodeIngestOptions {
  /** The party that produced the bundle (default: the node's party). */
  readonly producer?: string;
  /** The TAXII collection the objects join (default: the producer's id). */
  readonly collection?: string;
  /** Objects stored so far, chunk by chunk, before the commit (for progress bars). */
  readonly onProgress?: (stored: number, total: number) => void;
}

/** What {@link Node.ingest} did. */
export interface NodeIngestResult {
  readonly report: IngestReport;
  /** The checkpoint signed after the ingest committed. */
  readonly checkpoint: CheckpointRecord;
}

/** What {@link Node.shredDue} did. */
export interface NodeShredResult {
  /** One per destroyed data key; each has its `shred` ledger entry, in this order. */
  readonly events: readonly ShredEvent[];
  readonly scrubNotes: readonly string[];
  readonly checkpoint: CheckpointRecord;
}

/** A running node. */
export interface Node {
  readonly config: NodeConfig;
  readonly db: Database;
  readonly repositories: NodeRepositories;
  readonly vault: Vault;
  /** The agreements in force, by agreement id. */
  readonly agreements: ReadonlyMap<string, NodeAgreement>;
  readonly ledger: NodeLedger;
  readonly clock: Clock;
  /** Prepares bundles for ingest: the ingest workers (`limits.ingest_workers`). */
  readonly preparer: BundlePreparer;
  /**
   * Ingests a STIX bundle, all or nothing (`ingestBundle`), with the retention the config
   * allows (an object's handling-extension deadline wins when earlier), then signs a
   * checkpoint. Refuses (`ERR_LEDGER_INTEGRITY`, nothing written) when the ledger cannot be
   * checkpointed before the ingest.
   */
  ingest(bundle: unknown, options?: NodeIngestOptions): Promise<NodeIngestResult>;
  /**
   * Crypto-shreds every data key whose retention window has ended (`shredDue`, ledgered in the
   * same transaction), then signs a checkpoint. Retention wins over a broken ledger: the keys
   * are destroyed first, and a refused checkpoint is reported afterwards.
   */
  shredDue(): Promise<NodeShredResult>;
  /** Closes the database and forgets every key held in memory. */
  close(): Promise<void>;
}

function envValue(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

async function loadSigner(config: NodeConfig): Promise<NoteSigner> {
  const pem = await readConfigured(config, 'signing_key', config.signingKey);
  const mode = (await stat(config.signingKey)).mode;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw new ConcordatError(
      'ERR_KEY_INVALID',
      `signing key \`${config.signingKey}\` is readable by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600`,
    );
  let key;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (cause) {
    throw new ConcordatError(
      'ERR_KEY_INVALID',
      `signing key \`${config.signingKey}\` (${configWhere(config, 'signing_key')}) is not a pem private key`,
      { cause },
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new ConcordatError(
      'ERR_KEY_INVALID',
      `signing key \`${config.signingKey}\` is a \`${key.asymmetricKeyType ?? 'unknown'}\` key; an ed25519 key is required`,
    );
  return { name: config.origin, privateKey: key };
}

function keyringSecret(
  config: NodeConfig,
  env: Readonly<Record<string, string | undefined>>,
): KeyringSecret {
  const unlock = config.keyring.unlock;
  if ('keyFile' in unlock) return { keyFile: unlock.keyFile };
  const passphrase = envValue(env, unlock.passphraseEnv);
  if (passphrase === undefined)
    throw new ConcordatError(
      'ERR_KEYRING_LOCKED',
      `keyring passphrase environment variable \`${unlock.passphraseEnv}\` is not set (keyring.passphrase_env at ${configWhere(config, 'keyring.passphrase_env')})`,
      { details: { env: unlock.passphraseEnv } },
    );
  return { passphrase };
}

async function openStore(
  config: NodeConfig,
  env: Readonly<Record<string, string | undefined>>,
  clock: Clock,
): Promise<Database> {
  const store = config.store;
  if (store.kind === 'sqlite') {
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    return openSqlite({ path: store.path, clock });
  }
  const url = 'url' in store ? store.url : envValue(env, store.urlEnv);
  if (url === undefined)
    throw configError(config.file, [
      {
        path: 'store.postgres.url_env',
        ...(config.positions['store.postgres.url_env'] ?? { line: 1, column: 1 }),
        message: `environment variable \`${'urlEnv' in store ? store.urlEnv : ''}\` (the postgresql url) is not set`,
      },
    ]);
  return openPostgres({ connectionString: url, clock });
}

/** Closes what was opened so far when a later step of opening fails. */
async function undo(steps: readonly (() => Promise<unknown>)[]): Promise<void> {
  for (const step of [...steps].reverse()) await step().catch(() => undefined);
}

/**
 * Opens a node from its config: checks the signing key, loads, verifies and compiles every
 * agreement, unlocks the keyring, opens and migrates the store, and builds the ledger's
 * checkpoint state. Everything opened is closed again if a later step fails.
 */
export async function openNode(config: NodeConfig, options: OpenNodeOptions = {}): Promise<Node> {
  const clock = options.clock ?? systemClock;
  const env = options.env ?? process.env;
  const signer = await loadSigner(config);
  const agreements = await loadAgreements(config);
  const secret = keyringSecret(config, env);
  const opened: (() => Promise<unknown>)[] = [];
  try {
    const keyring = await LocalKeyring.open(config.keyring.path, secret, { clock });
    opened.push(() => keyring.close());
    const db = await openStore(config, env, clock);
    opened.push(() => db.close());
    const vault = createVault({ custody: keyring, clock });
    opened.push(async () => vault.forget());
    // Started lazily, on the first bundle large enough to need one.
    const preparer = IngestWorkers.start(config.limits.ingestWorkers);
    opened.push(() => preparer.close());
    const ledger = await NodeLedger.open(
      { db, clock, origin: config.origin, signer },
      noteVerifier(config.origin, signer.privateKey),
    );
    const parties = new Set([config.party]);
    for (const a of agreements.values()) for (const p of a.agreement.parties) parties.add(p.id);
    let closed = false;
    const node: Node = {
      config,
      db,
      repositories: { objects, dataKeys, ledgerEntries, checkpoints },
      vault,
      agreements,
      ledger,
      clock,
      preparer,
      async ingest(bundle, o = {}) {
        const producer = o.producer ?? config.party;
        if (!parties.has(producer))
          throw new ConcordatError(
            'ERR_USAGE',
            `producer \`${producer}\` is neither this node's party nor a party of its agreements (${[...parties].join(', ')})`,
          );
        // Verifies any entries left unsigned (a crash after a commit) and refuses on a break.
        await ledger.checkpoint();
        const now = clock.now();
        const cap = addDuration(now, config.limits.retention);
        const report = await ingestBundle(bundle, {
          db,
          vault,
          clock,
          producer,
          collection: o.collection ?? producer,
          validation: { limits: config.limits.stix },
          preparer,
          ...(o.onProgress === undefined ? {} : { onProgress: o.onProgress }),
          // The config's cap, or an object's own handling-extension deadline when earlier.
          retention: { untilMs: cap, handling: true },
        });
        return { report, checkpoint: await ledger.checkpoint() };
      },
      async shredDue() {
        const result = await shredDue({ db, vault, clock });
        let checkpoint: CheckpointRecord;
        try {
          checkpoint = await ledger.checkpoint();
        } catch (err) {
          if (err instanceof ConcordatError && result.events.length > 0)
            throw new ConcordatError(
              err.code,
              `shredded ${result.events.length} data key(s), but ${err.message}`,
              { details: { shredded: result.events, cause: err.details }, cause: err },
            );
          throw err;
        }
        return {
          events: result.events,
          scrubNotes: result.scrub?.notes ?? [],
          checkpoint,
        };
      },
      async close() {
        if (closed) return;
        closed = true;
        await undo(opened);
      },
    };
    return node;
  } catch (err) {
    await undo(opened);
    throw err;
  }
}
