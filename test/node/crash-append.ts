/** Appends a ledger entry the way ingest does, but signs no checkpoint: a crash after commit. */
import { canonicalJson } from '../../src/agreement/index.js';
import { entryLeafHash } from '../../src/ledger/index.js';
import { ledgerEntries } from '../../src/store/index.js';
import type { NodeFixture } from './fixtures.js';

export async function appendUnsigned(f: NodeFixture): Promise<{ ledger: number }> {
  const at = f.clock.now();
  const body = { note: 'appended without a checkpoint' };
  await f.node.db.transaction((tx) =>
    ledgerEntries.appendWith(tx, 1, (seq) => ({
      atMs: at,
      kind: 'test',
      body: canonicalJson(body),
      leafHash: entryLeafHash({ seq, at, kind: 'test', body }),
    })),
  );
  return { ledger: await ledgerEntries.size(f.node.db) };
}
