/**
 * Witnesses' cosignatures over REST, in process with `inject`, on both dialects: a checkpoint a
 * configured witness cosigned is kept (201, then 200 for the identical repeat) and served by
 * `GET /api/v1/ledger/checkpoint/cosigned` as a note that verifies with the node's and the
 * witness's keys together; what is refused, with nothing stored: a witness the node does not
 * list (422), a node-signed checkpoint of another root (409, a split view), a size the node
 * never checkpointed (404), a note that is not one (400), a note without the node's own line
 * (422), an agency credential (403). The node config's `witnesses` are checked at load.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { generateSigningKeyPair } from '../../src/agreement/index.js';
import { isConcordatError } from '../../src/core/index.js';
import {
  noteVerifier,
  noteVerifierKey,
  signCheckpoint,
  signNote,
  verifyCheckpoint,
} from '../../src/ledger/index.js';
import type { NoteSigner } from '../../src/ledger/index.js';
import { NodeLedger, parseNodeConfig } from '../../src/node/index.js';
import { nodeCosignatures } from '../../src/node/cosignatures.js';
import {
  buildServer,
  memoryAgreementRegistry,
  memoryAuthStore,
  memoryWithdrawals,
} from '../../src/server/index.js';
import type { ServerContext } from '../../src/server/index.js';
import { SCHEMAS } from '../../src/server/rest/index.js';
import type { SchemaName } from '../../src/server/rest/index.js';
import { checkpoints, cosignatures } from '../../src/store/index.js';
import { describeDialects } from '../store/dialects.js';
import type { DialectUnderTest } from '../store/dialects.js';
import { makeVault } from '../vault/fixtures.js';
import { AT, contextCore, serverAgreement } from './harness.js';

const ORIGIN = 'concordat.arv.node';
const WITNESS = 'oversight.example';

function signer(name: string): NoteSigner & { publicKey: KeyObject } {
  const k = generateKeyPairSync('ed25519');
  return { name, privateKey: k.privateKey, publicKey: k.publicKey };
}

/** `note` with `w`'s signature line over its text appended (what the witness does). */
function cosign(note: string, w: NoteSigner): string {
  const text = note.slice(0, note.lastIndexOf('\n\n') + 1);
  return `${note}${signNote(text, [w]).slice(text.length + 1)}`;
}

async function makeNode(d: DialectUnderTest) {
  const { db } = await d.fresh();
  const vault = await makeVault();
  vault.clock.set(AT);
  const key = createPrivateKey(generateSigningKeyPair().privateKey);
  const nodeSigner: NoteSigner = { name: ORIGIN, privateKey: key };
  const ledger = await NodeLedger.open(
    { db, clock: vault.clock, origin: ORIGIN, signer: nodeSigner },
    noteVerifier(ORIGIN, key),
  );
  for (let i = 0; i < 3; i++) await ledger.append('governance', { event: 'test', i });
  const witness = signer(WITNESS);
  const stranger = signer('stranger.example');
  const { cosign: cosignPort, cosigned } = nodeCosignatures({
    db,
    clock: vault.clock,
    origin: ORIGIN,
    node: ledger.verifier,
    witnesses: [noteVerifier(WITNESS, witness.publicKey)],
  });
  const agreement = serverAgreement();
  const auth = memoryAuthStore();
  const ctx: ServerContext = {
    ...contextCore(db, vault, agreement),
    state: () => ({ level: 'baseline', waivers: [], pauses: [], revocations: [] }),
    ingest: () => Promise.reject(new Error('no ingest here')),
    auth,
    withdrawals: memoryWithdrawals(),
    rest: {
      registry: memoryAgreementRegistry(),
      trustedKeys: {},
      ledger: {
        head: () => ledger.head(),
        checkpoints: async (from) => (await checkpoints.list(db)).filter((c) => c.size >= from),
        inclusion: (s, n) => ledger.inclusion(s, n),
        consistency: (a, b) => ledger.consistency(a, b),
        append: (k, b) => ledger.append(k, b),
        verifier: ledger.verifier,
        cosign: cosignPort,
        cosigned,
      },
    },
  };
  const app = buildServer(ctx);
  await app.ready();
  const tok = {
    oversight: auth.issue('NL-OVERSIGHT', ['oversight']).token,
    admin: auth.issue('ARV-CERT', ['admin']).token,
    rw: auth.issue('ARV-CERT', ['read', 'write']).token,
  };
  const head = (await ledger.head())!;
  const stored = async () => (await cosignatures.latestCosignedSize(db)) ?? 0;
  return { app, db, ledger, nodeSigner, witness, stranger, tok, head, stored };
}

