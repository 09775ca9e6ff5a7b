import { randomBytes, randomUUID, scrypt as scryptCb } from 'node:crypto';
import type { BinaryLike, ScryptOptions } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { ConcordatError, systemClock } from '../core/index.js';
import type { Clock } from '../core/index.js';
import {
  KEY_BYTES,
  concatSealed,
  encodeAad,
  open as openSealed,
  seal,
  splitSealed,
} from './aead.js';
import { writeFileAtomic } from './atomic-file.js';
import type { KekInfo, KeyCustody } from './key-custody.js';

/** How the operator unlocks the keyring: a passphrase (scrypt) or a 32-byte key file. */
export type KeyringSecret = { readonly passphrase: string } | { readonly keyFile: string };

/** scrypt cost; the defaults (N = 2^15, r = 8, p = 1) follow RFC 7914 §2's interactive use. */
export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** Options for {@link createLocalKeyring}. */
export interface LocalKeyringOptions {
  readonly clock?: Clock;
  /** Raise for stronger passphrase stretching; N must be a power of two from 2^14 to 2^20. */
  readonly scrypt?: ScryptCost;
}

const FORMAT = 'concordat-keyring/1';
const DEFAULT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };

type KdfHeader =
  | {
      readonly name: 'scrypt';
      readonly salt: string;
      readonly N: number;
      readonly r: number;
      readonly p: number;
    }
  | { readonly name: 'key-file' };

interface KeyringFile {
  readonly format: typeof FORMAT;
  readonly kdf: KdfHeader;
  readonly nonce: string;
  readonly ciphertext: string;
  readonly tag: string;
}

interface KekEntry extends KekInfo {
  readonly key: Buffer;
}

