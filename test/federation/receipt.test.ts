/**
 * Receipts in isolation: signing and verifying, the release hash of a stamped object, and
 * malformed receipts named by the damage they carry.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isConcordatError } from '../../src/core/index.js';
import {
  parseSignedReceipt,
  receiptHash,
  receiptItem,
  receiptVerifies,
  releasedHash,
  signReceipt,
} from '../../src/federation/index.js';
import type { Receipt } from '../../src/federation/index.js';
import { canonicalStixJson, stampHandling } from '../../src/intel/index.js';
import { createHash } from 'node:crypto';
import { indicator } from './harness.js';

const keys = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const pem = keys.publicKey.export({ format: 'pem', type: 'spki' }).toString();
const otherPem = other.publicKey.export({ format: 'pem', type: 'spki' }).toString();

function receipt(over: Partial<Receipt> = {}): Receipt {
  return {
    type: 'concordat-receipt',
    spec: 1,
    producer: 'ARV',
    receiver: 'BOR',
    agreementId: 'northsea-cti-compact',
    agreementVersion: 3,
    purpose: 'incident-response',
    collection: 'dba61718-2412-59be-88d0-f4c3147e7140',
    items: [receiptItem(indicator(), '2026-02-01T00:00:00.000Z')],
    at: '2026-03-03T14:00:00.000Z',
    cursor: '2026-03-03T14:00:00.000001Z',
    ...over,
  };
}

const STAMP = {
  agreementId: 'northsea-cti-compact',
  agreementVersion: 3,
  purpose: 'incident-response',
  tier: 'operational',
  level: 'baseline',
  retainUntil: '2026-06-01T14:00:00.000Z',
  pap: 'amber' as const,
  onwardSharing: 'same-party' as const,
  ledgerEntry: '7',
};

describe('receipts', () => {
  it('verify under the receiver key only, and hash the canonical receipt', () => {
    const r = receipt();
    const signed = signReceipt(r, keys.privateKey);
    expect(receiptVerifies(signed, [pem])).toBe(true);
    expect(receiptVerifies(signed, [otherPem])).toBe(false);
    expect(receiptVerifies(signed, ['not a key'])).toBe(false);
    expect(
      receiptVerifies({ ...signed, receipt: receipt({ purpose: 'attribution' }) }, [pem]),
    ).toBe(false);
    // Key order does not change the hash (RFC 8785).
    const reordered = Object.fromEntries(Object.entries(r).reverse()) as unknown as Receipt;
    expect(Buffer.from(receiptHash(reordered))).toEqual(Buffer.from(receiptHash(r)));
  });

  it('hash a received object as the producer hashed it: without the handling stamp', () => {
    const plain = indicator();
    const expected = createHash('sha256').update(canonicalStixJson(plain), 'utf8').digest('hex');
    expect(releasedHash(stampHandling(plain, STAMP))).toBe(expected);
    // Other extensions stay in the hash.
    const extended = { ...plain, extensions: { 'x-other': { a: 1 } } };
    const withOther = createHash('sha256')
      .update(canonicalStixJson(extended), 'utf8')
      .digest('hex');
    expect(releasedHash(stampHandling(extended, STAMP))).toBe(withOther);
  });

  const signed = signReceipt(receipt(), keys.privateKey);
  const vectors: [string, unknown][] = [
    ['not-an-object', 'receipt'],
    ['extra-top-level-field', { ...signed, note: 1 }],
    ['truncated-signature', { ...signed, signature: signed.signature.slice(0, 40) }],
    ['unknown-receipt-field', { ...signed, receipt: { ...signed.receipt, content: 'x' } }],
    ['wrong-type', { ...signed, receipt: { ...signed.receipt, type: 'bundle' } }],
    ['empty-producer', { ...signed, receipt: { ...signed.receipt, producer: '' } }],
    ['version-zero', { ...signed, receipt: { ...signed.receipt, agreementVersion: 0 } }],
    ['item-without-hash', { ...signed, receipt: { ...signed.receipt, items: ['indicator--x 1'] } }],
    [
      'too-many-items',
      {
        ...signed,
        receipt: { ...signed.receipt, items: Array(101).fill(signed.receipt.items[0]) },
      },
    ],
    ['cursor-number', { ...signed, receipt: { ...signed.receipt, cursor: 5 } }],
  ];
  for (const [damage, value] of vectors)
    it(`refuses a receipt: ${damage}`, () => {
      let err: unknown;
      try {
        parseSignedReceipt(value);
      } catch (e) {
        err = e;
      }
      expect(isConcordatError(err, 'ERR_RECEIPT_INVALID')).toBe(true);
    });

  it('accepts a well-formed signed receipt', () => {
    expect(parseSignedReceipt(JSON.parse(JSON.stringify(signed)))).toEqual(signed);
  });
});
