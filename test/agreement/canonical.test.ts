import { describe, expect, it } from 'vitest';
import { isConcordatError } from '../../src/core/index.js';
import { canonicalJson } from '../../src/agreement/canonical.js';

function fromHex(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleBE(0);
}

function expectNotJson(value: unknown, path?: string): void {
  try {
    canonicalJson(value);
  } catch (err) {
    expect(isConcordatError(err, 'ERR_INPUT_SYNTAX'), String(err)).toBe(true);
    if (path !== undefined) expect((err as { details: { path: string } }).details.path).toBe(path);
    return;
  }
  expect.fail('expected ERR_INPUT_SYNTAX');
}

describe('canonicalJson (RFC 8785)', () => {
  it('serialises the §3.2.2 example: numbers, literals, string escapes', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        ' "literals": [null, true, false]}',
    ) as unknown;
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts properties by UTF-16 code units (§3.2.3 example)', () => {
    const input = JSON.parse(
      '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh",' +
        ' "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control",' +
        ' "\\u00f6": "Latin Small Letter O With Diaeresis"}',
    ) as Record<string, string>;
    const values = Object.values(JSON.parse(canonicalJson(input)) as Record<string, string>);
    // Object.values would reorder integer-like keys, so read the order from the text itself.
    const order = [...canonicalJson(input).matchAll(/:"([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
    expect(values).toHaveLength(7);
    // The emoji key (surrogate pair D83D DE00) sorts before U+FB33 by code unit, not code point.
    expect(canonicalJson({ '\ufb33': 1, '\u{1f600}': 2 })).toBe('{"\u{1f600}":2,"\ufb33":1}');
  });

  it('serialises the Appendix B numbers exactly', () => {
    const cases: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [hex, text] of cases) expect(canonicalJson(fromHex(hex)), hex).toBe(text);
  });

  it('escapes only what it must, in lowercase hex', () => {
    expect(canonicalJson('\u0000\u001f\u007f\u2028é\t\b\f')).toBe(
      '"\\u0000\\u001f\u007f\u2028é\\t\\b\\f"',
    );
  });

  it('removes whitespace and nests sorted objects inside arrays', () => {
    expect(canonicalJson({ b: [{ z: 1, a: { y: null, x: [] } }], a: {} })).toBe(
      '{"a":{},"b":[{"a":{"x":[],"y":null},"z":1}]}',
    );
  });

  it('rejects NaN and Infinity with their path (§3.2.2.3)', () => {
    expectNotJson({ a: [1, Number.NaN] }, '$.a[1]');
    expectNotJson({ a: Number.POSITIVE_INFINITY }, '$.a');
    expectNotJson(Number.NEGATIVE_INFINITY, '$');
  });

  it('rejects undefined rather than dropping it', () => {
    expectNotJson(undefined, '$');
    expectNotJson({ a: 1, b: undefined }, '$.b');
    expectNotJson([undefined], '$[0]');
    // eslint-disable-next-line no-sparse-arrays
    expectNotJson([1, , 3], '$[1]');
  });

  it('rejects functions, symbols, bigints and non-plain objects', () => {
    expectNotJson({ f: () => 1 }, '$.f');
    expectNotJson({ s: Symbol('x') }, '$.s');
    expectNotJson({ n: 10n }, '$.n');
    expectNotJson({ d: new Date(0) }, '$.d');
    expectNotJson({ m: new Map() }, '$.m');
    expectNotJson({ r: /x/ }, '$.r');
    class Clause {
      id = 'x';
    }
    expectNotJson({ c: new Clause() }, '$.c');
    expectNotJson({ [Symbol('k')]: 1 }, '$');
    expectNotJson({ 'odd key': { toJSON: () => 'smuggled' } }, '$["odd key"].toJSON');
  });

  it('accepts null-prototype objects, which YAML and JSON parsers may produce', () => {
    const o = Object.create(null) as Record<string, unknown>;
    o['b'] = 1;
    o['a'] = true;
    expect(canonicalJson(o)).toBe('{"a":true,"b":1}');
  });

  it('rejects circular references and lone surrogates', () => {
    const loop: Record<string, unknown> = {};
    loop['self'] = loop;
    expectNotJson(loop, '$.self');
    expectNotJson({ s: 'a\ud800b' }, '$.s');
    expectNotJson({ ['\udc00']: 1 }, '$');
  });

  it('accepts a shared, non-circular subobject', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it('refuses absurd nesting with a coded error, not a stack overflow', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expectNotJson(deep);
  });
});
