/**
 * Child process for the crash test: ingests bundles forever and, after each commit, prints
 * `ack <id> ...` on stdout (synchronously, so an ack is printed only for a committed bundle).
 * The parent kills it with SIGKILL at a random moment. Every other bundle is large enough to be
 * prepared on an ingest worker, so kills also land while a worker streams chunks to the writer.
 * argv: <sqlite|postgres> <database file or url> <keyring path> <passphrase>
 */
import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import { systemClock } from '../../src/core/index.js';
import { validateStixBundle } from '../../src/intel/index.js';
import { IngestWorkers, WORKER_MIN_OBJECTS, ingestBundle } from '../../src/node/index.js';
import { openPostgres, openSqlite } from '../../src/store/index.js';
import { LocalKeyring, createVault } from '../../src/vault/index.js';

const [dialect, where, keyringPath, passphrase] = process.argv.slice(2);
const db =
  dialect === 'sqlite'
    ? await openSqlite({ path: where! })
    : await openPostgres({ connectionString: where! });
const custody = await LocalKeyring.open(keyringPath!, { passphrase: passphrase! });
const vault = createVault({ custody, clock: systemClock, createMissingKeks: false });
const bundleOf = (objects: readonly object[]): object => ({
  type: 'bundle',
  id: `bundle--${randomUUID()}`,
  objects,
});
const indicator = (): Record<string, unknown> => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
  created: '2029-11-01T00:00:00.000Z',
  modified: '2029-11-01T00:00:00.000Z',
  pattern: `[domain-name:value = '${randomUUID()}.example']`,
  pattern_type: 'stix',
  valid_from: '2029-11-01T00:00:00Z',
});
// Compile the STIX schemas before `ready`, so kills land in ingest work, not in start-up.
validateStixBundle(bundleOf([indicator()]));
writeSync(1, 'ready\n');
const preparer = IngestWorkers.start(1);
for (let n = 0; ; n++) {
  const objects = Array.from({ length: n % 2 === 0 ? 10 : WORKER_MIN_OBJECTS + 44 }, indicator);
  await ingestBundle(bundleOf(objects), {
    preparer,
    db,
    vault,
    clock: systemClock,
    producer: 'ARV',
    collection: 'crash',
    retention: { untilMs: systemClock.now() + 30 * 86_400_000 },
  });
  writeSync(1, `ack ${objects.map((o) => o.id).join(' ')}\n`);
}
