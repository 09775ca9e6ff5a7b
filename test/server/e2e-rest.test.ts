/**
 * The REST API end to end on loopback, through `concordat serve` over a node opened from its
 * config (`nodeServerContext` wires every REST port): probes, a bundle published over REST,
 * the signed checkpoint verified with the node's verifier key, an inclusion proof verified
 * with the ledger module, a decision, the agreement registry seeded from the config (its
 * signatures re-verified against the configured `keys`), and `/metrics` guarded (no served
 * credential carries `admin` yet: see the todo).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  generateSigningKeyPair,
  parseAgreement,
  signAgreement,
  signatureFile,
} from '../../src/agreement/index.js';
import { parseNoteVerifierKey, verifyCheckpoint, verifyInclusion } from '../../src/ledger/index.js';
import { cli, json } from '../cli/harness.js';
import { EXAMPLE_AGREEMENT } from '../node/fixtures.js';
import { freshNode, issueToken, serve } from './e2e-harness.js';

const AGREEMENT = 'northsea-cti-compact';
const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const PARTIES = ['ARV', 'BOR', 'CAL'] as const;

function indicator(n: number): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2026-02-01T00:00:00.000Z',
    modified: '2026-02-01T00:00:00.000Z',
    pattern: `[domain-name:value = 'rest${n}.example']`,
    pattern_type: 'stix',
    valid_from: '2026-02-01T00:00:00Z',
    object_marking_refs: [GREEN],
  };
}

/**
 * A fresh node whose agreement is signed by every party: `<PARTY>.pub.pem` in `parties/`, the
 * signature file beside the agreement, both named in node.yaml (`signatures`, `keys`).
 */
async function signedNode(): Promise<{ config: string }> {
  const { dir, config } = await freshNode();
  const source = readFileSync(EXAMPLE_AGREEMENT, 'utf8');
  const parsed = parseAgreement(source);
  if (!parsed.ok) throw new Error('example agreement does not parse');
  mkdirSync(join(dir, 'parties'));
  const sigs = PARTIES.map((party) => {
    const pair = generateSigningKeyPair();
    writeFileSync(join(dir, 'parties', `${party}.pub.pem`), pair.publicKey);
    return signAgreement(parsed.document, {
      party,
      privateKey: pair.privateKey,
      signedAt: Date.UTC(2026, 0, 1),
    });
  });
  const signatures = signatureFile(parsed.document, sigs);
  writeFileSync(join(dir, 'agreements', 'northsea-compact.sig.json'), JSON.stringify(signatures));
  const text = readFileSync(config, 'utf8').replace(
    /( {2}- file: .*northsea-compact\.yaml.*\n)/,
    '$1    signatures: agreements/northsea-compact.sig.json\n    keys: parties\n',
  );
  expect(text).toContain('keys: parties');
  writeFileSync(config, text);
  return { config };
}

