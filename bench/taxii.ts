/**
 * TAXII serving (issue 4): objects/s served over loopback through the full release path —
 * authenticate, decide, minimise, stamp the handling extension, ledger the release — for pages
 * of 100 and 1,000, beside a bare fastify route that returns the same stored objects (read
 * from the store and decrypted, the stored JSON bytes spliced into the envelope unparsed; no
 * decision, no stamp, no ledger) measured in the same run.
 * The ratio is the release path's cost per object over the bare route's. autocannon runs in
 * this process, so client and server share the machine's cores (both figures alike).
 *
 * The release path keeps prepared versions (decision metadata, minimised JSON) in its
 * in-memory cache across requests, so repeated pages skip decryption and minimisation — never
 * the decision, the stamp or the ledger. The same path with the cache off (every object read,
 * decrypted, classified and minimised on every request) is measured beside it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { parseAgreement } from '../src/agreement/index.js';
import { manualClock } from '../src/core/index.js';
import { ingestBundle } from '../src/node/index.js';
import { compileAgreement } from '../src/policy/index.js';
import { ReleaseCache } from '../src/release/index.js';
import {
  buildServer,
  memoryAuthStore,
  memoryWithdrawals,
  TAXII_MEDIA_TYPE,
} from '../src/server/index.js';
import { objects, openSqlite } from '../src/store/index.js';
import { LocalKeyring, createVault } from '../src/vault/index.js';
import { median, type BenchContext, type Figure, type Suite } from './harness.js';

const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const NOW = Date.parse('2026-03-03T14:00:00Z');

function indicator(n: number): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2026-02-01T00:00:00.000Z',
    modified: '2026-02-01T00:00:00.000Z',
    name: `bench indicator ${n}`,
    description: 'a command-and-control host seen in the bench campaign',
    pattern: `[domain-name:value = 'c2-${n}.bench.example']`,
    pattern_type: 'stix',
    valid_from: '2026-02-01T00:00:00Z',
    labels: ['malicious-activity'],
    object_marking_refs: [GREEN],
  };
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const a = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${a.port}`;
}

async function rate(
  url: string,
  headers: Record<string, string>,
  seconds: number,
): Promise<number> {
  const r = await autocannon({ url, headers, connections: 4, duration: seconds });
  if (r.non2xx > 0 || r.errors > 0)
    throw new Error(`bench request failed: ${r.non2xx} non-2xx, ${r.errors} errors for ${url}`);
  // Completed requests over the run's real length (per-second averages round a slow page to 0).
  return r.requests.total / r.duration;
}

async function run(ctx: BenchContext): Promise<readonly Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'concordat-bench-taxii-'));
  const apps: FastifyInstance[] = [];
  try {
    const clock = manualClock(NOW);
    const db = await openSqlite({ path: join(dir, 'bench.db'), clock });
    const keyring = await LocalKeyring.create(
      join(dir, 'ring.json'),
      { passphrase: 'bench' },
      { clock, scrypt: { N: 2 ** 14, r: 8, p: 1 } },
    );
    const vault = createVault({ custody: keyring, clock });
    const source = new URL('../examples/agreements/northsea-compact.yaml', import.meta.url);
    const parsed = parseAgreement(readFileSync(source, 'utf8'), { sourceName: source.pathname });
    if (!parsed.ok) throw new Error('the example agreement does not parse');
    const agreement = parsed.agreement;
    // A page of 1,000 needs 1,001 releasable objects to be full and report `more`.
    const count = ctx.quick ? 1_100 : 2_000;
    for (let i = 0; i < count; i += 550)
      await ingestBundle(
        {
          type: 'bundle',
          id: `bundle--${randomUUID()}`,
          objects: Array.from({ length: 550 }, (_, j) => indicator(i + j)),
        },
        {
          db,
          vault,
          clock,
          producer: 'ARV',
          collection: agreement.id,
          retention: { untilMs: NOW + 90 * 86_400_000 },
        },
      );
    ctx.log(`  taxii: ${count} objects stored`);
    const auth = memoryAuthStore();
    const token = auth.issue('BOR-CERT', ['read']).token;
    const level = agreement.levels[0]?.id ?? 'baseline';
    // The server as it runs, and the same server with a cache that keeps nothing: the cold
    // path, on every request.
    const server = (extra: { releaseCache?: ReleaseCache } = {}): ReturnType<typeof buildServer> =>
      buildServer({
        db,
        vault,
        clock,
        agreements: [
          {
            agreement,
            engine: compileAgreement(agreement),
            pseudonymKey: { pseudonymKey: randomBytes(32), agreementId: agreement.id },
          },
        ],
        state: () => ({ level, waivers: [], pauses: [], revocations: [] }),
        ingest: async () => ({ objects: [] }),
        auth,
        withdrawals: memoryWithdrawals(),
        ...extra,
      });
    const release = server();
    apps.push(release);
    const cold = server({ releaseCache: new ReleaseCache({ maxEntries: 0 }) });
    apps.push(cold);
    // The baseline: the same page of stored objects, read and decrypted, sent as an envelope.
    const bare = Fastify({ logger: false });
    bare.get<{ Querystring: { limit?: string } }>('/bare', async (request, reply) => {
      const limit = Number(request.query.limit ?? '100');
      const page = await objects.find(db, {
        visibleAtMs: clock.now(),
        collection: agreement.id,
        limit,
      });
      // The stored bytes are already JSON: spliced into the envelope, never parsed again.
      const parts: Buffer[] = [Buffer.from('{"more":true,"objects":[')];
      for (const [i, r] of page.items.entries()) {
        if (i > 0) parts.push(Buffer.from(','));
        parts.push(await vault.openRecord(db, r));
      }
      parts.push(Buffer.from(']}'));
      return reply.header('content-type', TAXII_MEDIA_TYPE).send(Buffer.concat(parts));
    });
    apps.push(bare);
    const releaseBase = await listen(release);
    const coldBase = await listen(cold);
    const bareBase = await listen(bare);
    const headers = { accept: TAXII_MEDIA_TYPE, authorization: `Bearer ${token}` };
    const path = `/taxii2/${agreement.id}/collections/incident-response/objects/`;
    const objectsUrl = `${releaseBase}${path}`;
    const coldUrl = `${coldBase}${path}`;

    const figures: Figure[] = [];
    const seconds = ctx.quick ? 1.5 : 5;
    const rounds = ctx.quick ? 1 : 3;
    for (const size of [100, 1000]) {
      // Both routes must serve full pages, or the comparison means nothing.
      const check = await fetch(`${objectsUrl}?limit=${size}`, { headers });
      const got = ((await check.json()) as { objects?: unknown[] }).objects?.length ?? 0;
      const bareGot = (
        (await (await fetch(`${bareBase}/bare?limit=${size}`)).json()) as { objects: unknown[] }
      ).objects.length;
      if (got !== size || bareGot !== size)
        throw new Error(`pages are not full: release ${got}, bare ${bareGot} of ${size}`);
      const rel: number[] = [];
      const coldRates: number[] = [];
      const base: number[] = [];
      for (let r = 0; r < rounds; r++) {
        base.push((await rate(`${bareBase}/bare?limit=${size}`, {}, seconds)) * size);
        rel.push((await rate(`${objectsUrl}?limit=${size}`, headers, seconds)) * size);
        coldRates.push((await rate(`${coldUrl}?limit=${size}`, headers, seconds)) * size);
      }
      const relRate = median(rel);
      const coldRate = median(coldRates);
      const bareRate = median(base);
      ctx.log(
        `  taxii: page ${size}: release ${Math.round(relRate)}/s, cold ${Math.round(coldRate)}/s, bare ${Math.round(bareRate)}/s`,
      );
      figures.push(
        {
          name: `taxii.release.p${size}.objects_per_s`,
          value: relRate,
          unit: 'objects/s',
          label: `release path, pages of ${size}`,
        },
        {
          name: `taxii.release_cold.p${size}.objects_per_s`,
          value: coldRate,
          unit: 'objects/s',
          label: `release path with no cache (decrypt + minimise every object), pages of ${size}`,
        },
        {
          name: `taxii.bare.p${size}.objects_per_s`,
          value: bareRate,
          unit: 'objects/s',
          label: `bare fastify route, same stored objects, pages of ${size} (baseline)`,
        },
        {
          name: `taxii.cost_ratio.p${size}`,
          value: bareRate / relRate,
          unit: 'x',
          label: `release ÷ bare, time per object, pages of ${size}`,
        },
        {
          name: `taxii.cost_ratio_cold.p${size}`,
          value: bareRate / coldRate,
          unit: 'x',
          label: `release with no cache ÷ bare, time per object, pages of ${size}`,
        },
      );
    }
    return figures;
  } finally {
    for (const app of apps) await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** TAXII serving through the one door vs a bare route. */
export const taxiiSuite: Suite = {
  name: 'taxii',
  target: '≥ 30,000 objects/s through the release path; release ≤ 2× the bare route per object',
  run,
};
