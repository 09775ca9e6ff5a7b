/** A vault over a fresh local keyring (cheap scrypt cost: these are tests, not secrets). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualClock } from '../../src/core/index.js';
import type { ManualClock } from '../../src/core/index.js';
import { LocalKeyring, createVault } from '../../src/vault/index.js';
import type { PutObjectInput, RetentionWindow, Vault } from '../../src/vault/index.js';
import { T0 } from '../store/fixtures.js';

export const PASS = 'correct horse battery staple';
export const FAST_SCRYPT = { N: 2 ** 14, r: 8, p: 1 };

export interface VaultFixture {
  readonly clock: ManualClock;
  readonly keyring: LocalKeyring;
  readonly keyringPath: string;
  readonly vault: Vault;
  /** A second vault over the same keyring with an empty key cache (a restarted process). */
  fresh(): Vault;
}

export async function makeVault(window: RetentionWindow = 'day'): Promise<VaultFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'concordat-vault-'));
  const clock = manualClock(T0);
  const keyringPath = join(dir, 'keyring.json');
  const keyring = await LocalKeyring.create(
    keyringPath,
    { passphrase: PASS },
    { clock, scrypt: FAST_SCRYPT },
  );
  const fresh = (): Vault => createVault({ custody: keyring, clock, window });
  return { clock, keyring, keyringPath, vault: fresh(), fresh };
}

let n = 0;

/** An indicator version whose content carries `marker`. */
export function stixObject(
  over: Partial<PutObjectInput> & { readonly marker?: string } = {},
): PutObjectInput {
  const id = over.id ?? `indicator--00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  const modified = over.modified ?? '2029-12-01T00:00:00.000Z';
  const content = JSON.stringify({
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: modified,
    modified,
    pattern: `[url:value = 'https://${over.marker ?? 'example'}.test/']`,
    pattern_type: 'stix',
    valid_from: modified,
  });
  return {
    id,
    type: 'indicator',
    specVersion: '2.1',
    modified,
    collection: 'c1',
    producer: over.producer ?? 'ARV',
    tlp: 'amber',
    revoked: false,
    retainUntilMs: over.retainUntilMs ?? T0 + 3 * 86_400_000,
    ...over,
    content: over.content ?? Buffer.from(content),
  };
}
