/**
 * Loading TLS material from disk: this node's identity (certificate, key, CA) and the CA of
 * each configured peer. Every problem is `ERR_TLS_MATERIAL_INVALID` naming the file: missing,
 * unreadable, not PEM, a private key readable by other users, a key that does not match the
 * certificate.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { ConcordatError } from '../core/index.js';
import { certificateFingerprint, pemCertificates, toX509 } from './certificate.js';
import type { TrustedPeer } from './peer-identity.js';
import type { PeerConfig, TlsIdentityConfig } from './types.js';

/** This node's TLS identity, read and checked. */
export interface TlsIdentity {
  readonly config: TlsIdentityConfig;
  /** PEM: the node certificate and any chain, as read. */
  readonly certPem: string;
  /** PEM private key. */
  readonly keyPem: string;
  /** PEM of this node's own CA. */
  readonly caPem: string;
  /** The node (leaf) certificate. */
  readonly certificate: X509Certificate;
  /** SHA-256 of the node certificate's DER (what partners pin). */
  readonly fingerprint: string;
}

/** Describes where a file came from, for messages (e.g. `tls.key at node.yaml:12:8`). */
export type Where = (field: string) => string;

function invalid(message: string, path: string, cause?: unknown): ConcordatError {
  return new ConcordatError('ERR_TLS_MATERIAL_INVALID', message, {
    details: { path },
    ...(cause === undefined ? {} : { cause }),
  });
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    throw invalid(
      `cannot read ${what} \`${path}\`: ${code === 'ENOENT' ? 'no such file' : String(code ?? 'read failed')}`,
      path,
      cause,
    );
  }
}

function firstCertificate(text: string, path: string, what: string): X509Certificate {
  const [first] = pemCertificates(text);
  try {
    if (first === undefined) throw new Error('no certificate');
    return toX509(first);
  } catch (cause) {
    throw invalid(`${what} \`${path}\` holds no pem certificate`, path, cause);
  }
}

/** Refuses a private key file other users may read (same rule as `signing_key`). */
export async function assertPrivateFile(path: string, what: string): Promise<void> {
  const mode = (await stat(path)).mode;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw invalid(
      `${what} \`${path}\` is readable by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600`,
      path,
    );
}

/**
 * Reads and checks this node's TLS identity: the certificate parses, the key is a private key
 * with mode 0600 that matches the certificate, and the CA parses. `where` names the config
 * location of each field in messages.
 */
export async function loadTlsIdentity(
  config: TlsIdentityConfig,
  where: Where = (field) => field,
): Promise<TlsIdentity> {
  const certPem = await readText(config.cert, `tls certificate (${where('tls.cert')})`);
  const keyPem = await readText(config.key, `tls private key (${where('tls.key')})`);
  const caPem = await readText(config.ca, `tls ca certificate (${where('tls.ca')})`);
  await assertPrivateFile(config.key, `tls private key (${where('tls.key')})`);
  const certificate = firstCertificate(
    certPem,
    config.cert,
    `tls certificate (${where('tls.cert')})`,
  );
  firstCertificate(caPem, config.ca, `tls ca certificate (${where('tls.ca')})`);
  let key;
  try {
    key = createPrivateKey({ key: keyPem, format: 'pem' });
  } catch (cause) {
    throw invalid(
      `tls private key \`${config.key}\` (${where('tls.key')}) is not a pem private key`,
      config.key,
      cause,
    );
  }
  const fromKey = createPublicKey(key).export({ format: 'der', type: 'spki' });
  const fromCert = certificate.publicKey.export({ format: 'der', type: 'spki' });
  if (!fromKey.equals(fromCert))
    throw invalid(
      `tls private key \`${config.key}\` does not belong to certificate \`${config.cert}\` (${where('tls.cert')})`,
      config.key,
    );
  return {
    config,
    certPem,
    keyPem,
    caPem,
    certificate,
    fingerprint: certificateFingerprint(certificate),
  };
}

/** Reads the CA certificate of every peer (`federation.peers[i].ca`). */
export async function loadTrustedPeers(
  peers: readonly PeerConfig[],
  where: Where = (field) => field,
): Promise<TrustedPeer[]> {
  const out: TrustedPeer[] = [];
  for (const [i, peer] of peers.entries()) {
    const what = `ca of peer \`${peer.party}\` (${where(`federation.peers[${i}].ca`)})`;
    const caPem = await readText(peer.ca, what);
    out.push({ peer, caPem, ca: firstCertificate(caPem, peer.ca, what) });
  }
  return out;
}
