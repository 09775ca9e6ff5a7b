/** Rows for store tests that do not need real encryption (the vault tests cover that). */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { dataKeys } from '../../src/store/index.js';
import type { Database, ObjectVersionInput } from '../../src/store/index.js';

/** 2030-01-01T00:00:00Z: far enough ahead that nothing in these tests expires by accident. */
export const T0 = Date.UTC(2030, 0, 1);
export const DAY = 86_400_000;

/** Stores a data key row (random "wrapped" bytes) and returns its id. */
export async function seedKey(
  db: Database,
  producer = 'ARV',
  windowEndMs = T0 + 30 * DAY,
): Promise<string> {
  const keyId = `dk-${randomUUID()}`;
  await db.transaction((tx) =>
    dataKeys.insert(tx, {
      keyId,
      producer,
      windowStartMs: windowEndMs - DAY,
      windowEndMs,
      kekId: 'kek-test',
      wrapped: randomBytes(60),
      createdMs: T0,
    }),
  );
  return keyId;
}

/** A STIX id of `type` with a fresh UUID. */
export function stixId(type = 'indicator'): string {
  return `${type}--${randomUUID()}`;
}

/** An object version with random sealed bytes under `keyId`. */
export function version(
  keyId: string,
  over: Partial<Omit<ObjectVersionInput, 'sealed'>> & { readonly content?: string } = {},
): ObjectVersionInput {
  const content = over.content ?? `{"n":"${randomUUID()}"}`;
  return {
    id: over.id ?? stixId(over.type ?? 'indicator'),
    type: over.type ?? 'indicator',
    specVersion: over.specVersion ?? '2.1',
    modified: over.modified ?? '2029-06-01T00:00:00.000Z',
    collection: over.collection ?? 'c1',
    producer: over.producer ?? 'ARV',
    tlp: over.tlp === undefined ? 'green' : over.tlp,
    revoked: over.revoked ?? false,
    retainUntilMs: over.retainUntilMs ?? T0 + 10 * DAY,
    contentHash: over.contentHash ?? createHash('sha256').update(content).digest(),
    sealed: { keyId, nonce: randomBytes(12), ciphertext: randomBytes(600), tag: randomBytes(16) },
  };
}
