/**
 * Reading certificates: PEM or DER to node:crypto's `X509Certificate`, the SHA-256 fingerprint
 * a pin is compared with, and the subject `O` a peer is identified by.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { peculiar } from './x509.js';

/** Anything a certificate can be read from: PEM text, DER bytes, or a parsed certificate. */
export type CertificateInput = string | Uint8Array | X509Certificate;

/** Parses `input` (the first certificate of a PEM chain); throws on malformed input. */
export function toX509(input: CertificateInput): X509Certificate {
  if (input instanceof X509Certificate) return input;
  return new X509Certificate(typeof input === 'string' ? input : Buffer.from(input));
}

/** SHA-256 of the certificate's DER: 64 lowercase hex digits (the form a `pin` takes). */
export function certificateFingerprint(input: CertificateInput): string {
  return createHash('sha256').update(toX509(input).raw).digest('hex');
}

/**
 * The subject's `O` values. Read from the DER with @peculiar/x509 rather than from node's
 * text rendering of the subject, so that an `O` holding a newline or `O=` cannot forge another.
 */
export function subjectOrganizations(input: CertificateInput): readonly string[] {
  return new (peculiar().X509Certificate)(toX509(input).raw).subjectName.getField('O');
}

/** The subject's `CN` values (the node's ledger origin for Concordat node certificates). */
export function subjectCommonNames(input: CertificateInput): readonly string[] {
  return new (peculiar().X509Certificate)(toX509(input).raw).subjectName.getField('CN');
}

/** Splits a PEM bundle into its certificates, in order. */
export function pemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
