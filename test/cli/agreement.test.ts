import { readFileSync, statSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, EXAMPLE, json, tempDir } from './harness.js';

const exampleText = readFileSync(EXAMPLE, 'utf8');

describe('concordat agreement validate', () => {
  let tmp: ReturnType<typeof tempDir>;
  let invalid: string;
  beforeAll(() => {
    tmp = tempDir();
    invalid = join(tmp.dir, 'broken.yaml');
    // Two damages: a tier names an agency that does not exist, and a constraint id collides.
    writeFileSync(
      invalid,
      exampleText
        .replace('agencies: [ARV-NCSC, BOR-FININT]', 'agencies: [ARV-NCSC, BOR-FINTIN]')
        .replace('id: bor-pseudonymise-accounts', 'id: bor-no-attribution-inbound'),
    );
  });
  afterAll(() => tmp.cleanup());

  it('accepts the example: exit 0 and a valid summary', async () => {
    const r = await cli(['agreement', 'validate', EXAMPLE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`✓ ${EXAMPLE}: valid — northsea-cti-compact v3`);
  });

  it('lists every issue with FILE:line:column, code and path; exit 1', async () => {
    const r = await cli(['agreement', 'validate', invalid]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(`${invalid.replace(/[.]/g, '\\.')}:\\d+:\\d+ +error +unknown-agency`),
    );
    expect(r.stdout).toMatch(/error +duplicate-id/);
    expect(r.stdout).toContain('(tiers.strategic.agencies[1])');
    expect(r.stdout).toContain(`✗ ${invalid}: invalid`);
  });

  it('gives the line where the problem is written', async () => {
    const r = await cli(['--json', 'agreement', 'validate', invalid]);
    const body = json(r) as { ok: boolean; files: { issues: { code: string; line: number }[] }[] };
    expect(body.ok).toBe(false);
    const unknown = body.files[0]!.issues.find((i) => i.code === 'unknown-agency')!;
    const line =
      exampleText.split('\n').findIndex((l) => l.includes('agencies: [ARV-NCSC, BOR-FININT]')) + 1;
    expect(unknown.line).toBe(line);
  });

  it('validates several files and standard input, with a summary', async () => {
    const r = await cli(['agreement', 'validate', EXAMPLE, invalid, '-'], { stdin: exampleText });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✓ <stdin>: valid');
    expect(r.stdout).toContain('3 files checked: 2 valid, 1 invalid');
  });

  it('--json gives one document with every file', async () => {
    const r = await cli(['agreement', 'validate', '--json', EXAMPLE]);
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({
      ok: true,
      files: [
        {
          file: EXAMPLE,
          ok: true,
          errors: 0,
          agreement: { id: 'northsea-cti-compact', version: 3 },
        },
      ],
    });
  });

  it('names the validate command when another command meets an invalid agreement', async () => {
    const r = await cli(['agreement', 'digest', invalid]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ERR_AGREEMENT_INVALID');
    expect(r.stderr).toContain(
      `run \`concordat agreement validate ${invalid}\` to see every issue`,
    );
  });

  const collision = existsSync('examples/agreements')
    ? readdirSync('examples/agreements').find((n) => n.includes('collision'))
    : undefined;
  // The collision example is written by the agreement-language work; test it once it exists.
  it.skipIf(collision === undefined)(
    'fails the bundled collision example with line:column',
    async () => {
      const file = `examples/agreements/${collision ?? ''}`;
      const r = await cli(['agreement', 'validate', file]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        new RegExp(`${file.replace(/[.]/g, '\\.')}:\\d+:\\d+ +error +rule-contradicts-constraint`),
      );
    },
  );
});

describe('concordat agreement explain', () => {
  it('shows every tier with its agencies, constraints and core protections', async () => {
    const r = await cli(['agreement', 'explain', EXAMPLE]);
    expect(r.code).toBe(0);
    for (const tier of ['operational', 'strategic', 'attribution-cell', 'fraud-desk'])
      expect(r.stdout).toContain(`Tier ${tier}`);
    expect(r.stdout).toContain('agencies       ARV-CERT (ARV), BOR-CERT (BOR), CAL-CSIRT (CAL)');
    expect(r.stdout).toContain('extension arv-bor-attribution: between ARV, BOR');
    expect(r.stdout).toMatch(/op-incidents-elevated +incident, sighting,/);
    expect(r.stdout).toContain('Party constraints');
    expect(r.stdout).toMatch(/BOR +bor-no-attribution-inbound +releases to BOR/);
    expect(r.stdout).toContain('core-no-red: tlp red');
    expect(r.stdout).toContain('pseudonymise email-addr.value');
  });

  it('marks the rules that do not apply at --level and the certifications expired at --at', async () => {
    const r = await cli([
      'agreement',
      'explain',
      EXAMPLE,
      '--level',
      'elevated',
      '--at',
      '2027-01-15',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('severe+ (not at elevated)');
    expect(r.stdout).toContain('BOR-CERT (BOR) — lacks arv-handling-2026 at 2027-01-15');
  });

  it('--json gives the same as data', async () => {
    const r = await cli(['--json', 'agreement', 'explain', EXAMPLE, '--level', 'severe']);
    const t = json(r) as {
      level: string;
      tiers: {
        id: string;
        agencies: { id: string }[];
        rules: { id: string; activeAtLevel: boolean; retention: string }[];
      }[];
    };
    expect(t.level).toBe('severe');
    expect(t.tiers.map((x) => x.id)).toEqual([
      'operational',
      'strategic',
      'attribution-cell',
      'fraud-desk',
    ]);
    expect(t.tiers[1]!.agencies.map((a) => a.id)).toEqual(['ARV-NCSC', 'BOR-FININT']);
    const personal = t.tiers[0]!.rules.find((x) => x.id === 'op-personal-severe')!;
    expect(personal).toMatchObject({ activeAtLevel: true, retention: 'P14D' });
  });

  it('refuses an unknown --level with the allowed ones', async () => {
    const r = await cli(['agreement', 'explain', EXAMPLE, '--level', 'panic']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('baseline, elevated, severe, emergency');
  });
});

describe('concordat agreement digest', () => {
  it('prints sha256 of the canonical form, the same for YAML and for JSON', async () => {
    const r = await cli(['agreement', 'digest', EXAMPLE]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^sha256:[0-9a-f]{64}$/);
    const tmp = tempDir();
    try {
      const j = await cli(['--json', 'agreement', 'digest', EXAMPLE]);
      expect(json(j)).toMatchObject({
        agreement: 'northsea-cti-compact',
        version: 3,
        digest: r.stdout.trim(),
      });
      // Re-ordered and re-spaced YAML is the same agreement.
      const spaced = join(tmp.dir, 'spaced.yaml');
      writeFileSync(spaced, exampleText.replace(/\n\n/g, '\n\n\n').replace(/^#.*$/gm, ''));
      expect((await cli(['agreement', 'digest', spaced])).stdout).toBe(r.stdout);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('concordat key generate, agreement sign and verify', () => {
  let tmp: ReturnType<typeof tempDir>;
  let keys: string;
  let sig: string;
  beforeAll(async () => {
    tmp = tempDir();
    keys = join(tmp.dir, 'keys');
    sig = join(tmp.dir, 'compact.sig.json');
    for (const party of ['ARV', 'BOR', 'CAL']) {
      const g = await cli(['key', 'generate', '--party', party, '--out', keys]);
      expect(g.code).toBe(0);
    }
  });
  afterAll(() => tmp.cleanup());

  it('writes the private key with mode 0600 and refuses to overwrite it', async () => {
    expect(statSync(join(keys, 'ARV.key.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(keys, 'ARV.pub.pem'), 'utf8')).toContain('BEGIN PUBLIC KEY');
    const again = await cli(['key', 'generate', '--party', 'ARV', '--out', keys]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('refusing to overwrite');
    const evil = await cli(['key', 'generate', '--party', '../x', '--out', keys]);
    expect(evil.code).toBe(2);
  });

  it('round-trips: every party signs, verify passes; a tampered file fails with exit 1', async () => {
    const partial = async (): Promise<number> =>
      (await cli(['agreement', 'verify', EXAMPLE, '--signatures', sig, '--keys', keys])).code;
    for (const party of ['ARV', 'BOR']) {
      const s = await cli([
        'agreement',
        'sign',
        EXAMPLE,
        '--party',
        party,
        '--key',
        join(keys, `${party}.key.pem`),
        '--out',
        sig,
      ]);
      expect(s.code).toBe(0);
      expect(s.stdout).toContain(`for ${party}`);
    }
    // Two of three parties: not verified, unless partial is allowed.
    expect(await partial()).toBe(1);
    const allowed = await cli([
      'agreement',
      'verify',
      EXAMPLE,
      '--signatures',
      sig,
      '--keys',
      keys,
      '--allow-partial',
    ]);
    expect(allowed.code).toBe(0);
    const s = await cli([
      '--json',
      'agreement',
      'sign',
      EXAMPLE,
      '--party',
      'CAL',
      '--key',
      join(keys, 'CAL.key.pem'),
      '--out',
      sig,
    ]);
    expect(json(s)).toMatchObject({
      party: 'CAL',
      signedBy: ['ARV', 'BOR', 'CAL'],
      signedAt: '2026-03-03T14:00:00.000Z',
    });

    const v = await cli(['agreement', 'verify', EXAMPLE, '--signatures', sig, '--keys', keys]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/ARV +✓ valid/);
    expect(v.stdout).toContain('verified: 3 of 3 parties signed validly');

    const tampered = join(tmp.dir, 'tampered.yaml');
    writeFileSync(tampered, exampleText.replace('retention: P90D', 'retention: P91D'));
    const t = await cli(['agreement', 'verify', tampered, '--signatures', sig, '--keys', keys]);
    expect(t.code).toBe(1);
    expect(t.stdout).toContain('digest-mismatch');
    expect(t.stdout).toContain('NOT verified: 0 of 3');
    const tj = await cli([
      '--json',
      'agreement',
      'verify',
      tampered,
      '--signatures',
      sig,
      '--keys',
      keys,
    ]);
    expect(tj.code).toBe(1);
    expect(json(tj)).toMatchObject({ passed: false, result: { ok: false } });
  });

  it('accepts the keys as a JSON map and flags a wrong key', async () => {
    const map = join(tmp.dir, 'keys.json');
    writeFileSync(
      map,
      JSON.stringify({
        ARV: readFileSync(join(keys, 'BOR.pub.pem'), 'utf8'), // the wrong party's key
        BOR: readFileSync(join(keys, 'BOR.pub.pem'), 'utf8'),
        CAL: readFileSync(join(keys, 'CAL.pub.pem'), 'utf8'),
      }),
    );
    const r = await cli(['agreement', 'verify', EXAMPLE, '--signatures', sig, '--keys', map]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ARV +✗ untrusted-key/);
  });

  it('refuses to add a signature to a file made for another document', async () => {
    const tampered = join(tmp.dir, 'other.yaml');
    writeFileSync(tampered, exampleText.replace('version: 3', 'version: 4'));
    const r = await cli([
      'agreement',
      'sign',
      tampered,
      '--party',
      'ARV',
      '--key',
      join(keys, 'ARV.key.pem'),
      '--out',
      sig,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ERR_SIGNATURE_INVALID');
    expect(r.stderr).toContain('another document');
  });

  it('refuses a public key where a private key is needed', async () => {
    const r = await cli([
      'agreement',
      'sign',
      EXAMPLE,
      '--party',
      'ARV',
      '--key',
      join(keys, 'ARV.pub.pem'),
      '--out',
      join(tmp.dir, 'x.sig.json'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ERR_KEY_INVALID');
  });
});

describe('concordat agreement diff', () => {
  it('shows each change with its effect on access, exit 0; --json gives the diff', async () => {
    const tmp = tempDir();
    try {
      const v4 = join(tmp.dir, 'v4.yaml');
      writeFileSync(
        v4,
        exampleText
          .replace('version: 3', 'version: 4')
          .replace(
            'retention: P90D\n      - id: op-incidents-elevated',
            'retention: P120D\n      - id: op-incidents-elevated',
          )
          .replace('purposes: [threat-detection, attribution]', 'purposes: [threat-detection]'),
      );
      const r = await cli(['agreement', 'diff', EXAMPLE, v4]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('northsea-cti-compact v3 → v4: mixed');
      expect(r.stdout).toMatch(/op-indicators\.retention +\[widens\]/);
      expect(r.stdout).toMatch(/strat-actors\.purposes +\[narrows\]/);
      const j = await cli(['--json', 'agreement', 'diff', EXAMPLE, v4]);
      const body = json(j) as {
        diff: { verdict: string; changes: { path: string; effect: string }[] };
      };
      expect(body.diff.verdict).toBe('mixed');
      expect(body.diff.changes).toHaveLength(2);
      const same = await cli(['agreement', 'diff', EXAMPLE, EXAMPLE]);
      expect(same.stdout).toContain('no changes');
    } finally {
      tmp.cleanup();
    }
  });
});
