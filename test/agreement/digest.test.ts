import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isConcordatError } from '../../src/core/index.js';
import { AGREEMENT_DIGEST_PATTERN, agreementDigest } from '../../src/agreement/digest.js';

describe('agreementDigest', () => {
  it('is sha256 of the UTF-8 canonical form, lowercase hex', () => {
    const expected = createHash('sha256')
      .update(Buffer.from('{"a":"€","b":[1,2]}', 'utf8'))
      .digest('hex');
    expect(agreementDigest({ b: [1.0, 2], a: '€' })).toBe(`sha256:${expected}`);
    expect(agreementDigest({ a: 1 })).toMatch(AGREEMENT_DIGEST_PATTERN);
  });

  it('is stable under key order and whitespace, and changes with any value', () => {
    const a = JSON.parse('{ "id": "x", "version": 3, "parties": [ { "id": "ARV" } ] }') as unknown;
    const b = JSON.parse('{"parties":[{"id":"ARV"}],"version":3,"id":"x"}') as unknown;
    const c = JSON.parse('{"parties":[{"id":"ARV"}],"version":4,"id":"x"}') as unknown;
    expect(agreementDigest(a)).toBe(agreementDigest(b));
    expect(agreementDigest(a)).not.toBe(agreementDigest(c));
    // Array order is meaning, not layout.
    expect(agreementDigest([1, 2])).not.toBe(agreementDigest([2, 1]));
  });

  it('refuses non-JSON data with ERR_INPUT_SYNTAX', () => {
    expect(() => agreementDigest({ a: Number.NaN })).toThrow(
      expect.objectContaining({ code: 'ERR_INPUT_SYNTAX' }),
    );
    try {
      agreementDigest({ at: new Date(0) });
      expect.fail('expected an error');
    } catch (err) {
      expect(isConcordatError(err, 'ERR_INPUT_SYNTAX')).toBe(true);
    }
  });
});
