/** `concordat ingest`: all or nothing, every issue listed, summary and --json. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { captureIo, cli, json } from './harness.js';
import { APT1, bundle, EXAMPLE_AGREEMENT, icsSlice, indicator } from '../node/fixtures.js';

async function node(): Promise<{ dir: string; config: string }> {
  const dir = join(mkdtempSync(join(tmpdir(), 'concordat-ingest-')), 'n');
  const r = await cli(['init', '--dir', dir, '--party', 'ARV', '--agreement', EXAMPLE_AGREEMENT]);
  expect(r.code, r.stderr).toBe(0);
  return { dir, config: join(dir, 'node.yaml') };
}

async function ledgerSize(config: string): Promise<number> {
  const v = await cli(['--json', 'ledger', 'verify', '--config', config]);
  return Number(json(v).size);
}

describe('concordat ingest', () => {
  it('ingests an OASIS example, then reports it as already present', async () => {
    const { config } = await node();
    const r = await cli(['ingest', APT1, '--config', config]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ingested 76, already present 0, rejected 0/);
    expect(r.stdout).toContain('checkpoint signed at size 76');
    const again = await cli(['--json', 'ingest', APT1, '--config', config]);
    expect(json(again)).toMatchObject({ ingested: 0, alreadyPresent: 76, rejected: 0 });
    expect(await ledgerSize(config)).toBe(76);
  });

  it('reads a slice of ATT&CK for ICS from stdin, for another party, via CONCORDAT_CONFIG', async () => {
    const { config } = await node();
    const slice = icsSlice(60);
    const r = await cli(['--json', 'ingest', '-', '--producer', 'BOR'], {
      stdin: JSON.stringify(slice),
      env: { CONCORDAT_CONFIG: config },
    });
    expect(r.code, r.stdout).toBe(0);
    expect(json(r)).toMatchObject({
      received: (slice.objects as unknown[]).length,
      ingested: (slice.objects as unknown[]).length,
    });
    const stranger = await cli(['ingest', '-', '--producer', 'ZED', '--config', config], {
      stdin: JSON.stringify(bundle([indicator()])),
    });
    expect(stranger.code).toBe(2);
  });

  it('rejects a bad bundle: exit 1, every issue listed, nothing written', async () => {
    const { dir, config } = await node();
    await cli(['ingest', APT1, '--config', config]);
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify(
        bundle([
          indicator(),
          indicator({ valid_from: 'yesterday' }),
          indicator({ pattern_type: undefined }),
          indicator({ created: '2026-02-01T00:00:00Z', modified: '2025-01-01T00:00:00Z' }),
        ]),
      ),
    );
    const r = await cli(['ingest', bad, '--config', config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/objects/1/valid_from');
    expect(r.stderr).toContain('/objects/2');
    expect(r.stderr).toContain('/objects/3');
    expect(r.stderr).toContain('rejected: nothing was written');
    expect(r.stderr).toContain('ERR_STIX_INVALID');
    const j = await cli(['--json', 'ingest', bad, '--config', config]);
    const details = (json(j).error as { details: { path: string }[] }).details;
    expect(details.length).toBeGreaterThanOrEqual(3);
    expect(await ledgerSize(config)).toBe(76);
  });

  it('refuses bundles over limits.max_bundle_bytes and text that is not json', async () => {
    const { dir, config } = await node();
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(/max_bundle_bytes: \d+/, 'max_bundle_bytes: 100'),
    );
    const big = await cli(['ingest', APT1, '--config', config]);
    expect(big.code).toBe(3);
    expect(big.stderr).toContain('ERR_INPUT_TOO_LARGE');
    const notJson = join(dir, 'x.json');
    writeFileSync(notJson, '{');
    expect((await cli(['ingest', notJson, '--config', config])).code).toBe(3);
    expect(await ledgerSize(config)).toBe(0);
  });

  it('says how to create a node when there is none', async () => {
    const r = await cli(['ingest', APT1, '--config', '/nonexistent/node.yaml']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('concordat init');
  });

  it('draws a progress bar for a large bundle on a terminal stderr only', async () => {
    const { config } = await node();
    const chunks: string[] = [];
    const tty = { isTTY: true, columns: 100, write: (t: string) => chunks.push(t) > 0 };
    const { io, out } = captureIo();
    const large = JSON.stringify(icsSlice(400), null, 6);
    expect(large.length).toBeGreaterThan(1024 * 1024);
    const code = await run(['ingest', '-', '--config', config], {
      ...io,
      fs: { ...io.fs, readStdin: async () => large },
      progressStream: tty,
    });
    expect(code).toBe(0);
    expect(chunks.join('')).toContain('ingest');
    expect(out.join('')).not.toContain('ingest [');
  });
});
