import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAgreement } from '../../src/agreement/parse.js';

const dir = new URL('../fixtures/agreements/invalid/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** `# expect: <code> <path|-> <line>:<column>` lines at the top of a fixture. */
function expectations(
  text: string,
): { code: string; path: string; line: number; column: number }[] {
  return [...text.matchAll(/^# expect: (\S+) (\S+) (\d+):(\d+)$/gm)].map((m) => ({
    code: m[1]!,
    path: m[2] === '-' ? '' : m[2]!,
    line: Number(m[3]),
    column: Number(m[4]),
  }));
}

describe('invalid agreements (test/fixtures/agreements/invalid)', () => {
  it('has fixtures', () => expect(fixtures.length).toBeGreaterThanOrEqual(25));

  it.each(fixtures)('%s reports exactly the expected errors at their path and line:column', (f) => {
    const text = readFileSync(new URL(f, dir), 'utf8');
    const expected = expectations(text);
    expect(expected.length, `${f} has no # expect: line`).toBeGreaterThan(0);
    const result = parseAgreement(text, { sourceName: f });
    expect(result.ok).toBe(false);
    const errors = result.issues
      .filter((i) => i.severity === 'error')
      .map(({ code, path, line, column }) => ({ code, path, line, column }));
    expect(errors).toEqual(expected);
    for (const i of result.issues) {
      expect(i.message).toMatch(/^[^A-Z]/); // lowercase first letter
      expect(i.line).toBeGreaterThanOrEqual(1);
      expect(i.column).toBeGreaterThanOrEqual(1);
    }
  });
});

// A valid agreement: the retention fixture with its one mistake undone.
const BASE = readFileSync(new URL('retention-exceeds-core.yaml', dir), 'utf8')
  .replace(/^# expect.*\n/gm, '')
  .replace('retention: P1Y', 'retention: P30D');

it('the base document of these tests is valid', () => {
  const result = parseAgreement(BASE);
  expect(result.issues).toEqual([]);
  expect(result.ok).toBe(true);
});

describe('collecting every problem at once', () => {
  it('reports five distinct errors in one document', () => {
    const text = BASE.replace('retention: P30D', 'retention: P1Y') // retention-exceeds-max
      .replace('until: 2027-01-01T00:00:00Z', 'until: 2025-01-01T00:00:00Z') // effective-range
      .replace('agencies: [ARV-CERT, BOR-CERT]', 'agencies: [ARV-CERT, BOR-CSIRT]') // unknown-agency
      .replace(
        'tiers:\n',
        'extensions:\n  x:\n    parties: [ARV]\n    core: { max_retention: P1Y }\ntiers:\n',
      ) // extension-loosens
      .replace('  - id: BOR\n', '  - id: ARV\n'); // duplicate-id (party) + unknown party BOR
    const result = parseAgreement(text);
    expect(result.ok).toBe(false);
    const codes = new Set(result.issues.filter((i) => i.severity === 'error').map((i) => i.code));
    for (const code of [
      'retention-exceeds-max',
      'effective-range',
      'unknown-agency',
      'extension-loosens',
      'duplicate-id',
      'unknown-party',
    ])
      expect(codes, code).toContain(code);
  });

  it('reports every structural error, not the first', () => {
    const text = BASE.replace('version: 1', 'version: one')
      .replace('title: Fixture', 'titel: Fixture')
      .replace('tlp: [green, amber]', 'tlp: [green, orange]');
    const result = parseAgreement(text);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => `${i.code} ${i.path}`)).toEqual([
      'missing-key title', // reported at the mapping that lacks it: line 1
      'wrong-type version',
      'unknown-key titel',
      'bad-value tiers.ops.release[0].tlp[1]',
    ]);
  });

  it('reports a bad duration and the meaning checks together', () => {
    const text = BASE.replace('retention: P30D', 'retention: P30H').replace(
      'agencies: [ARV-CERT, BOR-CERT]',
      'agencies: [ARV-CERT, BOR-CSIRT]',
    );
    const result = parseAgreement(text);
    expect(result.issues.filter((i) => i.severity === 'error').map((i) => i.code)).toEqual([
      'unknown-agency',
      'bad-duration',
    ]);
    expect(result.issues.find((i) => i.code === 'bad-duration')?.message).toContain('`PT30H`');
  });
});

describe('rule coverage', () => {
  const withRule = (rule: string, extra = ''): string =>
    BASE.replace('        retention: P30D\n', `        retention: P30D\n${rule}`).replace(
      'core:\n',
      `core:\n${extra}`,
    );

  it('a rule without rsit is not dead when never-release forbids only some rsit classes', () => {
    const text = withRule(
      '      - { id: r2, types: [report], tlp: [green] , retention: P30D }\n',
      '  never_release:\n    - { id: nr-rsit, match: { rsit: [fraud, intrusions] } }\n',
    ).replace(/ {2}never_release:\n {4}- id: core-no-special\n {6}match: .*\n/, '');
    const result = parseAgreement(text);
    expect(result.issues.map((i) => i.code)).not.toContain('rule-never-applies');
  });

  it('a rule is dead when several never-release rules cover it together', () => {
    const text = withRule(
      '      - { id: r2, types: [report], tlp: [green, amber], retention: P30D }\n',
    ).replace(
      '    - id: core-no-special\n',
      '    - { id: nr-green, match: { tlp: [green] } }\n    - { id: nr-amber, match: { tlp: [amber], types: [report, note] } }\n    - id: core-no-special\n',
    );
    const result = parseAgreement(text);
    const dead = result.issues.filter((i) => i.code === 'rule-never-applies');
    expect(dead.map((i) => i.path)).toEqual(['tiers.ops.release[1]']);
    expect(dead.find((i) => i.path === 'tiers.ops.release[1]')?.message).toMatch(
      /`nr-green`.*`nr-amber`/,
    );
  });

  it('a forbid on one party does not contradict a rule for the other party', () => {
    const text = withRule('      - { id: r2, types: [report], tlp: [red], retention: P30D }\n');
    const result = parseAgreement(text);
    const hits = result.issues.filter((i) => i.code === 'rule-contradicts-constraint');
    expect(hits).toHaveLength(1);
    expect(hits[0]!.message).toContain('`ARV-CERT`');
    expect(hits[0]!.message).toContain('`arv-no-red-in`');
    expect(hits[0]!.message).not.toContain('`BOR-CERT`');
  });
});
