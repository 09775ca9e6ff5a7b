/**
 * `concordat ledger verify|head|prove|consistency`: OK on an honest ledger, the first break
 * (exit 1) after a stored row is edited behind the append-only triggers, and proofs that the
 * ledger module's verifiers accept.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  parseCheckpoint,
  parseNoteVerifierKey,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '../../src/ledger/index.js';
import { cli, json } from './harness.js';
import { APT1, EXAMPLE_AGREEMENT, ICS, bundle, indicator } from '../node/fixtures.js';

async function populated(): Promise<{ dir: string; config: string }> {
  const dir = join(mkdtempSync(join(tmpdir(), 'concordat-ledger-')), 'n');
  const config = join(dir, 'node.yaml');
  expect(
    (await cli(['init', '--dir', dir, '--party', 'ARV', '--agreement', EXAMPLE_AGREEMENT])).code,
  ).toBe(0);
  expect((await cli(['ingest', APT1, '--config', config])).code).toBe(0);
  const small = bundle([indicator(), indicator()]);
  expect(
    (await cli(['ingest', '-', '--config', config], { stdin: JSON.stringify(small) })).code,
  ).toBe(0);
  return { dir, config };
}

function bytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** Edits one ledger row from a second connection, dropping and recreating the triggers. */
function editRow(dir: string, sql: string, ...params: unknown[]): void {
  const conn = new Sqlite(join(dir, 'concordat.db'));
  try {
    const triggers = conn
      .prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'ledger_entries'",
      )
      .all() as { name: string; sql: string }[];
    expect(triggers.length).toBe(2);
    expect(() => conn.prepare(sql).run(...params)).toThrow(/append-only/);
    for (const t of triggers) conn.exec(`DROP TRIGGER ${t.name}`);
    expect(conn.prepare(sql).run(...params).changes).toBe(1);
    for (const t of triggers) conn.exec(t.sql);
  } finally {
    conn.close();
  }
}

