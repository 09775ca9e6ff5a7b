/**
 * `concordat pull` and `concordat reconcile` in process, over mutual TLS between nodes whose
 * configs name each other as peers: JSON output, progress, and exit 1 when not reconciled.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/index.js';
import { cli, json } from '../cli/harness.js';
import { AGREEMENT, NOW, indicator, makeNodes, publish } from './harness.js';
import type { FedNode } from './harness.js';

let running: FedNode[] = [];
afterEach(async () => {
  for (const n of running) await n.stop();
  running = [];
});

/** Points `n`'s peer entry for `peer` at the peer's running federation listener. */
function aim(n: FedNode, peer: FedNode): void {
  const yaml = readFileSync(n.configPath, 'utf8').replace(
    new RegExp(`(- party: ${peer.party}\\n\\s+url: )https://127\\.0\\.0\\.1:1/taxii2/`),
    `$1${peer.servers?.urls.federation ?? ''}/taxii2/`,
  );
  writeFileSync(n.configPath, yaml);
}

describe('concordat pull and reconcile', () => {
  it('pulls with progress, reconciles, and exits 1 on an unreceipted release', async () => {
    const clock = manualClock(NOW);
    const nodes = await makeNodes(['ARV', 'CAL'], clock, {}, true);
    running = Object.values(nodes);
    const arv = nodes.ARV as FedNode;
    const cal = nodes.CAL as FedNode;
    aim(cal, arv);
    aim(arv, cal);
    await publish(
      arv,
      Array.from({ length: 9 }, () => indicator()),
    );

    const human = await cli(
      ['pull', '--peer', 'ARV', '--page-size', '4', '--config', cal.configPath],
      { clock },
    );
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(
      /ARV {2}northsea-cti-compact\/incident-response {2}3 pages, 9 objects \(9 new/,
    );
    expect(human.stderr).toContain('page 3, 9 objects');

    const again = await cli(['--json', 'pull', '--config', cal.configPath], { clock });
    expect(again.code, again.stderr).toBe(0);
    const pulled = json(again).pulled as { collections: { received: number }[] }[];
    expect(pulled[0]?.collections.reduce((n, c) => n + c.received, 0)).toBe(0);

    const ok = await cli(['--json', 'reconcile', '--peer', 'CAL', '--config', arv.configPath], {
      clock,
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect(json(ok)).toMatchObject({ reconciled: true, released: 9, received: 9 });

    // CAL-CSIRT reads over the analyst API with a token: released, never receipted.
    await publish(arv, [indicator()]);
    const token = await arv.token('CAL-CSIRT', ['read']);
    const res = await fetch(
      `${arv.base}/taxii2/${AGREEMENT}/collections/incident-response/objects/`,
      {
        headers: { authorization: `Bearer ${token}`, accept: 'application/taxii+json;version=2.1' },
      },
    );
    expect(res.status).toBe(200);
    const bad = await cli(['reconcile', '--peer', 'CAL', '--config', arv.configPath], { clock });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('NOT reconciled with CAL');
    expect(bad.stdout).toContain('missing (released, no proven receipt): 1');

    const unknown = await cli(['pull', '--peer', 'XYZ', '--config', cal.configPath], { clock });
    expect(unknown.code).toBe(2);
    expect((await cli(['reconcile', '--config', arv.configPath], { clock })).code).toBe(2);
  });
});
