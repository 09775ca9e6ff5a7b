import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, EXAMPLE, json, tempDir } from './harness.js';

const AT = '2026-03-03T14:00:00Z';

interface View {
  effect: string;
  stage: string;
  tier?: string;
  clauses: { kind: string; id: string; at?: string }[];
  obligations?: {
    retainUntil: string;
    minimise: string[];
    handling: { pap: string; onwardSharing: string };
    shapedBy: { id: string }[];
  };
}

async function decide(args: string[]): Promise<View> {
  const r = await cli(['--json', 'decide', EXAMPLE, '--at', AT, ...args]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return json(r) as unknown as View;
}

const flags = (
  agency: string,
  purpose: string,
  type: string,
  tlp: string,
  producer: string,
): string[] => [
  '--agency',
  agency,
  '--purpose',
  purpose,
  '--type',
  type,
  '--tlp',
  tlp,
  '--producer',
  producer,
];

describe('concordat decide', () => {
  it('allows with obligations, naming the rule at its line:column', async () => {
    const v = await decide(flags('BOR-CERT', 'incident-response', 'indicator', 'amber', 'ARV'));
    expect(v).toMatchObject({ effect: 'allow', stage: 'tier-rule', tier: 'operational' });
    expect(v.clauses.map((c) => c.id)).toEqual(['op-indicators']);
    expect(v.clauses[0]!.at).toMatch(new RegExp(`^${EXAMPLE.replace(/[.]/g, '\\.')}:\\d+:\\d+$`));
    // P90D from the rule and from the ARV–BOR extension.
    expect(v.obligations!.retainUntil).toBe('2026-06-01T14:00:00.000Z');
    expect(v.obligations!.minimise).toContain('IPv4 /16');
    expect(v.obligations!.handling).toEqual({ pap: 'amber', onwardSharing: 'same-party' });
    expect(v.obligations!.shapedBy.map((c) => c.id)).toEqual(['core', 'arv-bor-attribution']);
  });

  it('prints a readable allow', async () => {
    const r = await cli([
      'decide',
      EXAMPLE,
      '--at',
      AT,
      ...flags('BOR-CERT', 'incident-response', 'indicator', 'amber', 'ARV'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^ALLOW +indicator · TLP amber · personal data none +ARV → BOR-CERT \(BOR\) +for incident-response/,
    );
    expect(r.stdout).toMatch(
      /allowed by +rule op-indicators +examples\/agreements\/northsea-compact\.yaml:\d+:\d+ +\(tiers\.operational\.release\[0\]\)/,
    );
    expect(r.stdout).toMatch(/retain until +2026-06-01T14:00:00\.000Z +\(90 days after release\)/);
  });

  it('denies at the constraint stage: constraints win', async () => {
    const v = await decide(flags('BOR-CERT', 'attribution', 'threat-actor', 'green', 'ARV'));
    expect(v).toMatchObject({ effect: 'deny', stage: 'constraint' });
    expect(v.clauses.map((c) => c.id)).toEqual(['bor-no-attribution-inbound']);
  });

  it('denies TLP red at the never-release stage', async () => {
    const v = await decide(flags('ARV-CERT', 'incident-response', 'indicator', 'red', 'BOR'));
    expect(v).toMatchObject({ effect: 'deny', stage: 'never-release' });
    expect(v.clauses.map((c) => c.id)).toEqual(['core-no-red']);
  });

  it('denies a level-dependent release at baseline and allows it at elevated', async () => {
    const sighting = flags('ARV-CERT', 'incident-response', 'sighting', 'amber', 'CAL');
    expect(await decide(sighting)).toMatchObject({ effect: 'deny', stage: 'no-rule', clauses: [] });
    const v = await decide([...sighting, '--level', 'elevated']);
    expect(v).toMatchObject({ effect: 'allow', clauses: [{ id: 'op-incidents-elevated' }] });
  });

  it('stops allowing once a certification has expired', async () => {
    const actor = flags('BOR-CERT', 'incident-response', 'threat-actor', 'green', 'ARV');
    expect(await decide(actor)).toMatchObject({
      effect: 'allow',
      tier: 'attribution-cell',
      clauses: [{ id: 'attr-actors' }],
    });
    const r = await cli(['--json', 'decide', EXAMPLE, ...actor, '--at', '2027-01-15T09:00:00Z']);
    expect(json(r)).toMatchObject({ effect: 'deny', stage: 'no-rule' });
  });

  it('denies at the pause stage under --pause', async () => {
    const base = flags('BOR-CERT', 'incident-response', 'indicator', 'amber', 'ARV');
    expect(await decide([...base, '--pause', 'ARV:tlp=amber'])).toMatchObject({
      effect: 'deny',
      stage: 'pause',
      clauses: [{ kind: 'pause', id: 'cli-pause-1' }],
    });
    // A pause of another scope does not cover it.
    expect(await decide([...base, '--pause', 'ARV:tlp=green'])).toMatchObject({ effect: 'allow' });
  });

  it('allows by waiver what no rule allows, but never what a constraint forbids', async () => {
    const sighting = flags('ARV-CERT', 'incident-response', 'sighting', 'amber', 'CAL');
    const v = await decide([...sighting, '--waiver', 'for=PT24H']);
    expect(v).toMatchObject({
      effect: 'allow',
      stage: 'waiver',
      clauses: [{ kind: 'waiver', id: 'cli-waiver-1' }],
    });
    // A waiver longer than the agreement allows (PT72H) does not count.
    expect(await decide([...sighting, '--waiver', 'for=P5D'])).toMatchObject({
      effect: 'deny',
      stage: 'no-rule',
    });
    const constrained = await decide([
      ...flags('BOR-CERT', 'attribution', 'threat-actor', 'green', 'ARV'),
      '--waiver',
    ]);
    expect(constrained).toMatchObject({ effect: 'deny', stage: 'constraint' });
  });

  describe('with files', () => {
    let tmp: ReturnType<typeof tempDir>;
    beforeAll(() => {
      tmp = tempDir();
    });
    afterAll(() => tmp.cleanup());

    it('reads --request REQUEST.json and --state STATE.json', async () => {
      const request = join(tmp.dir, 'request.json');
      const state = join(tmp.dir, 'state.json');
      writeFileSync(
        request,
        JSON.stringify({
          agency: 'ARV-CERT',
          purpose: 'incident-response',
          object: { type: 'sighting', tlp: 'amber', personalData: 'none', producer: 'CAL' },
          at: AT,
        }),
      );
      writeFileSync(state, JSON.stringify({ level: 'elevated' }));
      const r = await cli(['--json', 'decide', EXAMPLE, '--request', request, '--state', state]);
      expect(r.code).toBe(0);
      expect(json(r)).toMatchObject({
        effect: 'allow',
        clauses: [{ id: 'op-incidents-elevated' }],
      });
      writeFileSync(
        state,
        JSON.stringify({
          pauses: [{ party: 'CAL', since: '2026-03-01T00:00:00Z' }],
          level: 'elevated',
        }),
      );
      const p = await cli(['--json', 'decide', EXAMPLE, '--request', request, '--state', state]);
      expect(json(p)).toMatchObject({ effect: 'deny', stage: 'pause' });
    });

    it('rejects a malformed request file with ERR_REQUEST_INVALID naming the field', async () => {
      const request = join(tmp.dir, 'bad.json');
      writeFileSync(
        request,
        JSON.stringify({
          agency: 'ARV-CERT',
          purpose: 'x',
          object: { type: 'indicator', tlp: 'purple' },
          at: AT,
        }),
      );
      const r = await cli(['decide', EXAMPLE, '--request', request]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('ERR_REQUEST_INVALID');
      expect(r.stderr).toContain('object.tlp');
    });
  });

  it('names the flag when a flag value is wrong', async () => {
    const r = await cli([
      'decide',
      EXAMPLE,
      ...flags('ARV-CERT', 'incident-response', 'indicator', 'purple', 'BOR'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('`--tlp` must be one of clear, green, amber, amber+strict, red');
  });

  it('asks for the missing flags and the producer', async () => {
    const r = await cli(['decide', EXAMPLE, '--agency', 'ARV-CERT']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('`--purpose`, `--type`, `--tlp`');
    const p = await cli([
      'decide',
      EXAMPLE,
      '--agency',
      'ARV-CERT',
      '--purpose',
      'incident-response',
      '--type',
      'indicator',
      '--tlp',
      'green',
    ]);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain('one of ARV, BOR, CAL');
    const env = await cli(
      [
        '--json',
        'decide',
        EXAMPLE,
        '--at',
        AT,
        '--agency',
        'ARV-CERT',
        '--purpose',
        'incident-response',
        '--type',
        'indicator',
        '--tlp',
        'green',
      ],
      { env: { CONCORDAT_PARTY: 'BOR' } },
    );
    expect(json(env)).toMatchObject({ effect: 'allow', request: { object: { producer: 'BOR' } } });
  });

  it('exits 0 on deny, 1 with --fail-on-deny', async () => {
    const red = flags('ARV-CERT', 'incident-response', 'indicator', 'red', 'BOR');
    const r = await cli(['decide', EXAMPLE, '--at', AT, ...red]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^DENY +indicator · TLP red/);
    expect(r.stdout).toMatch(
      /denied by +never-release core-no-red +examples\/agreements\/northsea-compact\.yaml:\d+:\d+/,
    );
    expect((await cli(['decide', EXAMPLE, '--at', AT, ...red, '--fail-on-deny'])).code).toBe(1);
  });
});
