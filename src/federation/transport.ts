/**
 * How the federation client reaches a peer: a small `fetch`-shaped function, injected so that
 * tests run over plain loopback HTTP with a bearer token and a served node uses mutual TLS
 * (node certificate and key, trusting only that peer's CA — `clientTlsOptions` of src/tls).
 * Nothing here decides trust: the TLS options do.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { RequestOptions } from 'node:https';

/** One request. */
export interface TransportRequest {
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** What came back: status, headers (lowercase names) and the body text. */
export interface TransportResponse {
  readonly status: number;
  header(name: string): string | undefined;
  readonly body: string;
}

/** Sends one request to `url`. Rejects on network failure (the caller retries). */
export type Transport = (url: string, request: TransportRequest) => Promise<TransportResponse>;

/** Options of {@link nodeTransport}. */
export interface NodeTransportOptions {
  /**
   * TLS client options for `https:` URLs (`ca`, `cert`, `key`, `checkServerIdentity`, …):
   * src/tls `clientTlsOptions(identity, peer)` in a served node.
   */
  readonly tls?: Pick<
    RequestOptions,
    | 'ca'
    | 'cert'
    | 'key'
    | 'checkServerIdentity'
    | 'minVersion'
    | 'servername'
    | 'rejectUnauthorized'
  >;
  /** Headers added to every request (tests: `authorization: Bearer …` over plain http). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Largest response body accepted, bytes (default 64 MiB). */
  readonly maxBytes?: number;
  /** Abandon a request after this many ms without completing (default 60 s). */
  readonly timeoutMs?: number;
}

/** A {@link Transport} over node:http / node:https. */
export function nodeTransport(options: NodeTransportOptions = {}): Transport {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 60_000;
  return (url, req) =>
    new Promise<TransportResponse>((resolve, reject) => {
      const u = new URL(url);
      const headers: Record<string, string> = { ...options.headers, ...req.headers };
      if (req.body !== undefined)
        headers['content-length'] = String(Buffer.byteLength(req.body, 'utf8'));
      const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
      const r = send(
        u,
        {
          method: req.method,
          headers,
          ...(u.protocol === 'https:' ? (options.tls ?? {}) : {}),
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > maxBytes) {
              res.destroy(new Error(`response larger than ${maxBytes} bytes`));
              return;
            }
            chunks.push(c);
          });
          res.on('error', reject);
          res.on('end', () => {
            const h = res.headers;
            resolve({
              status: res.statusCode ?? 0,
              header: (name) => {
                const v = h[name.toLowerCase()];
                return Array.isArray(v) ? v.join(', ') : v;
              },
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      r.on('timeout', () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      r.on('error', reject);
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });
}