describe('rest end to end over loopback', () => {
  it('healthz, readyz, bundles, checkpoint + inclusion proof verify, decisions, agreements', async () => {
    const { config } = await signedNode();
    // The verifier key as an operator gets it: `concordat ledger head` (signs the size-0 head).
    const head = await cli(['--json', 'ledger', 'head', '--config', config]);
    expect(head.code, head.stderr).toBe(0);
    const verifier = parseNoteVerifierKey(String(json(head).verifierKey));
    const writer = (await issueToken(config, 'ARV-CERT', 'read,write')).token;
    const reader = (await issueToken(config, 'CAL-CSIRT', 'read')).token;
    const admin = (await issueToken(config, 'ARV-CERT', 'admin')).token;
    const s = await serve(config);
    const call = async (
      path: string,
      token: string | undefined,
      init: { method?: string; body?: unknown; accept?: string } = {},
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are read ad hoc; each assertion checks the shape it reads
    ): Promise<{ status: number; body: any; text: string; type: string | null }> => {
      const r = await fetch(`${s.base}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          accept: init.accept ?? 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      const text = await r.text();
      const type = r.headers.get('content-type');
      const isJson = type?.startsWith('application/json') === true && text !== '';
      return { status: r.status, body: isJson ? JSON.parse(text) : undefined, text, type };
    };
    try {
      // Probes: no credential; every readiness check passes on a real node.
      expect((await call('/healthz', undefined)).body).toEqual({ status: 'ok' });
      const ready = await call('/readyz', undefined);
      expect(ready.status, ready.text).toBe(200);
      expect(ready.body).toEqual({
        status: 'ok',
        checks: { store: true, agreements: true, ledger: true },
      });

      // Publish over REST: ingest appends to the ledger and signs a checkpoint.
      const objs = [0, 1, 2].map(indicator);
      const pub = await call(`/api/v1/bundles?agreement=${AGREEMENT}`, writer, {
        method: 'POST',
        body: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: objs },
      });
      expect(pub.status, pub.text).toBe(200);
      expect(pub.body).toMatchObject({ agreement: AGREEMENT, producer: 'ARV', inserted: 3 });

      // The latest checkpoint verifies with the node's verifier key (note text and JSON agree).
      const note = await call('/api/v1/ledger/checkpoint', reader, { accept: 'text/plain' });
      expect(note.status, note.text).toBe(200);
      expect(note.type).toMatch(/^text\/plain/);
      const checked = verifyCheckpoint(note.text, [verifier]);
      expect(checked.ok).toBe(true);
      if (!checked.ok) return;
      const cp = (await call('/api/v1/ledger/checkpoint', reader)).body;
      expect(cp.note).toBe(note.text);
      expect(cp.size).toBe(checked.checkpoint.size);
      expect(cp.size).toBeGreaterThan(0);
      const b = (x: string): Uint8Array => new Uint8Array(Buffer.from(x, 'base64'));
      expect(Buffer.from(checked.checkpoint.root).equals(Buffer.from(b(cp.root)))).toBe(true);

      // An inclusion proof of the last leaf, against the verified root; no entry body leaves.
      const seq = cp.size - 1;
      const inc = await call(`/api/v1/ledger/proof/inclusion?seq=${seq}&size=${cp.size}`, reader);
      expect(inc.status, inc.text).toBe(200);
      expect(Object.keys(inc.body).sort()).toEqual(
        ['checkpoint', 'leafHash', 'proof', 'root', 'seq', 'size'].sort(),
      );
      expect(inc.body.checkpoint).toBe(note.text);
      expect(
        verifyInclusion(
          b(inc.body.leafHash),
          seq,
          cp.size,
          inc.body.proof.map(b),
          checked.checkpoint.root,
        ).ok,
      ).toBe(true);
      const list = await call('/api/v1/ledger/checkpoints?from=0', reader);
      expect(list.status, list.text).toBe(200);
      expect(list.body.checkpoints.at(-1).size).toBe(cp.size);

      // A decision about the asking agency itself, with its explanation.
      const decision = await call('/api/v1/decisions', reader, {
        method: 'POST',
        body: {
          agreement: AGREEMENT,
          request: {
            agency: 'CAL-CSIRT',
            purpose: 'incident-response',
            at: '2026-03-03T14:00:00Z',
            object: { type: 'indicator', tlp: 'green', personalData: 'none', producer: 'ARV' },
          },
        },
      });
      expect(decision.status, decision.text).toBe(200);
      expect(decision.body).toMatchObject({ agreement: AGREEMENT, version: 3 });
      expect(decision.body.decision.effect).toBe('allow');

      // The registry holds the node's agreement, active; its signatures verify against the
      // configured party keys.
      const agreements = await call('/api/v1/agreements', reader);
      expect(agreements.status, agreements.text).toBe(200);
      expect(agreements.body.agreements).toEqual([
        expect.objectContaining({ id: AGREEMENT, version: 3, status: 'active' }),
      ]);
      const doc = await call(`/api/v1/agreements/${AGREEMENT}`, reader);
      expect(doc.status, doc.text).toBe(200);
      expect(doc.body.signatures).toMatchObject({ ok: true, missing: [] });
      expect(doc.body.digest).toBe(agreements.body.agreements[0].digest);

      // Metrics are admin only: routed and guarded here. See the todo below for the admin read.
      const m = await call('/metrics', writer, { accept: 'text/plain' });
      expect(m.status, m.text).toBe(403);
      expect(m.body.error.code).toBe('ERR_FORBIDDEN');
      // An operator-issued admin token (local CLI only) reads them.
      const ok = await call('/metrics', admin, { accept: 'text/plain' });
      expect(ok.status, ok.text).toBe(200);
      expect(ok.text).toMatch(/^# (HELP|TYPE) /m);
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });
});
