/**
 * Rate limiting per principal: a token bucket per agency, stepped with an injected clock (no
 * timing in the test). Over budget: 429, a TAXII error body, `Retry-After`; other agencies
 * unaffected; refused credentials never reach the limiter.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/index.js';
import {
  buildServer,
  memoryAuthStore,
  memoryWithdrawals,
  TAXII_MEDIA_TYPE,
  tokenBucketLimiter,
} from '../../src/server/index.js';
import { openSqlite } from '../../src/store/index.js';
import { makeVault } from '../vault/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'concordat-rate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('token bucket', () => {
  it('allows a burst, then one request per refill interval; a stepped-back clock refills nothing', () => {
    const l = tokenBucketLimiter({ perSecond: 2, burst: 3 });
    expect([0, 0, 0].map(() => l.take('A', 1000))).toEqual([0, 0, 0]);
    expect(l.take('A', 1000)).toBe(500);
    expect(l.take('B', 1000)).toBe(0);
    expect(l.take('A', 1499)).toBe(1);
    expect(l.take('A', 1500)).toBe(0);
    expect(l.take('A', 900)).toBe(500);
    // Idle long enough: full again, never more than the burst.
    expect([0, 0, 0, 0].map(() => l.take('A', 100_000))).toEqual([0, 0, 0, 500]);
  });

  it('forgets full buckets when too many keys are held, and keeps partial ones', () => {
    const l = tokenBucketLimiter({ perSecond: 1, burst: 1 }, 2);
    expect(l.take('A', 0)).toBe(0);
    expect(l.take('B', 5000)).toBe(0);
    expect(l.take('C', 5000)).toBe(0); // A refilled and was swept; B is still empty
    expect(l.take('B', 5000)).toBe(1000);
  });

  it('refuses a limit that would never refill', () => {
    expect(() => tokenBucketLimiter({ perSecond: 0, burst: 1 })).toThrow(RangeError);
    expect(() => tokenBucketLimiter({ perSecond: 1, burst: 0 })).toThrow(RangeError);
  });
});

describe('rate limit in the server', () => {
  it('429 with a TAXII error body and Retry-After, per agency; bad credentials are 401 first', async () => {
    const v = await makeVault();
    const db = await openSqlite({ path: join(dir, 'rate.db'), clock: v.clock });
    const auth = memoryAuthStore();
    const a = auth.issue('ARV-CERT', ['read']).token;
    const b = auth.issue('BOR-CERT', ['read']).token;
    const clock = manualClock(v.clock.now());
    const app = buildServer({
      db,
      vault: v.vault,
      clock,
      agreements: [],
      state: () => ({ level: 'baseline', waivers: [], pauses: [], revocations: [] }),
      ingest: async () => ({ objects: [] }),
      auth,
      withdrawals: memoryWithdrawals(),
      rateLimit: { perSecond: 1, burst: 2 },
    });
    const hit = (token: string) =>
      app.inject({
        url: '/taxii2/',
        headers: { accept: TAXII_MEDIA_TYPE, authorization: `Bearer ${token}` },
      });
    expect((await hit(a)).statusCode).toBe(200);
    expect((await hit(a)).statusCode).toBe(200);
    const refused = await hit(a);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    expect(JSON.parse(refused.body)).toMatchObject({
      error_code: 'ERR_RATE_LIMITED',
      http_status: '429',
      details: { retryAfterSeconds: 1 },
    });
    expect((await hit(b)).statusCode).toBe(200);
    // Unknown tokens are refused by authentication and cost no agency anything.
    for (let i = 0; i < 5; i++) expect((await hit(`cct_${'x'.repeat(43)}`)).statusCode).toBe(401);
    expect((await hit(b)).statusCode).toBe(200);
    clock.advance(1000);
    expect((await hit(a)).statusCode).toBe(200);
    expect((await hit(a)).statusCode).toBe(429);
    await app.close();
    await db.close();
  });
});
