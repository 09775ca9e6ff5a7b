import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadAgreement, parseAgreement } from '../../src/agreement/parse.js';
import { MAX_SOURCE_LENGTH } from '../../src/agreement/yaml-source.js';
import { isConcordatError } from '../../src/core/index.js';

const NORTHSEA = readFileSync(
  new URL('../../examples/agreements/northsea-compact.yaml', import.meta.url),
  'utf8',
);

describe('parseAgreement: sources', () => {
  it('accepts JSON and yields the same model and document as the YAML', () => {
    const yaml = parseAgreement(NORTHSEA);
    if (!yaml.ok) throw new Error('northsea must be valid');
    const json = parseAgreement(JSON.stringify(yaml.document, null, 2), { format: 'json' });
    if (!json.ok) throw new Error(JSON.stringify(json.issues));
    expect(json.document).toEqual(yaml.document);
    const strip = (v: unknown): unknown =>
      JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === 'source' ? undefined : x)));
    expect(strip(json.agreement)).toEqual(strip(yaml.agreement));
  });

  it('picks JSON from a `.json` source name and reports JSON syntax with line:column', () => {
    const result = parseAgreement('{\n  "concordat": 1,\n  "id": x\n}', { sourceName: 'a.json' });
    expect(result.ok).toBe(false);
    expect(result.issues[0]).toMatchObject({ code: 'syntax', line: 3, column: 9 });
  });

  it('keeps timestamps as strings in the document (YAML 1.2 core schema)', () => {
    const result = parseAgreement(NORTHSEA);
    const doc = result.document as { effective: { from: unknown } };
    expect(doc.effective.from).toBe('2026-01-01T00:00:00Z');
  });

  it('reports duplicate JSON keys', () => {
    const result = parseAgreement('{"concordat": 1, "concordat": 1}', { format: 'json' });
    expect(result.issues.map((i) => i.code)).toContain('duplicate-key');
  });

  it('rejects text over the size limit without parsing it', () => {
    const result = parseAgreement(`# ${'x'.repeat(MAX_SOURCE_LENGTH)}`);
    expect(result.issues.map((i) => i.code)).toEqual(['too-large']);
  });

  it('rejects values with no JSON form', () => {
    const result = parseAgreement('concordat: .inf\n1: x\n');
    expect(result.issues.map((i) => i.code)).toEqual(['not-json', 'not-json']);
  });

  it('reports an empty document as a structural problem', () => {
    const result = parseAgreement('');
    expect(result.ok).toBe(false);
    expect(result.issues[0]).toMatchObject({ code: 'wrong-type', line: 1, column: 1 });
  });

  it('names rules without an id after their tier and position', () => {
    const text = NORTHSEA.replace('      - id: strat-fraud\n        types:', '      - types:');
    const result = parseAgreement(text);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.agreement.tiers[1]!.rules[1]!.id).toBe('strategic.release[1]');
  });
});

describe('loadAgreement', () => {
  it('returns the agreement when valid', () => {
    expect(loadAgreement(NORTHSEA).id).toBe('northsea-cti-compact');
  });

  it('throws ERR_AGREEMENT_INVALID carrying every issue', () => {
    const text = NORTHSEA.replace('retention: P90D', 'retention: P90H');
    try {
      loadAgreement(text, { sourceName: 'n.yaml' });
      expect.unreachable();
    } catch (err) {
      expect(isConcordatError(err, 'ERR_AGREEMENT_INVALID')).toBe(true);
      if (!isConcordatError(err)) return;
      expect(err.message).toMatch(/^`n\.yaml` is invalid: 1 error\(s\); first at \d+:\d+/);
      expect(err.details).toEqual([expect.objectContaining({ code: 'bad-duration' })]);
    }
  });
});

describe('parseAgreement never throws', () => {
  const check = (text: string): void => {
    const result = parseAgreement(text);
    expect(typeof result.ok).toBe('boolean');
    if (!result.ok) expect(result.issues.some((i) => i.severity === 'error')).toBe(true);
    for (const i of result.issues) {
      expect(Number.isInteger(i.line) && i.line >= 1).toBe(true);
      expect(Number.isInteger(i.column) && i.column >= 1).toBe(true);
    }
  };

  it('on random strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), check), { numRuns: 300 });
  });

  it('on random YAML-ish fragments', () => {
    const token = fc.constantFrom(
      'a:',
      ' ',
      '\n',
      '- ',
      '[',
      ']',
      '{',
      '}',
      ',',
      '&x ',
      '*x',
      '!t ',
      '<<: ',
      '"',
      "'",
      '#',
      ':',
      '? ',
      '|',
      '>',
      '---',
      '...',
      'P1D',
      '1',
      '.inf',
      'tiers:',
      '  ',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (ts) => check(ts.join(''))),
      { numRuns: 300 },
    );
  });

  it('on random JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => check(JSON.stringify(v) ?? 'null')),
      { numRuns: 200 },
    );
  });

  it('on the example with random lines deleted or repeated', () => {
    const lines = NORTHSEA.split('\n');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(lines.length - 1), fc.boolean()), { maxLength: 6 }),
        (edits) => {
          const out = [...lines];
          for (const [i, dup] of edits)
            if (dup) out.splice(i, 0, out[i] ?? '');
            else out.splice(i, 1);
          check(out.join('\n'));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('on absurd nesting', () => {
    check('['.repeat(5000));
    check(`${'- '.repeat(2000)}x`);
  });
});
