import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isConcordatError } from '../../src/core/index.js';
import { LocalKeyring, createKeyFile } from '../../src/vault/index.js';
import { FAST_SCRYPT, PASS } from './fixtures.js';

const dir = (): string => mkdtempSync(join(tmpdir(), 'concordat-keyring-'));
const aad = Buffer.from('aad');

async function code(p: Promise<unknown>): Promise<string | undefined> {
  return p.then(
    () => undefined,
    (e: unknown) => (isConcordatError(e) ? e.code : String(e)),
  );
}

describe('local keyring', () => {
  it('persists KEKs: a data key wrapped before a restart unwraps after it', async () => {
    const path = join(dir(), 'ring.json');
    const ring = await LocalKeyring.create(path, { passphrase: PASS }, { scrypt: FAST_SCRYPT });
    const kek = await ring.createKek('ARV');
    const dk = randomBytes(32);
    const wrapped = await ring.wrap(kek.kekId, dk, aad);
    expect(Buffer.from(wrapped).includes(dk)).toBe(false);
    await ring.close();
    const again = await LocalKeyring.open(path, { passphrase: PASS });
    expect(await again.kekFor('ARV')).toEqual(kek);
    expect(await again.kekFor('BOR')).toBeUndefined();
    expect(Buffer.from(await again.unwrap(kek.kekId, wrapped, aad)).equals(dk)).toBe(true);
    expect(await code(again.unwrap(kek.kekId, wrapped, Buffer.from('other')))).toBe(
      'ERR_DECRYPT_FAILED',
    );
    await again.close();
    expect(await code(again.wrap(kek.kekId, dk, aad))).toBe('ERR_KEYRING_LOCKED');
  });

  it('writes the file with mode 0600, atomically, with no key material in the clear', async () => {
    const d = dir();
    const path = join(d, 'ring.json');
    const ring = await LocalKeyring.create(path, { passphrase: PASS }, { scrypt: FAST_SCRYPT });
    await Promise.all([ring.createKek('ARV'), ring.createKek('BOR'), ring.createKek('CAL')]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(d)).toEqual(['ring.json']);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toMatch(/ARV|BOR|CAL|kek-/);
    const reopened = await LocalKeyring.open(path, { passphrase: PASS });
    expect((await reopened.listKeks()).map((k) => k.party).sort()).toEqual(['ARV', 'BOR', 'CAL']);
  });

  it('wrong-passphrase is a clear ERR_KEYRING_LOCKED', async () => {
    const path = join(dir(), 'ring.json');
    await LocalKeyring.create(path, { passphrase: PASS }, { scrypt: FAST_SCRYPT });
    const err = await LocalKeyring.open(path, { passphrase: 'wrong horse' }).catch(
      (e: unknown) => e,
    );
    expect(isConcordatError(err, 'ERR_KEYRING_LOCKED')).toBe(true);
    expect((err as Error).message).toMatch(/wrong passphrase or key file/);
  });

  it('refuses an altered file (flipped-char-in-ciphertext, edited-kdf-header)', async () => {
    const path = join(dir(), 'ring.json');
    const ring = await LocalKeyring.create(path, { passphrase: PASS }, { scrypt: FAST_SCRYPT });
    await ring.createKek('ARV');
    const original = JSON.parse(readFileSync(path, 'utf8'));
    const ct = Buffer.from(original.ciphertext, 'base64');
    ct[5]! ^= 1;
    writeFileSync(path, JSON.stringify({ ...original, ciphertext: ct.toString('base64') }), {
      mode: 0o600,
    });
    expect(await code(LocalKeyring.open(path, { passphrase: PASS }))).toBe('ERR_KEYRING_LOCKED');
    // edited-kdf-header: the header is authenticated, so even reordering its keys fails.
    const { N, r, p, name, salt } = original.kdf;
    writeFileSync(path, JSON.stringify({ ...original, kdf: { name, salt, p, r, N } }), {
      mode: 0o600,
    });
    expect(await code(LocalKeyring.open(path, { passphrase: PASS }))).toBe('ERR_KEYRING_LOCKED');
    // inflated-scrypt-cost: refused before any derivation is attempted.
    writeFileSync(path, JSON.stringify({ ...original, kdf: { ...original.kdf, N: 2 ** 24 } }), {
      mode: 0o600,
    });
    expect(await code(LocalKeyring.open(path, { passphrase: PASS }))).toBe('ERR_KEYRING_LOCKED');
    writeFileSync(path, 'not json', { mode: 0o600 });
    expect(await code(LocalKeyring.open(path, { passphrase: PASS }))).toBe('ERR_KEYRING_LOCKED');
  });

  it('opens with a key file, and refuses the wrong one or a passphrase instead', async () => {
    const d = dir();
    const keyFile = join(d, 'master.key');
    const other = join(d, 'other.key');
    await createKeyFile(keyFile);
    await createKeyFile(other);
    expect(statSync(keyFile).size).toBe(32);
    const path = join(d, 'ring.json');
    const ring = await LocalKeyring.create(path, { keyFile });
    const kek = await ring.createKek('ARV');
    const again = await LocalKeyring.open(path, { keyFile });
    expect(await again.kekInfo(kek.kekId)).toEqual(kek);
    expect(await code(LocalKeyring.open(path, { keyFile: other }))).toBe('ERR_KEYRING_LOCKED');
    expect(await code(LocalKeyring.open(path, { passphrase: PASS }))).toBe('ERR_KEYRING_LOCKED');
    const hex = join(d, 'hex.key');
    writeFileSync(hex, `${readFileSync(keyFile).toString('hex')}\n`);
    expect(await code(LocalKeyring.open(path, { keyFile: hex }))).toBeUndefined();
    const bad = join(d, 'bad.key');
    writeFileSync(bad, 'too short');
    expect(await code(LocalKeyring.open(path, { keyFile: bad }))).toBe('ERR_KEY_INVALID');
  });

  it('refuses a keyring other users can read, and creating over an existing file', async () => {
    const path = join(dir(), 'ring.json');
    await LocalKeyring.create(path, { passphrase: PASS }, { scrypt: FAST_SCRYPT });
    expect(
      await code(LocalKeyring.create(path, { passphrase: PASS }, { scrypt: FAST_SCRYPT })),
    ).toBe('ERR_USAGE');
    chmodSync(path, 0o644);
    const err = await LocalKeyring.open(path, { passphrase: PASS }).catch((e: unknown) => e);
    expect(isConcordatError(err, 'ERR_KEYRING_LOCKED')).toBe(true);
    expect((err as Error).message).toMatch(/chmod 600/);
  });

  it('refuses a weak scrypt cost and an empty passphrase', async () => {
    const d = dir();
    expect(
      await code(
        LocalKeyring.create(
          join(d, 'a'),
          { passphrase: PASS },
          { scrypt: { N: 1024, r: 8, p: 1 } },
        ),
      ),
    ).toBe('ERR_USAGE');
    expect(
      await code(LocalKeyring.create(join(d, 'b'), { passphrase: '' }, { scrypt: FAST_SCRYPT })),
    ).toBe('ERR_KEYRING_LOCKED');
  });

  it('reports a missing KEK as not found', async () => {
    const ring = await LocalKeyring.create(
      join(dir(), 'r'),
      { passphrase: PASS },
      { scrypt: FAST_SCRYPT },
    );
    expect(await code(ring.unwrap('kek-nope', new Uint8Array(60), aad))).toBe('ERR_NOT_FOUND');
  });
});
