import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isConcordatError } from '../../src/core/index.js';
import { agreementDigest } from '../../src/agreement/digest.js';
import { parseAgreement } from '../../src/agreement/index.js';
import { generateSigningKeyPair, keyId, loadPublicKey } from '../../src/agreement/keys.js';
import { signAgreement, signatureFile } from '../../src/agreement/sign.js';
import {
  formatSignatureFile,
  parseSignatureFile,
  signedMessage,
  type AgreementSignature,
  type SignatureFile,
} from '../../src/agreement/signature.js';
import { verifyAgreementSignatures, type VerifyResult } from '../../src/agreement/verify.js';

const AT = Date.UTC(2026, 2, 3, 14, 0, 0);

function compact(id = 'northsea-cti-compact', retention = 'P180D'): Record<string, unknown> {
  return {
    concordat: 1,
    id,
    version: 3,
    title: 'North Sea Compact',
    parties: [
      { id: 'ARV', name: 'Republic of Arvenia' },
      { id: 'BOR', name: 'Kingdom of Borealia' },
      { id: 'CAL', name: 'Federal Republic of Caldera' },
    ],
    core: {
      max_retention: retention,
      never_release: [{ id: 'core-no-red', match: { tlp: ['red'] } }],
    },
  };
}

const keys = {
  ARV: generateSigningKeyPair(),
  BOR: generateSigningKeyPair(),
  CAL: generateSigningKeyPair(),
};
const trusted = { ARV: keys.ARV.publicKey, BOR: keys.BOR.publicKey, CAL: keys.CAL.publicKey };
type P = keyof typeof keys;

function signedBy(doc: unknown, parties: readonly P[]): SignatureFile {
  return signatureFile(
    doc,
    parties.map((party) =>
      signAgreement(doc, { party, privateKey: keys[party].privateKey, signedAt: AT }),
    ),
  );
}

function withEntry(
  file: SignatureFile,
  index: number,
  change: Partial<Record<keyof AgreementSignature, unknown>>,
): unknown {
  const signatures = file.signatures.map((s, i) => (i === index ? { ...s, ...change } : s));
  return { ...file, signatures };
}

function reasons(result: VerifyResult): (string | undefined)[] {
  return result.signatures.map((s) => (s.valid ? undefined : s.reason));
}

function flipBit(b64: string, bit: number): string {
  const bytes = Buffer.from(b64, 'base64url');
  bytes[bit >> 3]! ^= 1 << (bit & 7);
  return bytes.toString('base64url');
}