type Node = Awaited<ReturnType<typeof makeNode>>;

function post(s: Node, body: unknown, token: string = s.tok.oversight, type = 'application/json') {
  return s.app.inject({
    method: 'POST',
    url: '/api/v1/ledger/cosignatures',
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function getCosigned(s: Node, accept = 'application/json') {
  return s.app.inject({
    method: 'GET',
    url: '/api/v1/ledger/checkpoint/cosigned',
    headers: { authorization: `Bearer ${s.tok.rw}`, accept },
  });
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema({ $id: 'concordat', components: { schemas: SCHEMAS } });
function conforms(name: SchemaName, body: unknown): void {
  const v = ajv.compile({ $ref: `concordat#/components/schemas/${name}` });
  expect(v(body), JSON.stringify(v.errors)).toBe(true);
}

function expectError(r: { statusCode: number; body: string }, status: number, code: string) {
  expect(r.statusCode, r.body).toBe(status);
  expect((JSON.parse(r.body) as { error: { code: string } }).error.code, r.body).toBe(code);
}

describeDialects('REST witness cosignatures', (d) => {
  it('keeps a configured witness’s cosignature and serves a note both keys verify', async () => {
    const s = await makeNode(d);
    expectError(await getCosigned(s), 404, 'ERR_NOT_FOUND');
    const note = cosign(cosign(s.head.text, s.stranger), s.witness);
    const r = await post(s, { note });
    expect(r.statusCode, r.body).toBe(201);
    conforms('CosignatureAccepted', JSON.parse(r.body));
    expect(JSON.parse(r.body)).toEqual({ size: s.head.size, witnesses: [WITNESS], created: true });
    // The identical repeat: 200, nothing new.
    const again = await post(s, { note });
    expect(again.statusCode, again.body).toBe(200);
    expect(JSON.parse(again.body)).toMatchObject({ created: false });

    const json = JSON.parse((await getCosigned(s)).body) as { note: string; size: number };
    conforms('CosignedCheckpoint', json);
    expect(json).toMatchObject({ size: s.head.size, witnesses: [WITNESS] });
    const both = [s.ledger.verifier, noteVerifier(WITNESS, s.witness.publicKey)];
    expect(verifyCheckpoint(json.note, both, { require: 'all' })).toMatchObject({ ok: true });
    // The stranger's line (a key the node does not list) is not kept.
    expect(json.note).not.toContain('stranger.example');
    const text = await getCosigned(s, 'text/plain');
    expect(text.headers['content-type']).toMatch(/^text\/plain/);
    expect(text.body).toBe(json.note);

    // An older checkpoint cosigned later does not hide the newest cosigned one.
    const older = (await checkpoints.list(s.db))[0]!;
    expect((await post(s, { note: cosign(older.text, s.witness) })).statusCode).toBe(201);
    expect(JSON.parse((await getCosigned(s)).body)).toMatchObject({ size: s.head.size });
  });

  it('refuses, with nothing stored: unknown witness, another root, unknown size, bad notes', async () => {
    const s = await makeNode(d);
    // A witness the node does not list.
    expectError(
      await post(s, { note: cosign(s.head.text, s.stranger) }),
      422,
      'ERR_CHECKPOINT_INVALID',
    );
    // No witness line at all.
    expectError(await post(s, { note: s.head.text }), 422, 'ERR_CHECKPOINT_INVALID');
    // A checkpoint the node's key signed for another history, at a size it stored.
    const other = signCheckpoint(
      { origin: ORIGIN, size: s.head.size, root: new Uint8Array(randomBytes(32)) },
      s.nodeSigner,
    );
    const split = await post(s, { note: cosign(other, s.witness) });
    expectError(split, 409, 'ERR_LEDGER_SPLIT_VIEW');
    expect(JSON.parse(split.body).error.details.evidence.stored).toBe(s.head.text);
    // A size the node never checkpointed.
    const future = signCheckpoint(
      { origin: ORIGIN, size: s.head.size + 5, root: new Uint8Array(32) },
      s.nodeSigner,
    );
    expectError(await post(s, { note: cosign(future, s.witness) }), 404, 'ERR_NOT_FOUND');
    // The witness's line over the node's text, but no valid line of the node.
    const text = s.head.text.slice(0, s.head.text.lastIndexOf('\n\n') + 1);
    const forged = signNote(text, [signer(ORIGIN), s.witness]);
    expectError(await post(s, { note: forged }), 422, 'ERR_CHECKPOINT_INVALID');
    // Another log's checkpoint.
    const foreign = signCheckpoint(
      { origin: 'concordat.bor.node', size: s.head.size, root: s.head.root },
      s.nodeSigner,
    );
    expectError(await post(s, { note: cosign(foreign, s.witness) }), 422, 'ERR_CHECKPOINT_INVALID');
    // A witness line that does not verify refuses the whole note.
    const good = cosign(s.head.text, s.witness);
    const lines = good.split('\n');
    const last = lines[lines.length - 2]!;
    const flipped = `${last.slice(0, -4)}${last.endsWith('AAA=') ? 'BAA=' : 'AAA='}`;
    lines[lines.length - 2] = flipped;
    expectError(await post(s, { note: lines.join('\n') }), 422, 'ERR_CHECKPOINT_INVALID');
    // Malformed input: 400, never 5xx.
    for (const body of [
      { note: 'not a note' },
      { note: `${ORIGIN}\n1\nAAAA\n\n\u2014 x AAAA\n` },
      { note: 'x'.repeat(256 * 1024 + 1) },
      { note: 7 },
      { note: s.head.text, more: 1 },
      {},
    ])
      expectError(await post(s, body), 400, 'ERR_BODY_INVALID');
    expectError(await post(s, '{', s.tok.oversight), 400, 'ERR_INPUT_SYNTAX');
    expect((await post(s, good, s.tok.oversight, 'text/plain')).statusCode).toBe(415);
    // An agency credential: the oversight body's route.
    expectError(await post(s, { note: good }, s.tok.rw), 403, 'ERR_FORBIDDEN');
    expect(await s.stored()).toBe(0);
    expectError(await getCosigned(s), 404, 'ERR_NOT_FOUND');
    // The node's operator (admin) may hand one in.
    expect((await post(s, { note: good }, s.tok.admin)).statusCode).toBe(201);
  });
});

describe('node config witnesses', () => {
  const base = 'party: ARV\nkeyring: { key_file: k }\nsigning_key: s.pem\n';
  const w = signer(WITNESS);
  const key = noteVerifierKey(WITNESS, w.publicKey);
  const load = (yaml: string) => parseNodeConfig(base + yaml, '/srv/arv/node.yaml');
  const issue = (yaml: string): string => {
    try {
      load(yaml);
    } catch (err) {
      if (isConcordatError(err, 'ERR_CONFIG_INVALID')) return err.message;
      throw err;
    }
    throw new Error('loaded');
  };

  it('loads witnesses and defaults to none', () => {
    expect(load('').witnesses).toEqual([]);
    expect(load(`witnesses:\n  - name: ${WITNESS}\n    key: ${key}\n`).witnesses).toEqual([
      { name: WITNESS, key },
    ]);
  });

  it('refuses a key that does not parse, is another name’s, or a witness listed twice', () => {
    expect(issue('witnesses:\n  - name: w\n    key: nonsense\n')).toMatch(
      /node\.yaml:6:10 `witnesses\[0\]\.key` is not a verifier key/,
    );
    expect(issue(`witnesses:\n  - name: other.example\n    key: ${key}\n`)).toMatch(
      /node\.yaml:6:10 `witnesses\[0\]\.key` is the key of `oversight\.example`/,
    );
    expect(
      issue(
        `witnesses:\n  - name: ${WITNESS}\n    key: ${key}\n  - name: ${WITNESS}\n    key: ${key}\n`,
      ),
    ).toMatch(/node\.yaml:7:11 witness `oversight\.example` is already at `witnesses\[0\]`/);
    expect(issue('witnesses:\n  - name: w\n')).toMatch(/needs `key`/);
  });
});