describe('concordat ledger', () => {
  it('verify: OK with size, root and checkpoints; then the first break after a row is edited', async () => {
    const { dir, config } = await populated();
    const ok = await cli(['ledger', 'verify', '--config', config]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(
      /^OK {2}ledger concordat\.arv\.node: 78 entries, 3 checkpoints verified/,
    );
    const okJson = json(await cli(['--json', 'ledger', 'verify', '--config', config]));
    expect(okJson).toMatchObject({
      ok: true,
      size: 78,
      checkpoints: 3,
      anchoredSize: 78,
      unanchored: 0,
    });
    expect(String((okJson.root as { hex: string }).hex)).toMatch(/^[0-9a-f]{64}$/);

    editRow(
      dir,
      'UPDATE ledger_entries SET body = replace(body, \'"tlp":"\', \'"tlp":"x\') WHERE seq = ?',
      40,
    );
    const broken = await cli(['ledger', 'verify', '--config', config]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('BROKEN');
    expect(broken.stdout).toContain('leaf-hash-mismatch');
    expect(broken.stdout).toMatch(/entry {7}40/);
    expect(broken.stdout).toContain('verified    40 of 78 entries before the break');
    const j = json(await cli(['--json', 'ledger', 'verify', '--config', config]));
    expect(j).toMatchObject({
      ok: false,
      verified: 40,
      break: { kind: 'leaf-hash-mismatch', seq: 40 },
    });
  });

  it('verify: a deleted last row breaks the checkpoint that covered it', async () => {
    const { dir, config } = await populated();
    editRow(dir, 'DELETE FROM ledger_entries WHERE seq = ?', 77);
    const j = json(await cli(['--json', 'ledger', 'verify', '--config', config]));
    expect(j).toMatchObject({
      ok: false,
      break: { kind: 'checkpoint-beyond-ledger', checkpointSize: 78 },
    });
  });

  it('head: the signed checkpoint verifies with the printed verifier key', async () => {
    const { config } = await populated();
    const r = await cli(['ledger', 'head', '--config', config]);
    expect(r.code).toBe(0);
    const [note, vkeyLine] = r.stdout.split('\nverifier key: ');
    const verifier = parseNoteVerifierKey(String(vkeyLine).trim());
    const checked = verifyCheckpoint(`${String(note)}`, [verifier], {
      origin: 'concordat.arv.node',
      size: 78,
    });
    expect(checked.ok).toBe(true);
    const j = json(await cli(['--json', 'ledger', 'head', '--config', config]));
    expect(j).toMatchObject({ origin: 'concordat.arv.node', size: 78 });
    expect(
      verifyCheckpoint(String(j.checkpoint), [parseNoteVerifierKey(String(j.verifierKey))]).ok,
    ).toBe(true);
  });

  it('prove: the inclusion proof verifies against the signed checkpoint, in hex and base64', async () => {
    const { config } = await populated();
    for (const args of [
      ['prove', '10'],
      ['prove', '10', '--size', '76'],
      ['prove', '77'],
    ]) {
      const r = await cli(['--json', 'ledger', ...args, '--config', config]);
      expect(r.code, r.stdout).toBe(0);
      const j = json(r) as {
        seq: number;
        size: number;
        leafHash: { hex: string; base64: string };
        proof: { hex: string[]; base64: string[] };
        checkpoint: string;
        verifierKey: string;
      };
      const cp = verifyCheckpoint(j.checkpoint, [parseNoteVerifierKey(j.verifierKey)]);
      if (!cp.ok) throw new Error(cp.message);
      const proof = j.proof.hex.map(bytes);
      expect(j.proof.base64.map((b) => Buffer.from(b, 'base64').toString('hex'))).toEqual(
        j.proof.hex,
      );
      expect(
        verifyInclusion(bytes(j.leafHash.hex), j.seq, j.size, proof, cp.checkpoint.root).ok,
      ).toBe(true);
      const flipped = bytes(j.leafHash.hex);
      flipped[0] = (flipped[0] ?? 0) ^ 1;
      expect(verifyInclusion(flipped, j.seq, j.size, proof, cp.checkpoint.root).ok).toBe(false);
    }
    const human = await cli(['ledger', 'prove', '3', '--config', config]);
    expect(human.stdout).toContain('entry 3 (ingest) is in the ledger of size 78');
    expect((await cli(['ledger', 'prove', '78', '--config', config])).code).toBe(2);
    expect((await cli(['ledger', 'prove', '1', '--size', '5', '--config', config])).code).toBe(1);
    expect((await cli(['ledger', 'prove', '-1', '--config', config])).code).toBe(2);
  });

  it('consistency: the proof between two checkpoints verifies; sizes without a checkpoint are refused', async () => {
    const { config } = await populated();
    const r = await cli(['--json', 'ledger', 'consistency', '76', '78', '--config', config]);
    expect(r.code, r.stdout).toBe(0);
    const j = json(r) as {
      proof: { hex: string[] };
      oldCheckpoint: string;
      newCheckpoint: string;
      verifierKey: string;
    };
    const v = [parseNoteVerifierKey(j.verifierKey)];
    const a = verifyCheckpoint(j.oldCheckpoint, v);
    const b = verifyCheckpoint(j.newCheckpoint, v);
    if (!a.ok || !b.ok) throw new Error('checkpoints must verify');
    const proof = j.proof.hex.map(bytes);
    expect(verifyConsistency(76, 78, proof, a.checkpoint.root, b.checkpoint.root).ok).toBe(true);
    expect(verifyConsistency(76, 78, proof.slice(1), a.checkpoint.root, b.checkpoint.root).ok).toBe(
      false,
    );
    expect((await cli(['ledger', 'consistency', '0', '78', '--config', config])).code).toBe(2);
    const missing = await cli(['ledger', 'consistency', '10', '78', '--config', config]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no checkpoint of size `10`; checkpoints: 0, 76, 78');
    const text = parseCheckpoint(j.newCheckpoint);
    expect(text.ok && text.checkpoint.size).toBe(78);
  });

  it('ingests the whole ATT&CK for ICS bundle and still verifies', async () => {
    const { config } = await populated();
    expect((await cli(['ingest', ICS, '--config', config])).code).toBe(0);
    const j = json(await cli(['--json', 'ledger', 'verify', '--config', config]));
    expect(j).toMatchObject({ ok: true, checkpoints: 4 });
    expect(Number(j.size)).toBeGreaterThan(1600);
  });
});