describe('keys', () => {
  it('generates Ed25519 PEM pairs whose key id is sha256 of the SPKI DER', () => {
    const pair = generateSigningKeyPair();
    expect(pair.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(pair.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(keyId(pair.publicKey)).toMatch(/^[0-9a-f]{64}$/);
    expect(keyId(pair.privateKey)).toBe(keyId(pair.publicKey));
    expect(keyId(loadPublicKey(pair.publicKey))).toBe(keyId(pair.publicKey));
    expect(keyId(pair.publicKey)).not.toBe(keyId(generateSigningKeyPair().publicKey));
  });

  it('refuses garbage as a key with ERR_KEY_INVALID', () => {
    expect(() => keyId('not a pem')).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
    expect(() => keyId(42 as unknown as string)).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_INVALID' }),
    );
  });
});

describe('signing and verifying', () => {
  it('verifies when every party has signed, and names each signer', () => {
    const doc = compact();
    const file = signedBy(doc, ['ARV', 'BOR', 'CAL']);
    expect(file).toMatchObject({
      concordat_signatures: 1,
      agreement: 'northsea-cti-compact',
      version: 3,
      digest: agreementDigest(doc),
    });
    expect(file.signatures[0]).toMatchObject({
      party: 'ARV',
      key_id: keyId(keys.ARV.publicKey),
      alg: 'Ed25519',
      signed_at: '2026-03-03T14:00:00.000Z',
    });
    const result = verifyAgreementSignatures(doc, file, trusted);
    expect(result).toMatchObject({
      ok: true,
      problems: [],
      signed: ['ARV', 'BOR', 'CAL'],
      missing: [],
    });
    expect(result.signatures.every((s) => s.valid)).toBe(true);
  });

  it('lists the parties that have not signed', () => {
    const doc = compact();
    const result = verifyAgreementSignatures(doc, signedBy(doc, ['BOR']), trusted);
    expect(result).toMatchObject({ ok: false, signed: ['BOR'], missing: ['ARV', 'CAL'] });
    const partial = verifyAgreementSignatures(doc, signedBy(doc, ['BOR']), trusted, {
      requiredParties: ['BOR'],
    });
    expect(partial.ok).toBe(true);
  });

  it('signs exactly the documented domain-separated message', async () => {
    const { verify } = await import('node:crypto');
    const doc = compact();
    const entry = signAgreement(doc, {
      party: 'ARV',
      privateKey: keys.ARV.privateKey,
      signedAt: AT,
    });
    const message = `concordat-agreement-v1\n${agreementDigest(doc)}\nARV\n${entry.key_id}\n2026-03-03T14:00:00.000Z`;
    expect(
      signedMessage(agreementDigest(doc), 'ARV', entry.key_id, entry.signed_at).toString(),
    ).toBe(message);
    expect(
      verify(
        null,
        Buffer.from(message),
        keys.ARV.publicKey,
        Buffer.from(entry.signature, 'base64url'),
      ),
    ).toBe(true);
  });

  it('round-trips through the file text', () => {
    const doc = compact();
    const file = signedBy(doc, ['ARV', 'BOR', 'CAL']);
    const text = formatSignatureFile(file);
    expect(text.endsWith('}\n')).toBe(true);
    expect(parseSignatureFile(text)).toEqual(file);
    expect(verifyAgreementSignatures(doc, JSON.parse(text), trusted).ok).toBe(true);
  });

  it('accepts several trusted keys per party (rotation) and KeyObjects', () => {
    const doc = compact();
    const result = verifyAgreementSignatures(doc, signedBy(doc, ['ARV', 'BOR', 'CAL']), {
      ARV: [generateSigningKeyPair().publicKey, loadPublicKey(keys.ARV.publicKey)],
      BOR: loadPublicKey(keys.BOR.privateKey),
      CAL: keys.CAL.publicKey,
    });
    expect(result.ok).toBe(true);
  });

  it('refuses to sign for a party outside the agreement or a document that is not an agreement', () => {
    expect(() =>
      signAgreement(compact(), { party: 'ZED', privateKey: keys.ARV.privateKey, signedAt: AT }),
    ).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
    expect(() =>
      signAgreement({ id: 'x' }, { party: 'ARV', privateKey: keys.ARV.privateKey, signedAt: AT }),
    ).toThrow(expect.objectContaining({ code: 'ERR_AGREEMENT_INVALID' }));
    expect(() =>
      signAgreement(
        { ...compact(), x: Number.NaN },
        { party: 'ARV', privateKey: keys.ARV.privateKey, signedAt: AT },
      ),
    ).toThrow(expect.objectContaining({ code: 'ERR_INPUT_SYNTAX' }));
    expect(() =>
      signAgreement(compact(), {
        party: 'ARV',
        privateKey: keys.ARV.privateKey,
        signedAt: Number.NaN,
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
  });
});

describe('adversarial signature files', () => {
  const doc = compact();
  const good = signedBy(doc, ['ARV', 'BOR', 'CAL']);

  it('flipped-bit-in-signature', () => {
    for (const bit of [0, 7, 255, 511]) {
      const file = withEntry(good, 0, { signature: flipBit(good.signatures[0]!.signature, bit) });
      const result = verifyAgreementSignatures(doc, file, trusted);
      expect(reasons(result), `bit ${bit}`).toEqual(['bad-signature', undefined, undefined]);
      expect(result).toMatchObject({ ok: false, missing: ['ARV'] });
    }
  });

  it('signature-from-other-party: relabelled entry', () => {
    // BOR's entry claims to be ARV's: BOR's key is not trusted for ARV.
    const file = withEntry(good, 0, { ...good.signatures[1]!, party: 'ARV' });
    expect(reasons(verifyAgreementSignatures(doc, file, trusted))[0]).toBe('untrusted-key');
  });

  it('signature-from-other-party: relabelled entry with the victim key id', () => {
    // BOR's signature with ARV's party and key id: the party and key id are signed, so it fails.
    const file = withEntry(good, 0, {
      ...good.signatures[1]!,
      party: 'ARV',
      key_id: keyId(keys.ARV.publicKey),
    });
    expect(reasons(verifyAgreementSignatures(doc, file, trusted))[0]).toBe('bad-signature');
  });

  it('signature-from-other-party: signed with another party key', () => {
    const forged = signatureFile(doc, [
      signAgreement(doc, { party: 'ARV', privateKey: keys.BOR.privateKey, signedAt: AT }),
    ]);
    const result = verifyAgreementSignatures(doc, forged, trusted);
    expect(reasons(result)).toEqual(['untrusted-key']);
    expect(result.missing).toEqual(['ARV', 'BOR', 'CAL']);
  });

  it('document-changed-after-signing: one value changed', () => {
    const changed = compact('northsea-cti-compact', 'P365D');
    const result = verifyAgreementSignatures(changed, good, trusted);
    expect(reasons(result)).toEqual(['digest-mismatch', 'digest-mismatch', 'digest-mismatch']);
    expect(result.problems.map((p) => p.code)).toEqual(['digest-mismatch']);
    expect(result.ok).toBe(false);
    // Rewriting the file digest to the new document does not help: the signature covers it.
    const rewritten = { ...good, digest: agreementDigest(changed) };
    expect(reasons(verifyAgreementSignatures(changed, rewritten, trusted))).toEqual([
      'bad-signature',
      'bad-signature',
      'bad-signature',
    ]);
  });

  it('document-changed-after-signing: whitespace and key order only still verify', () => {
    const text = JSON.stringify(doc);
    const reordered = JSON.parse(
      JSON.stringify(Object.fromEntries(Object.entries(doc).reverse()), null, 7),
    ) as unknown;
    expect(JSON.stringify(reordered)).not.toBe(text);
    expect(verifyAgreementSignatures(reordered, good, trusted).ok).toBe(true);
    expect(
      verifyAgreementSignatures(
        JSON.parse(`\n ${JSON.stringify(doc, null, '\t')} \n`),
        good,
        trusted,
      ).ok,
    ).toBe(true);
  });

  it('replayed-for-other-agreement', () => {
    const other = compact('baltic-compact');
    const otherFile = signedBy(other, ['BOR', 'CAL']);
    // ARV's signature over northsea is spliced into baltic's otherwise genuine file.
    const spliced = { ...otherFile, signatures: [good.signatures[0]!, ...otherFile.signatures] };
    const result = verifyAgreementSignatures(other, spliced, trusted);
    expect(reasons(result)).toEqual(['bad-signature', undefined, undefined]);
    expect(result.missing).toEqual(['ARV']);
    // The whole northsea file presented for baltic.
    const whole = verifyAgreementSignatures(other, good, trusted);
    expect(whole.problems.map((p) => p.code)).toEqual(['agreement-mismatch', 'digest-mismatch']);
    expect(whole.signed).toEqual([]);
  });

  it('replayed-for-other-version', () => {
    const v4 = { ...doc, version: 4 };
    const result = verifyAgreementSignatures(
      v4,
      { ...good, version: 4, digest: agreementDigest(v4) },
      trusted,
    );
    expect(reasons(result)).toEqual(['bad-signature', 'bad-signature', 'bad-signature']);
  });

  it('wrong-key-type: RSA, EC and X25519 keys are refused for signing and as trust anchors', () => {
    const others = [
      generateKeyPairSync('rsa', { modulusLength: 2048 }),
      generateKeyPairSync('ec', { namedCurve: 'P-256' }),
      generateKeyPairSync('x25519'),
      generateKeyPairSync('ed448'),
    ];
    for (const pair of others) {
      const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      for (const privateKey of [pair.privateKey, pem])
        expect(() => signAgreement(doc, { party: 'ARV', privateKey, signedAt: AT })).toThrow(
          expect.objectContaining({ code: 'ERR_KEY_INVALID' }),
        );
      const spki = pair.publicKey.export({ type: 'spki', format: 'pem' }) as string;
      for (const publicKey of [pair.publicKey, spki])
        expect(() => verifyAgreementSignatures(doc, good, { ...trusted, ARV: publicKey })).toThrow(
          expect.objectContaining({ code: 'ERR_KEY_INVALID' }),
        );
    }
    // A public key where a private key is needed.
    expect(() =>
      signAgreement(doc, { party: 'ARV', privateKey: keys.ARV.publicKey, signedAt: AT }),
    ).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
  });

  it('truncated-signature', () => {
    const sig = good.signatures[0]!.signature;
    for (const cut of [sig.slice(0, 85), sig.slice(0, 43), sig.slice(1)]) {
      const result = verifyAgreementSignatures(
        doc,
        withEntry(good, 0, { signature: cut }),
        trusted,
      );
      expect(reasons(result)).toEqual(['malformed', undefined, undefined]);
    }
    // Padded or with non-canonical trailing bits: the same bytes, a different text.
    const padded = verifyAgreementSignatures(
      doc,
      withEntry(good, 0, { signature: `${sig}==` }),
      trusted,
    );
    expect(reasons(padded)[0]).toBe('malformed');
    const last = sig.at(-1)!;
    const sibling = String.fromCharCode(last.charCodeAt(0) + 1);
    const noncanonical = verifyAgreementSignatures(
      doc,
      withEntry(good, 0, { signature: sig.slice(0, 85) + sibling }),
      trusted,
    );
    expect(reasons(noncanonical)[0]).toBe('malformed');
  });

  it('empty-signature', () => {
    const result = verifyAgreementSignatures(doc, withEntry(good, 1, { signature: '' }), trusted);
    expect(reasons(result)).toEqual([undefined, 'malformed', undefined]);
    expect(result.signatures[1]).toMatchObject({ party: 'BOR' });
    expect(verifyAgreementSignatures(doc, { ...good, signatures: [] }, trusted)).toMatchObject({
      ok: false,
      missing: ['ARV', 'BOR', 'CAL'],
    });
  });

  it('duplicate-party-signature', () => {
    const again = signAgreement(doc, {
      party: 'ARV',
      privateKey: keys.ARV.privateKey,
      signedAt: AT + 1000,
    });
    const file = { ...good, signatures: [...good.signatures, again] };
    const result = verifyAgreementSignatures(doc, file, trusted);
    expect(reasons(result)).toEqual([undefined, undefined, undefined, 'duplicate']);
    expect(result.ok).toBe(false);
    expect(result.signed).toEqual(['ARV', 'BOR', 'CAL']);
  });

  it('unknown-party', () => {
    const stranger = { ...good.signatures[0]!, party: 'ZED' };
    const result = verifyAgreementSignatures(
      doc,
      { ...good, signatures: [...good.signatures, stranger] },
      {
        ...trusted,
        ZED: keys.ARV.publicKey,
      },
    );
    expect(reasons(result)).toEqual([undefined, undefined, undefined, 'unknown-party']);
  });

  it('untrusted-key: no key for the party', () => {
    const withoutCal = { ARV: trusted.ARV, BOR: trusted.BOR };
    const result = verifyAgreementSignatures(doc, good, withoutCal);
    expect(reasons(result)).toEqual([undefined, undefined, 'untrusted-key']);
    expect(result.missing).toEqual(['CAL']);
  });

  it('malformed entries and files are reported, never thrown', () => {
    const entryCases: unknown[] = [
      null,
      'ARV',
      { ...good.signatures[0]!, alg: 'EdDSA' },
      { ...good.signatures[0]!, signed_at: '2026-03-03' },
      { ...good.signatures[0]!, key_id: 'ABC' },
      { ...good.signatures[0]!, party: 'AR\nV' },
      { ...good.signatures[0]!, extra: 1 },
    ];
    for (const entry of entryCases) {
      const result = verifyAgreementSignatures(doc, { ...good, signatures: [entry] }, trusted);
      expect(reasons(result), JSON.stringify(entry)).toEqual(['malformed']);
    }
    for (const file of [
      null,
      42,
      [],
      {},
      { ...good, concordat_signatures: 2 },
      { ...good, signatures: {} },
    ]) {
      const result = verifyAgreementSignatures(doc, file, trusted);
      expect(result.ok).toBe(false);
      expect(result.problems.length).toBeGreaterThan(0);
      expect(result.signed).toEqual([]);
    }
  });

  it('parseSignatureFile refuses bad text and bad shape with coded errors', () => {
    expect(() => parseSignatureFile('{')).toThrow(
      expect.objectContaining({ code: 'ERR_INPUT_SYNTAX' }),
    );
    try {
      parseSignatureFile(JSON.stringify(withEntry(good, 2, { signature: '' })));
      expect.fail('expected ERR_SIGNATURE_INVALID');
    } catch (err) {
      expect(isConcordatError(err, 'ERR_SIGNATURE_INVALID')).toBe(true);
      expect((err as { details: { path: string }[] }).details.map((d) => d.path)).toEqual([
        '$.signatures[2].signature',
      ]);
    }
  });

  it('a document that is not an agreement is a caller error', () => {
    expect(() => verifyAgreementSignatures({ parties: 3 }, good, trusted)).toThrow(
      expect.objectContaining({ code: 'ERR_AGREEMENT_INVALID' }),
    );
  });
});

describe('on the real examples (parseAgreement documents)', () => {
  const dir = new URL('../../examples/agreements/', import.meta.url);
  const northsea = readFileSync(new URL('northsea-compact.yaml', dir), 'utf8');

  function documentOf(text: string, format: 'yaml' | 'json' = 'yaml'): unknown {
    const result = parseAgreement(text, { format });
    if (!result.ok) throw new Error(JSON.stringify(result.issues.slice(0, 3)));
    return result.document;
  }

  it('YAML and its JSON rendering have one digest; a changed value another', () => {
    const doc = documentOf(northsea);
    const asJson = documentOf(JSON.stringify(doc, null, 3), 'json');
    expect(agreementDigest(asJson)).toBe(agreementDigest(doc));
    expect(
      agreementDigest(documentOf(northsea.replace('max_retention: P180D', 'max_retention: P181D'))),
    ).not.toBe(agreementDigest(doc));
  });

  it('every party signs northsea; a re-indented, re-ordered source still verifies; an amendment does not', () => {
    const doc = documentOf(northsea);
    const file = signedBy(doc, ['ARV', 'BOR', 'CAL']);
    expect(verifyAgreementSignatures(doc, file, trusted)).toMatchObject({
      ok: true,
      signed: ['ARV', 'BOR', 'CAL'],
    });
    const reordered = northsea
      .replace(
        'version: 3\ntitle: North Sea Cyber Threat Intelligence Compact',
        'title: North Sea Cyber Threat Intelligence Compact\nversion: 3',
      )
      .replace(
        'agencies: [ARV-NCSC, BOR-FININT]',
        'agencies:   [ ARV-NCSC,   BOR-FININT ]  # same',
      );
    expect(reordered).not.toBe(northsea);
    expect(verifyAgreementSignatures(documentOf(reordered), file, trusted).ok).toBe(true);
    const amended = documentOf(
      northsea.replace('tlp: [clear, green, amber]', 'tlp: [clear, green, amber, red]'),
    );
    const result = verifyAgreementSignatures(amended, file, trusted);
    expect(result.ok).toBe(false);
    expect(new Set(reasons(result))).toEqual(new Set(['digest-mismatch']));
  });

  it('every example document is canonicalisable and signable', () => {
    for (const name of ['arvenia-borealia-bilateral.yaml', 'caldera-extension-collision.yaml']) {
      const result = parseAgreement(readFileSync(new URL(name, dir), 'utf8'));
      expect(result.document, name).toBeDefined();
      expect(agreementDigest(result.document)).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
  });
});
