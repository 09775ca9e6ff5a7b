/**
 * `concordat oversight witness` against a served node over loopback, with an oversight token:
 * the first run records the head, a run after the ledger grew verifies the consistency proof
 * and cosigns (the cosigned note verifies with the node's and the witness's keys together), a
 * partner's older checkpoint checks out against the witnessed history, and one the node signed
 * for another history at the same size is caught as a split view — with both checkpoints as
 * evidence and the state left as it was. Each accepted run hands the cosigned checkpoint back
 * to the node, which lists the witness in its config (`witnesses:`) and then serves it from
 * `GET /api/v1/ledger/checkpoint/cosigned`; a witness the node does not list is warned about,
 * not failed.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  noteVerifier,
  noteVerifierKey,
  parseNoteVerifierKey,
  signCheckpoint,
  verifyCheckpoint,
} from '../../src/ledger/index.js';
import { cli } from '../cli/harness.js';
import { freshNode, issueToken, serve } from './e2e-harness.js';

const AGREEMENT = 'northsea-cti-compact';

function bundle(): Record<string, unknown> {
  return {
    type: 'bundle',
    id: `bundle--${randomUUID()}`,
    objects: [
      {
        type: 'indicator',
        spec_version: '2.1',
        id: `indicator--${randomUUID()}`,
        created: '2026-02-01T00:00:00.000Z',
        modified: '2026-02-01T00:00:00.000Z',
        pattern: "[domain-name:value = 'witness.example']",
        pattern_type: 'stix',
        valid_from: '2026-02-01T00:00:00Z',
      },
    ],
  };
}

interface State {
  head: { size: number; checkpoint: string; origin: string };
  cosigned: string;
}

describe('oversight witness over loopback', () => {
  it('records, cosigns a ledger that grew, and catches a checkpoint of another history', async () => {
    const { dir, config } = await freshNode();
    const env = {
      CONCORDAT_OVERSIGHT_TOKEN: (await issueToken(config, 'NL-OVERSIGHT', 'oversight')).token,
    };
    const writer = (await issueToken(config, 'ARV-CERT', 'read,write')).token;
    const head = JSON.parse(
      (await cli(['--json', 'ledger', 'head', '--config', config])).stdout,
    ) as {
      verifierKey: string;
      origin: string;
    };
    const keys = generateKeyPairSync('ed25519');
    const keyFile = join(dir, 'witness.key.pem');
    writeFileSync(keyFile, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const stateFile = join(dir, 'witness.json');
    // The node's operator lists the witness, with the key the witness gave out of band.
    appendFileSync(
      config,
      `\nwitnesses:\n  - name: oversight.example\n    key: ${noteVerifierKey('oversight.example', keys.publicKey)}\n`,
    );
    const s = await serve(config);
    const witness = (extra: string[] = []) =>
      cli(
        [
          '--json',
          'oversight',
          'witness',
          '--url',
          s.base,
          '--node-key',
          head.verifierKey,
          '--name',
          'oversight.example',
          '--key',
          keyFile,
          '--state',
          stateFile,
          ...extra,
        ],
        { env },
      );
    const publish = async () => {
      const r = await fetch(`${s.base}/api/v1/bundles?agreement=${AGREEMENT}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
        body: JSON.stringify(bundle()),
      });
      expect(r.status, await r.text()).toBe(200);
    };
    try {
      await publish();
      const first = await witness();
      expect(first.code, first.stderr).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({
        first: true,
        origin: head.origin,
        published: true,
      });
      const before = JSON.parse(readFileSync(stateFile, 'utf8')) as State;

      await publish();
      const second = await witness();
      expect(second.code, second.stderr).toBe(0);
      const out = JSON.parse(second.stdout) as {
        grew: number;
        size: number;
        cosigned: string;
        published: boolean;
      };
      expect(out.grew).toBeGreaterThan(0);
      expect(out.size).toBe(before.head.size + out.grew);
      expect(out.published).toBe(true);
      const both = [
        parseNoteVerifierKey(head.verifierKey),
        noteVerifier('oversight.example', keys.publicKey),
      ];
      expect(verifyCheckpoint(out.cosigned, both, { require: 'all' })).toMatchObject({ ok: true });

      // The node serves the newest cosigned checkpoint to a partner's agency credential.
      const served = await fetch(`${s.base}/api/v1/ledger/checkpoint/cosigned`, {
        headers: { authorization: `Bearer ${writer}`, accept: 'text/plain' },
      });
      const servedNote = await served.text();
      expect(served.status, servedNote).toBe(200);
      expect(servedNote).toBe(out.cosigned);
      expect(verifyCheckpoint(servedNote, both, { require: 'all' })).toMatchObject({
        ok: true,
        checkpoint: { size: out.size },
      });

      // --no-publish keeps it here; a witness the node does not list is a warning, not a failure.
      const quiet = await witness(['--no-publish']);
      expect(quiet.code, quiet.stderr).toBe(0);
      expect(JSON.parse(quiet.stdout)).toMatchObject({ published: false });
      expect(quiet.stderr).not.toMatch(/warning/);
      const strangerKey = join(dir, 'stranger.key.pem');
      writeFileSync(
        strangerKey,
        generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
      );
      const stranger = await cli(
        [
          '--json',
          'oversight',
          'witness',
          '--url',
          s.base,
          '--node-key',
          head.verifierKey,
          '--name',
          'stranger.example',
          '--key',
          strangerKey,
          '--state',
          join(dir, 'stranger.json'),
        ],
        { env },
      );
      expect(stranger.code, stranger.stderr).toBe(0);
      expect(JSON.parse(stranger.stdout)).toMatchObject({ published: false });
      expect(stranger.stderr).toMatch(/warning.*not published.*422: ERR_CHECKPOINT_INVALID/);

      // A partner's older checkpoint belongs to the witnessed history.
      const older = join(dir, 'older.txt');
      writeFileSync(older, before.head.checkpoint);
      const fine = await witness(['--seen', older]);
      expect(fine.code, fine.stderr).toBe(0);
      expect(JSON.parse(fine.stdout)).toMatchObject({
        grew: 0,
        seen: [{ size: before.head.size }],
      });

      // The node (its key) signs another ledger of that size for someone: a split view.
      const nodeKey = readFileSync(join(dir, 'node.key.pem'), 'utf8');
      const { createPrivateKey } = await import('node:crypto');
      const forged = signCheckpoint(
        { origin: head.origin, size: before.head.size, root: new Uint8Array(randomBytes(32)) },
        [{ name: head.origin, privateKey: createPrivateKey(nodeKey) }],
      );
      const other = join(dir, 'other.txt');
      writeFileSync(other, forged);
      const kept = readFileSync(stateFile, 'utf8');
      const caught = await witness(['--seen', other]);
      expect(caught.code).toBe(1);
      const err = JSON.parse(caught.stdout) as {
        error: { code: string; details: { evidence: { presented: string } } };
      };
      expect(err.error.code).toBe('ERR_LEDGER_SPLIT_VIEW');
      expect(err.error.details.evidence.presented).toBe(forged);
      expect(readFileSync(stateFile, 'utf8')).toBe(kept);

      // Without a token the command says what it needs, and touches nothing.
      const bare = await cli([
        'oversight',
        'witness',
        '--url',
        s.base,
        '--node-key',
        head.verifierKey,
        '--name',
        'w',
        '--key',
        keyFile,
        '--state',
        join(dir, 'w2.json'),
      ]);
      expect(bare.code).toBe(2);
      expect(bare.stderr).toMatch(/ERR_USAGE.*CONCORDAT_OVERSIGHT_TOKEN/);
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });
});
