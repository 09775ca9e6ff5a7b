/**
 * Durable API tokens (migration 2) on both dialects: issued tokens authenticate through the
 * server's own `authenticate`, survive a reopen, revoke once and for good, expire; only the
 * hash is stored.
 */
import type { FastifyRequest } from 'fastify';
import { expect, it } from 'vitest';
import { isConcordatError, manualClock } from '../../src/core/index.js';
import { storeAuthStore } from '../../src/node/index.js';
import { authenticate, hashToken } from '../../src/server/index.js';
import { apiTokens } from '../../src/store/index.js';
import { describeDialects } from './dialects.js';
import { T0 } from './fixtures.js';

function request(token: string): FastifyRequest {
  return { headers: { authorization: `Bearer ${token}` } } as unknown as FastifyRequest;
}

async function authAt(store: ReturnType<typeof storeAuthStore>, token: string, now: number) {
  return authenticate(request(token), {
    auth: store,
    peerCertificate: () => undefined,
    now,
  }).then(
    (p) => p,
    (err: unknown) => (isConcordatError(err) ? err.message : err),
  );
}

describeDialects('store api tokens', (d) => {
  it('an issued token authenticates its agency with its scopes, after a reopen too', async () => {
    const clock = manualClock(T0);
    const t = await d.fresh({ clock });
    const store = storeAuthStore(t.db, clock);
    const { token, info } = await store.issue({ agency: 'ARV-CERT', scopes: ['write', 'read'] });
    expect(info).toEqual({
      id: info.id,
      agency: 'ARV-CERT',
      scopes: ['read', 'write'],
      createdAt: T0,
    });
    expect(await authAt(store, token, T0)).toEqual({
      agency: 'ARV-CERT',
      scopes: ['read', 'write'],
      via: 'token',
    });
    const again = storeAuthStore(await t.reopen(), clock);
    expect(await authAt(again, token, T0 + 1)).toMatchObject({ agency: 'ARV-CERT' });
    // Only the SHA-256 is stored: the token text appears in no column.
    const rows = await t.db.all('SELECT * FROM api_tokens');
    expect(JSON.stringify(rows)).not.toContain(token.slice(4));
    expect(Buffer.from((await apiTokens.get(t.db, info.id))!.hash)).toEqual(
      Buffer.from(hashToken(token)),
    );
  });

  it('revoked-token: refused from the revocation on; revoking twice keeps the first instant', async () => {
    const clock = manualClock(T0);
    const t = await d.fresh({ clock });
    const store = storeAuthStore(t.db, clock);
    const { token, info } = await store.issue({ agency: 'BOR-CERT', scopes: ['read'] });
    clock.set(T0 + 1000);
    expect(await store.revoke(info.id)).toBe(true);
    clock.set(T0 + 2000);
    expect(await store.revoke(info.id)).toBe(false);
    expect((await store.list())[0]).toMatchObject({ id: info.id, revokedAt: T0 + 1000 });
    expect(await authAt(store, token, T0 + 1000)).toBe('the bearer token was revoked');
    await expect(store.revoke('no-such-id')).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
  });

  it('expired-token: live until its expiry, refused at and after it', async () => {
    const clock = manualClock(T0);
    const t = await d.fresh({ clock });
    const store = storeAuthStore(t.db, clock);
    const { token } = await store.issue({
      agency: 'CAL-CSIRT',
      scopes: ['read'],
      expiresAt: T0 + 60_000,
    });
    expect(await authAt(store, token, T0 + 59_999)).toMatchObject({ agency: 'CAL-CSIRT' });
    expect(await authAt(store, token, T0 + 60_000)).toBe('the bearer token has expired');
  });

  it('unknown-token, bad scopes, past expiry, bad agency: refused, nothing written', async () => {
    const clock = manualClock(T0);
    const t = await d.fresh({ clock });
    const store = storeAuthStore(t.db, clock);
    expect(await authAt(store, `cct_${'A'.repeat(43)}`, T0)).toBe('the bearer token is not known');
    for (const bad of [
      { agency: 'A', scopes: [] },
      { agency: 'A', scopes: ['superuser'] },
      { agency: 'A', scopes: ['read'], expiresAt: T0 },
      { agency: 'bad agency', scopes: ['read'] },
      { agency: '', scopes: ['read'] },
    ])
      await expect(store.issue(bad as never)).rejects.toMatchObject({ code: 'ERR_USAGE' });
    expect(await apiTokens.count(t.db)).toBe(0);
  });

  it('an unknown stored scope grants nothing (a newer node may have written it)', async () => {
    const clock = manualClock(T0);
    const t = await d.fresh({ clock });
    const store = storeAuthStore(t.db, clock);
    const { info } = await store.issue({ agency: 'ARV-CERT', scopes: ['read'] });
    await t.db.run("UPDATE api_tokens SET scopes = 'read,superuser' WHERE token_id = ?", [info.id]);
    expect((await store.list())[0]!.scopes).toEqual(['read']);
  });

  it('an official token (migration 5) authenticates the official with no agency scope, after a reopen too', async () => {
    const clock = manualClock(T0);
    const t = await d.fresh({ clock });
    const store = storeAuthStore(t.db, clock);
    const { token, info } = await store.issueOfficial({ official: 'ARV-LIAISON' });
    expect(info).toEqual({
      id: info.id,
      agency: 'ARV-LIAISON',
      scopes: [],
      createdAt: T0,
      official: 'ARV-LIAISON',
    });
    expect(await authAt(store, token, T0)).toEqual({
      agency: 'ARV-LIAISON',
      scopes: [],
      via: 'token',
      official: 'ARV-LIAISON',
    });
    const again = storeAuthStore(await t.reopen(), clock);
    expect(await authAt(again, token, T0 + 1)).toMatchObject({ official: 'ARV-LIAISON' });
    expect((await again.list()).map((x) => x.official)).toEqual(['ARV-LIAISON']);
    // An agency token carries no official.
    const agency = await store.issue({ agency: 'ARV-CERT', scopes: ['read'] });
    expect(await authAt(store, agency.token, T0)).not.toHaveProperty('official');
    expect((await apiTokens.get(t.db, agency.info.id))!.official).toBeNull();
    // Revocation and expiry apply as to any token.
    expect(await store.revoke(info.id)).toBe(true);
    expect(await authAt(store, token, T0 + 2)).toBe('the bearer token was revoked');
    const bad = await store.issueOfficial({ official: 'not an id!' }).then(
      () => 'issued',
      (err: unknown) => (isConcordatError(err) ? err.code : err),
    );
    expect(bad).toBe('ERR_USAGE');
    const past = await store.issueOfficial({ official: 'ARV-LIAISON', expiresAt: T0 }).then(
      () => 'issued',
      (err: unknown) => (isConcordatError(err) ? err.code : err),
    );
    expect(past).toBe('ERR_USAGE');
    expect(await apiTokens.count(t.db)).toBe(2);
  });
});
