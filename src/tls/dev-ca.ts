/**
 * A node's development CA and the node certificates it issues (docs/federation.md): ECDSA
 * P-256, CA `CN=Concordat <PARTY> development CA, O=<PARTY>` with basicConstraints CA:true
 * pathlen 0; node certificate `CN=<origin>, O=<PARTY>`, SAN DNS:localhost, IP:127.0.0.1,
 * IP:::1, EKU serverAuth + clientAuth. Production operators bring their own certificates.
 *
 * Every parameter that makes a certificate wrong is available on purpose (validity window,
 * another party than the CA's, another CA): the negative matrix in test/tls/ issues expired,
 * not-yet-valid, other-party and other-CA certificates with exactly these functions.
 */
import { randomBytes } from 'node:crypto';
import { ConcordatError } from '../core/index.js';
import { pemCertificates } from './certificate.js';
import { generateEcKeyPair, importEcKeyPair } from './keys.js';
import type { PemPair } from './types.js';
import { peculiar } from './x509.js';

/** Validity window of a certificate (default: one hour ago to `defaultDays` from now). */
export interface ValidityOptions {
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

/** A CA: its party and PEM certificate and key. */
export interface DevCa extends PemPair {
  readonly party: string;
}

/** What a node certificate may be used for. */
export type NodeKeyUsage = 'server-and-client' | 'server' | 'client';

/** Parameters of {@link issueNodeCertificate}. */
export interface NodeCertificateOptions extends ValidityOptions {
  /** Subject `O`: normally the CA's party; another party only for negative tests. */
  readonly party: string;
  /** Subject `CN`: the node's ledger origin, e.g. `concordat.arv.node`. */
  readonly origin: string;
  /** Extended key usage (default both: a node serves peers and pulls from them). */
  readonly keyUsage?: NodeKeyUsage;
  /** Extra SAN DNS names beyond `localhost`. */
  readonly dnsNames?: readonly string[];
  /** Extra SAN IP addresses beyond 127.0.0.1 and ::1. */
  readonly ipAddresses?: readonly string[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Default lifetime of a development CA. */
export const DEV_CA_DAYS = 3650;
/** Default lifetime of a development node certificate. */
export const DEV_NODE_CERT_DAYS = 825;

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const EC_SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

// RFC 4514 attribute values: escape the characters that would change the name's structure.
function rdn(value: string): string {
  return value.replace(/([,+"\\<>;=])/g, '\\$1').replace(/^([ #])|( )$/g, '\\$1$2');
}

function window(options: ValidityOptions, days: number): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  // An hour of slack either side of issuance tolerates clocks a little apart between nodes.
  const notBefore = options.notBefore ?? new Date(now - HOUR);
  const notAfter = options.notAfter ?? new Date(now + days * DAY);
  if (!(notAfter.getTime() > notBefore.getTime()))
    throw new ConcordatError(
      'ERR_USAGE',
      `certificate validity ends (${notAfter.toISOString()}) before it begins (${notBefore.toISOString()})`,
    );
  return { notBefore, notAfter };
}

function serial(): string {
  // Positive (top bit clear), 16 random bytes: RFC 5280 §4.1.2.2 allows up to 20 octets.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

/** What a CA may sign below it: `intermediates` levels of intermediate CAs (default 0). */
export interface CaOptions extends ValidityOptions {
  readonly intermediates?: number;
}

/**
 * Creates a self-signed development CA for `party`. It issues node certificates directly, or
 * (with `intermediates`) intermediate CAs that do ({@link createIntermediateCa}).
 */
export async function createDevCa(party: string, options: CaOptions = {}): Promise<DevCa> {
  const x509 = peculiar();
  const pair = await generateEcKeyPair();
  const { notBefore, notAfter } = window(options, DEV_CA_DAYS);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${rdn(`Concordat ${party} development CA`)}, O=${rdn(party)}`,
    notBefore,
    notAfter,
    keys: pair.keys,
    signingAlgorithm: EC_SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, options.intermediates ?? 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(pair.keys.publicKey),
    ],
  });
  return { party, cert: cert.toString('pem'), key: pair.privatePem };
}

async function readCa(ca: PemPair): Promise<{
  cert: InstanceType<ReturnType<typeof peculiar>['X509Certificate']>;
  keys: Awaited<ReturnType<typeof importEcKeyPair>>;
}> {
  const x509 = peculiar();
  try {
    // The first certificate of the PEM is the CA's own (an intermediate's file may go on
    // with its chain).
    return {
      cert: new x509.X509Certificate(pemCertificates(ca.cert)[0] ?? ca.cert),
      keys: await importEcKeyPair(ca.key),
    };
  } catch (cause) {
    throw new ConcordatError(
      'ERR_TLS_MATERIAL_INVALID',
      'the ca certificate or key is not pem, or the key is not an ecdsa p-256 key',
      { cause },
    );
  }
}

/**
 * Issues an intermediate CA for `party` under `issuer` (a CA created with `intermediates` ≥ 1,
 * or another intermediate). Its `cert` is its own certificate followed by `issuer`'s chain up
 * to (not including) the root, so a node certificate it issues can be served with its chain.
 */
export async function createIntermediateCa(
  issuer: PemPair,
  party: string,
  options: ValidityOptions = {},
): Promise<PemPair> {
  const x509 = peculiar();
  const parent = await readCa(issuer);
  const pair = await generateEcKeyPair();
  const { notBefore, notAfter } = window(options, DEV_CA_DAYS);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${rdn(`Concordat ${party} intermediate CA ${serial().slice(0, 8)}`)}, O=${rdn(party)}`,
    issuer: parent.cert.subject,
    notBefore,
    notAfter,
    publicKey: pair.keys.publicKey,
    signingKey: parent.keys.keys.privateKey,
    signingAlgorithm: EC_SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(pair.keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(parent.keys.keys.publicKey),
    ],
  });
  // The issuer's chain, without a self-signed root.
  const above = pemCertificates(issuer.cert)
    .filter((pem) => {
      const c = new x509.X509Certificate(pem);
      return c.subject !== c.issuer;
    })
    .map((pem) => `${pem}\n`)
    .join('');
  return { cert: `${cert.toString('pem')}\n${above}`, key: pair.privatePem };
}

/**
 * Issues a node certificate (and a fresh key) signed by `ca`. Its `cert` carries the chain of
 * an intermediate `ca` after it (served in the handshake; the root stays with the partners).
 */
export async function issueNodeCertificate(
  ca: PemPair,
  options: NodeCertificateOptions,
): Promise<PemPair> {
  const x509 = peculiar();
  const { cert: caCert, keys: caKeys } = await readCa(ca);
  const pair = await generateEcKeyPair();
  const { notBefore, notAfter } = window(options, DEV_NODE_CERT_DAYS);
  const usage = options.keyUsage ?? 'server-and-client';
  const eku = [
    ...(usage === 'client' ? [] : [SERVER_AUTH]),
    ...(usage === 'server' ? [] : [CLIENT_AUTH]),
  ];
  const names = [
    { type: 'dns' as const, value: 'localhost' },
    ...(options.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    { type: 'ip' as const, value: '127.0.0.1' },
    { type: 'ip' as const, value: '::1' },
    ...(options.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${rdn(options.origin)}, O=${rdn(options.party)}`,
    issuer: caCert.subject,
    notBefore,
    notAfter,
    publicKey: pair.keys.publicKey,
    signingKey: caKeys.keys.privateKey,
    signingAlgorithm: EC_SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(eku, false),
      new x509.SubjectAlternativeNameExtension(names, false),
      await x509.SubjectKeyIdentifierExtension.create(pair.keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.keys.publicKey),
    ],
  });
  const own = cert.toString('pem');
  return {
    cert: caCert.subject === caCert.issuer ? own : `${own}\n${ca.cert.trimEnd()}\n`,
    key: pair.privatePem,
  };
}
