/** `concordat shred --due`: the injected clock decides what is due; every shred is ledgered. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/index.js';
import { cli, json } from './harness.js';
import { DAY, NOW, bundle, indicator } from '../node/fixtures.js';

describe('concordat shred', () => {
  it('shreds nothing before the deadline, then every due key once the clock has passed it', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'concordat-shred-')), 'n');
    const config = join(dir, 'node.yaml');
    const clock = manualClock(NOW);
    expect((await cli(['init', '--dir', dir, '--party', 'ARV'], { clock })).code).toBe(0);
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace('retention: P365D', 'retention: P30D'),
    );
    const b = bundle([indicator(), indicator(), indicator()]);
    const ing = await cli(['ingest', '-', '--config', config], { clock, stdin: JSON.stringify(b) });
    expect(ing.code, ing.stderr).toBe(0);

    const early = await cli(['shred', '--due', '--config', config], { clock });
    expect(early.code).toBe(0);
    expect(early.stdout).toContain('nothing due at 2026-03-03T14:00:00.000Z; ledger size 3');

    clock.advance(31 * DAY);
    // --at in the past: nothing was due then.
    const past = await cli(['--json', 'shred', '--due', '--at', '2026-03-10', '--config', config], {
      clock,
    });
    expect(json(past)).toMatchObject({ keys: 0, objects: 0 });
    const r = await cli(['--json', 'shred', '--due', '--config', config], { clock });
    expect(r.code, r.stdout).toBe(0);
    const j = json(r) as {
      keys: number;
      objects: number;
      shredded: { producer: string }[];
      checkpoint: { size: number };
    };
    expect(j).toMatchObject({ keys: 1, objects: 3, checkpoint: { size: 4 } });
    expect(j.shredded[0]?.producer).toBe('ARV');

    const again = await cli(['shred', '--due', '--config', config], { clock });
    expect(again.stdout).toContain('nothing due');
    const v = json(await cli(['--json', 'ledger', 'verify', '--config', config], { clock }));
    expect(v).toMatchObject({ ok: true, size: 4, anchoredSize: 4 });
    const proof = json(
      await cli(['--json', 'ledger', 'prove', '3', '--config', config], { clock }),
    );
    expect(proof).toMatchObject({
      entry: { kind: 'shred', body: { objectCount: 3, producer: 'ARV' } },
    });
  });

  it('needs --due, and refuses --at in the future', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'concordat-shred-')), 'n');
    const config = join(dir, 'node.yaml');
    expect((await cli(['init', '--dir', dir, '--party', 'ARV'])).code).toBe(0);
    const noDue = await cli(['shred', '--config', config]);
    expect(noDue.code).toBe(2);
    expect(noDue.stderr).toContain('--due');
    const future = await cli(['shred', '--due', '--at', '2027-01-01', '--config', config]);
    expect(future.code).toBe(2);
    expect(future.stderr).toContain('is in the future');
  });
});
