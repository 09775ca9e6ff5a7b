/**
 * A served node for the REST escalation tests: the North Sea compact with one more ARV
 * official who lacks the `approver` role, officials' public keys in `official_keys`, private
 * keys kept by the test (as each official keeps theirs), tokens issued through the node's token
 * store, and `call` — `app.inject`, no socket.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { approvalMessage } from '../../src/escalation/index.js';
import { nodeServerContext } from '../../src/node/index.js';
import type { NodeServer } from '../../src/node/index.js';
import { buildServer } from '../../src/server/index.js';
import { ALL_ROUTES, SCHEMAS } from '../../src/server/rest/index.js';
import { EXAMPLE_AGREEMENT, makeNode } from '../node/fixtures.js';
import type { NodeFixture } from '../node/fixtures.js';
import type { DialectUnderTest } from '../store/dialects.js';

export const AGREEMENT = 'northsea-cti-compact';
export const OFFICIALS = ['ARV-LIAISON', 'BOR-LIAISON', 'CAL-LIAISON', 'ARV-OBSERVER'] as const;
export type OfficialId = (typeof OFFICIALS)[number];

/** A response, its body parsed. */
export interface Reply {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are read ad hoc; each assertion checks the shape it reads
  readonly body: any;
  readonly text: string;
}

/** The served node under test. */
export interface EscalationServer {
  readonly f: NodeFixture;
  readonly served: NodeServer;
  readonly app: FastifyInstance;
  /** `ARV-LIAISON`, `ARV-OBSERVER` (officials), `ARV-CERT:rw`, `BOR-CERT:r`, `admin`. */
  readonly tokens: Readonly<Record<string, string>>;
  call(method: string, path: string, token: string, body?: unknown): Promise<Reply>;
  /** `official`'s signature over an approval of the subject whose digest is `digest`. */
  signDigest(
    official: OfficialId,
    action: 'approve-escalation' | 'approve-waiver',
    digest: string,
  ): string;
  close(): Promise<void>;
}

/** The example agreement with `ARV-OBSERVER` (ARV, roles [liaison]) among its officials. */
function agreementWithObserver(): string {
  const text = readFileSync(EXAMPLE_AGREEMENT, 'utf8');
  const out = text.replace(
    /( {2}CAL-LIAISON: \{ party: CAL, roles: \[liaison, approver\] \}\n)/,
    '$1  ARV-OBSERVER: { party: ARV, roles: [liaison] }\n',
  );
  if (out === text) throw new Error('the example agreement changed: cannot add ARV-OBSERVER');
  return out;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema({ $id: 'concordat', components: { schemas: SCHEMAS } });

/**
 * Asserts a JSON response matches what the OpenAPI document says the route answers: the
 * route's response schema for its status, or `Error`.
 */
function conformsToDocument(method: string, path: string, status: number, body: unknown): void {
  const url = path.split('?', 1)[0] ?? '';
  const spec = ALL_ROUTES.find(
    (r) => r.method === method && new RegExp(`^${r.url.replace(/:[a-z]+/g, '[^/]+')}$`).test(url),
  );
  if (spec === undefined) throw new Error(`no documented route for ${method} ${url}`);
  const response = spec.responses[String(status)];
  const name = response === undefined ? 'Error' : response.schema;
  if (response === undefined)
    expect(spec.errorStatuses, `${method} ${url}: undocumented status ${status}`).toContain(status);
  const v = ajv.compile({ $ref: `concordat#/components/schemas/${name}` });
  expect(v(body), `${method} ${url} → ${status} vs ${name}: ${JSON.stringify(v.errors)}`).toBe(
    true,
  );
}

/** A fresh served node on `d`'s dialect. */
export async function escalationServer(d: DialectUnderTest): Promise<EscalationServer> {
  const dir = mkdtempSync(join(tmpdir(), 'concordat-rest-esc-'));
  const agreementFile = join(dir, 'northsea-observer.yaml');
  writeFileSync(agreementFile, agreementWithObserver());
  mkdirSync(join(dir, 'officials'));
  const keys = new Map<string, KeyObject>();
  for (const o of OFFICIALS) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(
      join(dir, 'officials', `${o}.pub.pem`),
      publicKey.export({ type: 'spki', format: 'pem' }),
    );
    keys.set(o, privateKey);
  }
  const f = await makeNode(d, (yaml) => {
    const out = yaml.replace(
      /( {2}- file: ).*northsea-compact\.yaml.*\n/,
      `$1"${agreementFile}"\n    official_keys: "${join(dir, 'officials')}"\n`,
    );
    if (out === yaml) throw new Error('node.yaml changed: cannot point it at the test agreement');
    return out;
  });
  const served = await nodeServerContext(f.node);
  const app = buildServer(served.context);
  await app.ready();
  const tokens: Record<string, string> = {};
  for (const o of ['ARV-LIAISON', 'ARV-OBSERVER'])
    tokens[o] = (await served.auth.issueOfficial({ official: o })).token;
  tokens['ARV-CERT:rw'] = (
    await served.auth.issue({ agency: 'ARV-CERT', scopes: ['read', 'write'] })
  ).token;
  tokens['BOR-CERT:r'] = (await served.auth.issue({ agency: 'BOR-CERT', scopes: ['read'] })).token;
  tokens['admin'] = (await served.auth.issue({ agency: 'ARV-CERT', scopes: ['admin'] })).token;
  const agreement = { id: AGREEMENT, version: 3 };
  return {
    f,
    served,
    app,
    tokens,
    async call(method, path, token, body) {
      const r = await app.inject({
        method: method as 'GET',
        url: path,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      const isJson = (r.headers['content-type'] ?? '').toString().startsWith('application/json');
      const parsed: unknown = isJson && r.body !== '' ? JSON.parse(r.body) : undefined;
      if (isJson) conformsToDocument(method, path, r.statusCode, parsed);
      return { status: r.statusCode, body: parsed, text: r.body };
    },
    signDigest(official, action, digest) {
      const key = keys.get(official);
      if (key === undefined) throw new Error(`no key for ${official}`);
      return sign(null, approvalMessage(agreement, action, digest, official), key).toString(
        'base64url',
      );
    },
    async close() {
      await app.close();
      await f.node.close();
    },
  };
}
