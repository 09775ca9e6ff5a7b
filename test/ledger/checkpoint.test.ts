import { createHash, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isConcordatError } from '../../src/core/index.js';
import {
  noteVerifier,
  noteVerifierKey,
  parseCheckpoint,
  parseNoteVerifierKey,
  signCheckpoint,
  verifyCheckpoint,
} from '../../src/ledger/index.js';
import {
  ORIGIN,
  logSigner,
  logVerifier,
  oversightSigner,
  oversightVerifier,
  strangerKey,
} from './fixtures.js';

const root = createHash('sha256').update('root').digest();
const cp = { origin: ORIGIN, size: 20852163, root };
const signed = signCheckpoint(cp, logSigner);

describe('checkpoint format (c2sp.org/tlog-checkpoint, signed-note)', () => {
  it('writes origin, size, base64 root, a blank line and one signature line', () => {
    const lines = signed.split('\n');
    expect(lines.slice(0, 4)).toEqual([ORIGIN, '20852163', root.toString('base64'), '']);
    expect(lines[4]).toMatch(/^— concordat\.example\/arv-node [A-Za-z0-9+/]{91}=$/);
    expect(lines[5]).toBe('');
    expect(lines).toHaveLength(6);
    // signed-note: base64(key ID (4 bytes) || 64-byte Ed25519 signature).
    const blob = Buffer.from(lines[4]!.split(' ')[2]!, 'base64');
    expect(blob).toHaveLength(68);
    expect(blob.readUInt32BE(0)).toBe(logVerifier.keyId);
  });

  it('computes the key ID as SHA-256(name || 0x0A || 0x01 || pubkey)[:4]', () => {
    const raw = createPublicKey(logSigner.privateKey)
      .export({ format: 'der', type: 'spki' })
      .subarray(-32);
    const want = createHash('sha256')
      .update(Buffer.concat([Buffer.from(`${ORIGIN}\n`), Buffer.of(1), raw]))
      .digest()
      .readUInt32BE(0);
    expect(logVerifier.keyId).toBe(want);
  });

  it('writes and reads the standard verifier key string', () => {
    const vkey = noteVerifierKey(ORIGIN, createPublicKey(logSigner.privateKey));
    expect(vkey).toMatch(/^concordat\.example\/arv-node\+[0-9a-f]{8}\+A[Q-f][A-Za-z0-9+/]{42}$/);
    expect(vkey.split('+')[1]).toBe(logVerifier.keyId.toString(16).padStart(8, '0'));
    const parsed = parseNoteVerifierKey(vkey);
    expect(verifyCheckpoint(signed, [parsed]).ok).toBe(true);
    for (const bad of [
      vkey.replace('+', '-'),
      `${vkey}x`,
      vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'),
      'a+b',
    ]) {
      let caught: unknown;
      try {
        parseNoteVerifierKey(bad);
      } catch (err) {
        caught = err;
      }
      expect(isConcordatError(caught, 'ERR_KEY_INVALID'), bad).toBe(true);
    }
  });

  it('interoperates with a known sumdb/note verifier key (golang.org/x/mod/sumdb/note test)', () => {
    // From golang.org/x/mod/sumdb/note note_test.go: PeterNeumann's verifier key.
    const vkey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
    expect(parseNoteVerifierKey(vkey).name).toBe('PeterNeumann');
  });

  it('parses and verifies', () => {
    const parsed = parseCheckpoint(signed);
    expect(parsed.ok && parsed.checkpoint).toEqual({
      origin: ORIGIN,
      size: 20852163,
      root: new Uint8Array(root),
    });
    const verified = verifyCheckpoint(signed, [logVerifier], {
      origin: ORIGIN,
      size: 20852163,
      root,
    });
    expect(verified).toMatchObject({ ok: true, signers: [ORIGIN] });
  });

  it('keeps extension lines', () => {
    const withExt = signCheckpoint(
      { ...cp, extensions: ['agreement northsea-cti-compact v3'] },
      logSigner,
    );
    const v = verifyCheckpoint(withExt, [logVerifier]);
    expect(v.ok && v.checkpoint.extensions).toEqual(['agreement northsea-cti-compact v3']);
  });

  it('accepts cosignatures and can require them all', () => {
    const both = signCheckpoint(cp, [logSigner, oversightSigner]);
    expect(
      verifyCheckpoint(both, [logVerifier, oversightVerifier], { require: 'all' }),
    ).toMatchObject({
      ok: true,
      signers: [ORIGIN, oversightSigner.name],
    });
    expect(
      verifyCheckpoint(signed, [logVerifier, oversightVerifier], { require: 'all' }),
    ).toMatchObject({
      ok: false,
      reason: 'missing-signature',
    });
    // C2SP: signatures from unknown keys are ignored.
    expect(verifyCheckpoint(both, [logVerifier]).ok).toBe(true);
  });

  const sigLine = signed.split('\n')[4]!;
  const damages: [string, string, string][] = [
    ['wrong-key', signCheckpoint(cp, { name: ORIGIN, privateKey: strangerKey }), 'unknown-signer'],
    [
      'unknown-signer',
      signCheckpoint(cp, { name: 'someone.else', privateKey: logSigner.privateKey }),
      'unknown-signer',
    ],
    ['size-changed', signed.replace('20852163', '20852164'), 'bad-signature'],
    ['origin-changed', signed.replace(`${ORIGIN}\n2`, `${ORIGIN}x\n2`), 'bad-signature'],
    ['truncated', signed.slice(0, -10), 'malformed-note'],
    ['missing-final-newline', signed.slice(0, -1), 'malformed-note'],
    ['extra-final-newline', `${signed}\n`, 'malformed-note'],
    ['extra-newline-in-body', signed.replace('\n', '\n\n'), 'bad-signature'],
    ['missing-blank-line', signed.replace('\n\n', '\n'), 'malformed-note'],
    ['crlf', signed.replaceAll('\n', '\r\n'), 'malformed-note'],
    ['malformed-base64', signed.replace(sigLine, `${sigLine.slice(0, -3)}*==`), 'malformed-note'],
    [
      'non-canonical-base64',
      signed.replace(
        sigLine,
        sigLine.replace(/(.)=$/, (_m, c: string) => `${String.fromCharCode(c.charCodeAt(0) ^ 1)}=`),
      ),
      'malformed-note',
    ],
    ['root-not-base64', signed.replace(root.toString('base64'), '!'.repeat(44)), 'bad-signature'],
    [
      'leading-zero-size',
      signCheckpoint(cp, logSigner).replace('\n20852163\n', '\n020852163\n'),
      'bad-signature',
    ],
    ['no-signature', signed.split('\n\n')[0]! + '\n\n', 'malformed-note'],
  ];
  it.each(damages)('rejects %s', (_name, note, reason) => {
    expect(note).not.toBe(signed);
    const result = verifyCheckpoint(note, [logVerifier]);
    expect(result).toMatchObject({ ok: false, reason });
  });

  it.each([
    ['extra-newline-in-body', signed.replace('\n', '\n\n')],
    ['root-not-base64', signed.replace(root.toString('base64'), '!'.repeat(44))],
    [
      'root-too-short',
      signed.replace(root.toString('base64'), root.subarray(1).toString('base64')),
    ],
    ['size-not-decimal', signed.replace('\n20852163\n', '\n0x13E2E43\n')],
    ['size-leading-zero', signed.replace('\n20852163\n', '\n020852163\n')],
    ['size-unsafe', signed.replace('\n20852163\n', '\n9007199254740993\n')],
    ['two-lines', signed.replace(`${root.toString('base64')}\n`, '')],
  ])('parses %s as malformed-checkpoint (signatures aside)', (_name, note) => {
    expect(parseCheckpoint(note)).toMatchObject({ ok: false, reason: 'malformed-checkpoint' });
  });

  it('rejects a size or root other than expected', () => {
    expect(verifyCheckpoint(signed, [logVerifier], { size: 1 })).toMatchObject({
      reason: 'size-mismatch',
    });
    expect(verifyCheckpoint(signed, [logVerifier], { root: new Uint8Array(32) })).toMatchObject({
      reason: 'root-mismatch',
    });
    expect(verifyCheckpoint(signed, [logVerifier], { origin: 'x' })).toMatchObject({
      reason: 'origin-mismatch',
    });
  });

  it('rejects every single flipped bit of the note', () => {
    const bytes = new TextEncoder().encode(signed);
    let rejected = 0;
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const copy = bytes.slice();
      copy[bit >> 3]! ^= 1 << (bit & 7);
      if (!verifyCheckpoint(copy, [logVerifier]).ok) rejected++;
    }
    expect(rejected).toBe(bytes.length * 8);
  });

  it('refuses to sign what it cannot write', () => {
    for (const bad of [
      { ...cp, origin: '' },
      { ...cp, origin: 'a\nb' },
      { ...cp, size: -1 },
      { ...cp, root: new Uint8Array(31) },
      { ...cp, extensions: [''] },
    ]) {
      let caught: unknown;
      try {
        signCheckpoint(bad, logSigner);
      } catch (err) {
        caught = err;
      }
      expect(isConcordatError(caught, 'ERR_CHECKPOINT_INVALID')).toBe(true);
    }
    expect(() => noteVerifier('has space', logSigner.privateKey)).toThrow();
  });
});
