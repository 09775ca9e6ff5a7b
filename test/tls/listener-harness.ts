/**
 * A node with a federation listener on loopback, for the mutual-TLS tests: made by `initNode`
 * (so with its own development CA), peers BOR and CAL configured with CA files written by the
 * test, started with `startNodeServers` on port 0. Probes speak raw TLS so that a refusal can be
 * told apart from an HTTP answer: they report whether the handshake completed and every byte
 * the server sent.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import type { ConnectionOptions } from 'node:tls';
import { makeNode } from '../node/fixtures.js';
import type { NodeFixture } from '../node/fixtures.js';
import type { DialectUnderTest } from '../store/dialects.js';
import { startNodeServers } from '../../src/node/index.js';
import type { NodeServers } from '../../src/node/index.js';
import { loadTlsIdentity } from '../../src/tls/index.js';
import type { PemPair, TlsIdentity } from '../../src/tls/index.js';
import type { PartyTls } from './fixtures.js';

/** What the server sent on one connection. */
export interface ProbeResult {
  /** The client's TLS handshake completed (TLS 1.3 completes before the server checks). */
  readonly handshake: boolean;
  /** Every byte the server sent after the handshake. */
  readonly received: string;
  /** The client-side error, if any (`ECONNRESET`, an alert, ...). */
  readonly error?: string;
}

/**
 * Connects with `options`, sends one HTTP request as soon as the handshake completes, and
 * resolves when the connection closes. Never rejects: a refusal is a result.
 */
export function probe(
  port: number,
  options: ConnectionOptions,
  path = '/taxii2/',
): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let handshake = false;
    let received = '';
    let error: string | undefined;
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ...options });
    socket.on('secureConnect', () => {
      handshake = true;
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: localhost\r\nAccept: application/taxii+json;version=2.1\r\nConnection: close\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', (err: Error & { code?: string }) => {
      error = err.code ?? err.message;
    });
    socket.on('close', () => {
      resolve({ handshake, received, ...(error === undefined ? {} : { error }) });
    });
  });
}

/** An HTTPS GET through node:https with `options`; resolves to status and JSON body. */
export function get(
  url: string,
  options: ConnectionOptions,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ...(options as object),
        agent: false,
        headers: { accept: 'application/taxii+json;version=2.1', ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          try {
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(text) as Record<string, unknown>,
            });
          } catch (err) {
            reject(err as Error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Writes a party's node certificate and key (mode 0600) and loads them as a TLS identity. */
export async function identityOf(tls: PartyTls, node: PemPair = tls.node): Promise<TlsIdentity> {
  const dir = mkdtempSync(join(tmpdir(), `concordat-${tls.party.toLowerCase()}-`));
  const files = {
    cert: join(dir, 'node.crt'),
    key: join(dir, 'node.key'),
    ca: join(dir, 'ca.crt'),
  };
  writeFileSync(files.cert, node.cert);
  writeFileSync(files.key, node.key, { mode: 0o600 });
  writeFileSync(files.ca, tls.ca.cert);
  return loadTlsIdentity(files);
}

/** A peer entry of the node config. */
export interface PeerEntry {
  readonly tls: PartyTls;
  readonly agency: string;
  readonly pin?: string;
}

/** A served node (party ARV) and what the guard refused. */
export interface ServedNode {
  readonly fixture: NodeFixture;
  readonly servers: NodeServers;
  /** The federation listener's port. */
  readonly port: number;
  /** This node's CA (what peers trust). */
  readonly caPem: string;
  /** Refusal reasons reported by the listener, in order (codes of ConcordatErrors or TLS errors). */
  readonly refused: string[];
  close(): Promise<void>;
}

/** Makes node ARV on `d` with `peers`, and starts both listeners on free loopback ports. */
export async function serveNode(
  d: DialectUnderTest,
  peers: readonly PeerEntry[],
): Promise<ServedNode> {
  const caDir = mkdtempSync(join(tmpdir(), 'concordat-peer-cas-'));
  const lines = ['  peers:'];
  for (const p of peers) {
    const file = join(caDir, `${p.tls.party}-ca.crt`);
    writeFileSync(file, p.tls.ca.cert);
    lines.push(
      `    - party: ${p.tls.party}`,
      `      url: https://127.0.0.1:1/taxii2/`,
      `      ca: ${JSON.stringify(file)}`,
      `      agency: ${p.agency}`,
      ...(p.pin === undefined ? [] : [`      pin: "${p.pin}"`]),
    );
  }
  const fixture = await makeNode(d, (yaml) => yaml.replace('  peers: []', lines.join('\n')));
  const refused: string[] = [];
  const servers = await startNodeServers(fixture.node, {
    analyst: { host: '127.0.0.1', port: 0 },
    federation: { host: '127.0.0.1', port: 0 },
    onRefused: (reason) => refused.push((reason as { code?: string }).code ?? reason.message),
  });
  const port = Number(new URL(servers.urls.federation ?? '').port);
  return {
    fixture,
    servers,
    port,
    caPem: readFileSync(join(fixture.dir, 'tls', 'ca.crt'), 'utf8'),
    refused,
    async close() {
      await servers.close();
      await fixture.node.close();
    },
  };
}
