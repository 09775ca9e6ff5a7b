/**
 * Crash test (issue 3, DESIGN invariant 6 "nothing acknowledged is lost"): a child process
 * ingests bundles and acknowledges each after its commit; it is killed with SIGKILL at a random
 * moment, CONCORDAT_CRASH_RUNS times (default 20) per dialect, against one database that
 * accumulates. After every kill: every acknowledged object is stored and decrypts, each stored
 * object has exactly one ledger entry, and the ledger verifies.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { systemClock } from '../../src/core/index.js';
import { verifyLedger } from '../../src/ledger/index.js';
import { ledgerRecords } from '../../src/node/index.js';
import { instantToMicros, ledgerEntries, objects } from '../../src/store/index.js';
import { LocalKeyring, createVault } from '../../src/vault/index.js';
import { FAST_SCRYPT, PASS } from '../vault/fixtures.js';
import { describeDialects } from './dialects.js';

const RUNS = Number(process.env.CONCORDAT_CRASH_RUNS ?? 20);
const CHILD = new URL('./crash-child.ts', import.meta.url).pathname;
const VERSION = '2029-11-01T00:00:00.000Z';

/** Runs the child until `killAfterMs` past its `ready`, SIGKILLs it, returns the acked ids. */
function crashOnce(args: readonly string[], killAfterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (timer === undefined && out.includes('ready\n'))
        timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`child exited ${code}: ${err}`));
      // Only complete lines count: a line cut by the kill was never an acknowledgement.
      const lines = out.split('\n').slice(0, -1);
      resolve(lines.filter((l) => l.startsWith('ack ')).flatMap((l) => l.slice(4).split(' ')));
    });
  });
}

describeDialects('crash (kill -9 while ingesting)', (d) => {
  it(`loses no acknowledged object and keeps the ledger verifiable across ${RUNS} kills`, async () => {
    const t = await d.fresh();
    const dir = mkdtempSync(join(tmpdir(), 'concordat-crash-'));
    const keyringPath = join(dir, 'keyring.json');
    const ring = await LocalKeyring.create(
      keyringPath,
      { passphrase: PASS },
      { scrypt: FAST_SCRYPT },
    );
    await ring.createKek('ARV');
    await t.db.close();
    const where = d.name === 'sqlite' ? t.file! : t.url!;
    const acked: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      // Random kill points: from the first statements to many committed bundles.
      const ids = await crashOnce(
        [d.name, where, keyringPath, PASS],
        Math.floor(Math.random() * 400),
      );
      acked.push(...ids);
      const db = await t.reopen();
      try {
        const vault = createVault({ custody: ring, clock: systemClock, createMissingKeks: false });
        for (const id of ids) {
          const rec = await objects.get(db, id, instantToMicros(VERSION));
          expect(rec, `acknowledged ${id} lost in run ${run}`).toBeDefined();
          expect(JSON.parse((await vault.openRecord(db, rec!)).toString('utf8')).id).toBe(id);
        }
        const size = await ledgerEntries.size(db);
        expect(await objects.count(db)).toBe(size);
        const verdict = await verifyLedger(await ledgerRecords(db, 0, size), [], { verifiers: [] });
        expect(verdict.ok, `ledger breaks after run ${run}`).toBe(true);
      } finally {
        await db.close();
      }
    }
    expect(acked.length).toBeGreaterThan(0);
    await ring.close();
  }, 600_000);
});
