/** `concordat token issue|list|revoke`: shown once, stored hashed, revocable, expiring. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock, parseInstant } from '../../src/core/index.js';
import { cli, json, TEST_NOW } from './harness.js';
import { freshNode, issueToken } from '../server/e2e-harness.js';

describe('concordat token', () => {
  it('issue shows the token once; list never shows it; revoke marks it revoked', async () => {
    const { dir, config } = await freshNode();
    const human = await cli([
      'token',
      'issue',
      '--agency',
      'BOR-CERT',
      '--scope',
      'read,write',
      '--expires',
      'P30D',
      '--config',
      config,
    ]);
    expect(human.code, human.stderr).toBe(0);
    const token = human.stdout.split('\n')[0]!;
    expect(token).toMatch(/^cct_[A-Za-z0-9_-]{43}$/);
    expect(human.stdout).toContain(
      'agency BOR-CERT  scopes read,write  expires 2026-04-02T14:00:00.000Z',
    );
    const { id } = await issueToken(config, 'CAL-CSIRT');
    const list = await cli(['--json', 'token', 'list', '--config', config]);
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain(token.slice(4));
    const byAgency = (l: unknown) =>
      [...(l as { agency: string }[])].sort((a, b) => a.agency.localeCompare(b.agency));
    expect(byAgency(json(list).tokens)).toMatchObject([
      {
        agency: 'BOR-CERT',
        scopes: ['read', 'write'],
        status: 'live',
        createdAt: TEST_NOW.replace('Z', '.000Z'),
      },
      { id, agency: 'CAL-CSIRT', scopes: ['read'], status: 'live', expiresAt: null },
    ]);
    const revoked = await cli(['token', 'revoke', id, '--config', config]);
    expect(revoked.stdout).toBe(`revoked ${id}\n`);
    const again = await cli(['--json', 'token', 'revoke', id, '--config', config]);
    expect(json(again)).toEqual({ id, revoked: false, alreadyRevoked: true });
    const after = await cli(['token', 'list', '--config', config]);
    expect(after.stdout).toMatch(new RegExp(`${id}  CAL-CSIRT +read +revoked`));
    // The database file holds no token text either.
    expect(readFileSync(join(dir, 'concordat.db')).includes(token.slice(4))).toBe(false);
  });

  it('a token past its expiry is listed as expired', async () => {
    const { config } = await freshNode();
    await issueToken(config, 'BOR-CERT');
    const r = await cli([
      '--json',
      'token',
      'issue',
      '--agency',
      'ARV-CERT',
      '--expires',
      'PT1H',
      '--config',
      config,
    ]);
    expect(r.code).toBe(0);
    const later = fixedClock(parseInstant(TEST_NOW)! + 3_600_000);
    const list = await cli(['--json', 'token', 'list', '--config', config], { clock: later });
    const status = Object.fromEntries(
      (json(list).tokens as { agency: string; status: string }[]).map((t) => [t.agency, t.status]),
    );
    expect(status).toEqual({ 'BOR-CERT': 'live', 'ARV-CERT': 'expired' });
  });

  it('bad scope, bad duration, bad agency, unknown id: refused with a code, nothing issued', async () => {
    const { config } = await freshNode();
    const cases: [string[], string, number][] = [
      [['--agency', 'A', '--scope', 'root'], 'ERR_USAGE', 2],
      [['--agency', 'A', '--scope', 'read,'], 'ERR_USAGE', 2],
      [['--agency', 'A', '--expires', '30 days'], 'ERR_DURATION_INVALID', 2],
      [['--agency', 'A B'], 'ERR_USAGE', 2],
    ];
    for (const [args, code, exit] of cases) {
      const r = await cli(['--json', 'token', 'issue', ...args, '--config', config]);
      expect(r.code, args.join(' ')).toBe(exit);
      expect(json(r)).toMatchObject({ error: { code } });
    }
    const unknown = await cli(['--json', 'token', 'revoke', 'nope', '--config', config]);
    expect(json(unknown)).toMatchObject({ error: { code: 'ERR_NOT_FOUND' } });
    const list = await cli(['--json', 'token', 'list', '--config', config]);
    expect(json(list).tokens).toEqual([]);
  });

  it('--scope oversight: a token for the oversight body, alone; combined with an agency scope refused', async () => {
    const { config } = await freshNode();
    const issued = await cli([
      '--json',
      'token',
      'issue',
      '--agency',
      'NL-OVERSIGHT',
      '--scope',
      'oversight',
      '--config',
      config,
    ]);
    expect(issued.code, issued.stderr).toBe(0);
    expect(json(issued)).toMatchObject({
      agency: 'NL-OVERSIGHT',
      official: null,
      scopes: ['oversight'],
    });
    for (const scope of ['oversight,read', 'admin,oversight']) {
      const mixed = await cli([
        '--json',
        'token',
        'issue',
        '--agency',
        'NL-OVERSIGHT',
        '--scope',
        scope,
        '--config',
        config,
      ]);
      expect(mixed.code, scope).toBe(2);
      expect(json(mixed)).toMatchObject({ error: { code: 'ERR_USAGE' } });
      expect(JSON.stringify(json(mixed))).toContain('stands alone');
    }
    const list = await cli(['--json', 'token', 'list', '--config', config]);
    expect(json(list).tokens).toMatchObject([{ agency: 'NL-OVERSIGHT', scopes: ['oversight'] }]);
    const help = await cli(['token', 'issue', '--help']);
    expect(help.stdout).toContain('oversight');
  });

  it('--official: a token for one of the node’s own officials; other parties’ and unknown officials refused', async () => {
    const { config } = await freshNode();
    const issued = await cli([
      '--json',
      'token',
      'issue',
      '--official',
      'ARV-LIAISON',
      '--expires',
      'P7D',
      '--config',
      config,
    ]);
    expect(issued.code, issued.stderr).toBe(0);
    expect(json(issued)).toMatchObject({
      agency: 'ARV-LIAISON',
      official: 'ARV-LIAISON',
      scopes: [],
      expiresAt: '2026-03-10T14:00:00.000Z',
    });
    expect(String(json(issued).token)).toMatch(/^cct_[A-Za-z0-9_-]{43}$/);
    const human = await cli(['token', 'issue', '--official', 'ARV-LIAISON', '--config', config]);
    expect(human.stdout).toContain('official ARV-LIAISON  expires never');

    const foreign = await cli([
      '--json',
      'token',
      'issue',
      '--official',
      'BOR-LIAISON',
      '--config',
      config,
    ]);
    expect(foreign.code).toBe(2);
    expect(json(foreign)).toMatchObject({ error: { code: 'ERR_USAGE' } });
    expect(JSON.stringify(json(foreign))).toContain('signed approvals');
    const unknown = await cli([
      '--json',
      'token',
      'issue',
      '--official',
      'ARV-GHOST',
      '--config',
      config,
    ]);
    expect(json(unknown)).toMatchObject({ error: { code: 'ERR_USAGE' } });
    const both = await cli([
      '--json',
      'token',
      'issue',
      '--official',
      'ARV-LIAISON',
      '--agency',
      'ARV-CERT',
      '--config',
      config,
    ]);
    expect(json(both)).toMatchObject({ error: { code: 'ERR_USAGE' } });
    const neither = await cli(['--json', 'token', 'issue', '--config', config]);
    expect(json(neither)).toMatchObject({ error: { code: 'ERR_USAGE' } });

    const list = await cli(['--json', 'token', 'list', '--config', config]);
    expect((json(list).tokens as { official: string | null }[]).map((t) => t.official)).toEqual([
      'ARV-LIAISON',
      'ARV-LIAISON',
    ]);
  });
});
