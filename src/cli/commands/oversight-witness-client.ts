/**
 * The witness's client of a node's REST API (`concordat oversight witness`): the latest
 * checkpoint, consistency proofs, and handing the cosigned checkpoint back. Every request
 * carries the oversight token.
 */
import type { Transport } from '../../federation/index.js';
import { CliError } from '../cli-error.js';

/** The environment variable holding the oversight token. */
export const TOKEN_ENV = 'CONCORDAT_OVERSIGHT_TOKEN';

/** What the witness asks of the node. */
export interface WitnessClient {
  /** GETs `path` as a JSON object; a coded error otherwise. */
  getJson(path: string): Promise<Record<string, unknown>>;
  /** The consistency proof from `size1` to `size2` (none when either is 0 or they are equal). */
  consistency(size1: number, size2: number): Promise<Uint8Array[]>;
  /**
   * POSTs the cosigned note to `api/v1/ledger/cosignatures`. Never throws: `undefined` when the
   * node kept it, else why not (the witnessing itself already succeeded).
   */
  publish(note: string): Promise<string | undefined>;
}

/** The coded error of a REST error body, as `: CODE message` (empty when there is none). */
function errorOf(text: string): string {
  try {
    const e = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
    return e?.code === undefined ? '' : `: ${e.code} ${e.message ?? ''}`;
  } catch {
    return '';
  }
}

/** A client of the node at `base` (its API, e.g. https://arv.example:8443). */
export function witnessClient(transport: Transport, base: string, token: string): WitnessClient {
  const urlOf = (path: string): string =>
    new URL(path, base.endsWith('/') ? base : `${base}/`).toString();
  const headers = { accept: 'application/json', authorization: `Bearer ${token}` };

  async function getJson(path: string): Promise<Record<string, unknown>> {
    const url = urlOf(path);
    let res;
    try {
      res = await transport(url, { method: 'GET', headers });
    } catch (cause) {
      throw new CliError('ERR_FEDERATION_PEER', `cannot reach the node at \`${url}\``, {
        cause,
        hint: 'check --url (the node’s API, e.g. https://arv.example:8443) and --ca',
      });
    }
    if (res.status !== 200)
      throw new CliError(
        'ERR_FEDERATION_PEER',
        `the node answered ${res.status} to \`${path}\`${errorOf(res.body)}`,
        { hint: `the witness needs a token with the \`oversight\` scope in ${TOKEN_ENV}` },
      );
    let body: unknown;
    try {
      body = JSON.parse(res.body);
    } catch {
      body = undefined;
    }
    if (typeof body !== 'object' || body === null)
      throw new CliError(
        'ERR_FEDERATION_PROTOCOL',
        `the node answered \`${path}\` with no json object`,
      );
    return body as Record<string, unknown>;
  }

  return {
    getJson,

    async consistency(size1, size2) {
      if (size1 === 0 || size1 === size2) return [];
      const p = (await getJson(`api/v1/ledger/proof/consistency?from=${size1}&to=${size2}`))[
        'proof'
      ];
      if (!Array.isArray(p) || !p.every((x) => typeof x === 'string'))
        throw new CliError(
          'ERR_FEDERATION_PROTOCOL',
          'the node’s consistency proof is not a list of hashes',
        );
      return p.map((x) => new Uint8Array(Buffer.from(x, 'base64')));
    },

    async publish(note) {
      try {
        const res = await transport(urlOf('api/v1/ledger/cosignatures'), {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ note }),
        });
        if (res.status === 200 || res.status === 201) return undefined;
        // 422: the node does not list this witness (node config `witnesses`) or its key.
        const hint =
          res.status === 422 ? '; the node’s config must list the witness under `witnesses`' : '';
        return `the node answered ${res.status}${errorOf(res.body)}${hint}`;
      } catch (cause) {
        return `cannot reach the node: ${(cause as Error).message}`;
      }
    },
  };
}