function scrypt(pass: BinaryLike, salt: BinaryLike, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = {
    N: cost.N,
    r: cost.r,
    p: cost.p,
    maxmem: 128 * cost.N * cost.r + 16 * 1024 * 1024,
  };
  return new Promise((resolve, reject) => {
    scryptCb(pass, salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function locked(path: string, why: string, cause?: unknown): ConcordatError {
  return new ConcordatError(
    'ERR_KEYRING_LOCKED',
    `keyring \`${path}\`: ${why}`,
    cause === undefined ? undefined : { cause },
  );
}

async function readKeyFile(path: string): Promise<Buffer> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (cause) {
    throw new ConcordatError('ERR_INPUT_UNREADABLE', `cannot read key file \`${path}\``, { cause });
  }
  if (raw.length === KEY_BYTES) return raw;
  const t = raw.toString('latin1').trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  const b = /^[A-Za-z0-9+/_-]{43}=?$/.test(t) ? Buffer.from(t, 'base64') : undefined;
  if (b?.length === KEY_BYTES) return b;
  throw new ConcordatError(
    'ERR_KEY_INVALID',
    `key file \`${path}\` must hold 32 bytes (raw, 64 hex digits or base64)`,
  );
}

async function masterKey(secret: KeyringSecret, kdf: KdfHeader, path: string): Promise<Buffer> {
  if ('passphrase' in secret) {
    if (kdf.name !== 'scrypt')
      throw locked(path, 'it is unlocked with a key file, not a passphrase');
    if (secret.passphrase.length === 0) throw locked(path, 'the passphrase is empty');
    return scrypt(secret.passphrase.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), kdf);
  }
  if (kdf.name !== 'key-file')
    throw locked(path, 'it is unlocked with a passphrase, not a key file');
  return readKeyFile(secret.keyFile);
}

function checkCost(c: ScryptCost): void {
  const ok =
    Number.isSafeInteger(c.N) &&
    c.N >= 2 ** 14 &&
    c.N <= 2 ** 20 &&
    (c.N & (c.N - 1)) === 0 &&
    Number.isSafeInteger(c.r) &&
    c.r >= 1 &&
    c.r <= 32 &&
    Number.isSafeInteger(c.p) &&
    c.p >= 1 &&
    c.p <= 16 &&
    // scrypt needs 128·N·r bytes; a keyring file must not be able to ask for more than 1 GiB.
    128 * c.N * c.r <= 2 ** 30;
  if (!ok)
    throw new ConcordatError(
      'ERR_USAGE',
      'scrypt cost must have N a power of two from 2^14 to 2^20, 1 ≤ r ≤ 32, 1 ≤ p ≤ 16, 128·N·r ≤ 1 GiB',
    );
}

/**
 * The local key custody: an encrypted keyring file. The file holds every KEK, sealed with
 * AES-256-GCM under a master key that is derived with scrypt from the operator's passphrase
 * or read from a key file; the KDF header is authenticated as AAD. The file is rewritten
 * atomically with mode 0600 whenever a KEK is added. One process owns a keyring file at a
 * time; several node processes share keys through an HSM instead.
 */
export class LocalKeyring implements KeyCustody {
  private keks: KekEntry[];
  private closed = false;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly master: Buffer,
    private readonly kdf: KdfHeader,
    keks: KekEntry[],
    private readonly clock: Clock,
  ) {
    this.keks = keks;
  }

  /** Creates a new, empty keyring file; fails if `path` exists. */
  static async create(
    path: string,
    secret: KeyringSecret,
    options: LocalKeyringOptions = {},
  ): Promise<LocalKeyring> {
    let kdf: KdfHeader;
    if ('passphrase' in secret) {
      const cost = options.scrypt ?? DEFAULT_COST;
      checkCost(cost);
      kdf = {
        name: 'scrypt',
        salt: randomBytes(16).toString('base64'),
        N: cost.N,
        r: cost.r,
        p: cost.p,
      };
    } else {
      kdf = { name: 'key-file' };
    }
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (exists) throw new ConcordatError('ERR_USAGE', `keyring \`${path}\` already exists`);
    const ring = new LocalKeyring(
      path,
      await masterKey(secret, kdf, path),
      kdf,
      [],
      options.clock ?? systemClock,
    );
    await ring.persist();
    return ring;
  }

  /** Opens and decrypts a keyring file. A wrong secret or an altered file is `ERR_KEYRING_LOCKED`. */
  static async open(
    path: string,
    secret: KeyringSecret,
    options: { readonly clock?: Clock } = {},
  ): Promise<LocalKeyring> {
    let text: string;
    let mode: number;
    try {
      text = await readFile(path, 'utf8');
      mode = (await stat(path)).mode;
    } catch (cause) {
      throw new ConcordatError('ERR_INPUT_UNREADABLE', `cannot read keyring \`${path}\``, {
        cause,
      });
    }
    if (process.platform !== 'win32' && (mode & 0o077) !== 0)
      throw locked(
        path,
        `it is readable by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600`,
      );
    let file: KeyringFile;
    try {
      file = JSON.parse(text) as KeyringFile;
    } catch (cause) {
      throw locked(path, 'it is not a keyring file', cause);
    }
    if (file.format !== FORMAT || typeof file.kdf !== 'object' || file.kdf === null)
      throw locked(path, `unknown format (expected \`${FORMAT}\`)`);
    if (file.kdf.name === 'scrypt') {
      // Checked before deriving: an edited header must not make us allocate gigabytes.
      try {
        checkCost(file.kdf);
      } catch (cause) {
        throw locked(path, 'its scrypt cost is out of bounds', cause);
      }
    }
    const master = await masterKey(secret, file.kdf, path);
    let plain: Buffer;
    try {
      plain = openSealed(
        master,
        {
          nonce: Buffer.from(file.nonce, 'base64'),
          ciphertext: Buffer.from(file.ciphertext, 'base64'),
          tag: Buffer.from(file.tag, 'base64'),
        },
        headerAad(file.kdf),
        'keyring',
      );
    } catch (cause) {
      master.fill(0);
      throw locked(path, 'wrong passphrase or key file, or the file was altered', cause);
    }
    const body = JSON.parse(plain.toString('utf8')) as {
      keks: { kekId: string; party: string; createdMs: number; key: string }[];
    };
    plain.fill(0);
    const keks = body.keks.map((k) => ({
      kekId: k.kekId,
      party: k.party,
      createdMs: k.createdMs,
      key: Buffer.from(k.key, 'base64'),
    }));
    return new LocalKeyring(path, master, file.kdf, keks, options.clock ?? systemClock);
  }

  private live(): void {
    if (this.closed)
      throw new ConcordatError('ERR_KEYRING_LOCKED', `keyring \`${this.path}\` is closed`);
  }

  private entry(kekId: string): KekEntry {
    this.live();
    const e = this.keks.find((k) => k.kekId === kekId);
    if (e === undefined)
      throw new ConcordatError(
        'ERR_NOT_FOUND',
        `kek \`${kekId}\` is not in keyring \`${this.path}\``,
      );
    return e;
  }

  private async persist(): Promise<void> {
    const body = Buffer.from(
      JSON.stringify({
        keks: this.keks.map((k) => ({
          kekId: k.kekId,
          party: k.party,
          createdMs: k.createdMs,
          key: k.key.toString('base64'),
        })),
      }),
      'utf8',
    );
    const s = seal(this.master, body, headerAad(this.kdf));
    body.fill(0);
    const file: KeyringFile = {
      format: FORMAT,
      kdf: this.kdf,
      nonce: Buffer.from(s.nonce).toString('base64'),
      ciphertext: Buffer.from(s.ciphertext).toString('base64'),
      tag: Buffer.from(s.tag).toString('base64'),
    };
    await writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`);
  }

  async kekFor(party: string): Promise<KekInfo | undefined> {
    this.live();
    let best: KekEntry | undefined;
    for (const k of this.keks)
      if (k.party === party && (best === undefined || k.createdMs >= best.createdMs)) best = k;
    return best === undefined ? undefined : info(best);
  }

  async kekInfo(kekId: string): Promise<KekInfo | undefined> {
    this.live();
    const e = this.keks.find((k) => k.kekId === kekId);
    return e === undefined ? undefined : info(e);
  }

  async createKek(party: string): Promise<KekInfo> {
    this.live();
    const entry: KekEntry = {
      kekId: `kek-${randomUUID()}`,
      party,
      createdMs: this.clock.now(),
      key: randomBytes(KEY_BYTES),
    };
    // Writes are serialised so two concurrent creations both reach the file.
    const done = this.writing.then(async () => {
      this.keks = [...this.keks, entry];
      try {
        await this.persist();
      } catch (err) {
        this.keks = this.keks.filter((k) => k !== entry);
        throw err;
      }
    });
    this.writing = done.catch(() => undefined);
    await done;
    return info(entry);
  }

  async wrap(kekId: string, dataKey: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
    return concatSealed(seal(this.entry(kekId).key, dataKey, aad));
  }

  async unwrap(kekId: string, wrapped: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
    const what = `data key under \`${kekId}\``;
    return openSealed(this.entry(kekId).key, splitSealed(wrapped, what), aad, what);
  }

  async listKeks(): Promise<readonly KekInfo[]> {
    this.live();
    return this.keks.map(info);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.writing;
    this.closed = true;
    for (const k of this.keks) k.key.fill(0);
    this.master.fill(0);
    this.keks = [];
  }
}

function info(k: KekEntry): KekInfo {
  return { kekId: k.kekId, party: k.party, createdMs: k.createdMs };
}

function headerAad(kdf: KdfHeader): Buffer {
  return encodeAad(FORMAT, [JSON.stringify(kdf)]);
}

/** Writes a new random 32-byte key file (mode 0600) for {@link KeyringSecret} `keyFile`. */
export async function createKeyFile(path: string): Promise<void> {
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  if (exists) throw new ConcordatError('ERR_USAGE', `key file \`${path}\` already exists`);
  await writeFileAtomic(path, randomBytes(KEY_BYTES));
}
