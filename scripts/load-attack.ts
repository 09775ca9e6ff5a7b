/**
 * Loads the MITRE ATT&CK STIX 2.1 bundles from ../shared/data into a running node through
 * plain TAXII 2.1 (POST envelopes to a collection), for manual trials with real clients.
 *
 *   node --import tsx scripts/load-attack.ts --url http://127.0.0.1:8443 \
 *     --token cct_... --root northsea-cti-compact [--collection incident-response] \
 *     [--bundle ics|mobile|all] [--data ../shared/data/mitre-attack-stix2.1] [--chunk 500]
 *
 * Start the node first (`concordat init …`, `concordat token issue --agency … --scope write`,
 * `concordat serve`). The producer of the objects is the token's agency's party. Each chunk is
 * ingested all-or-nothing by the node; the script stops at the first refused chunk and prints
 * the node's TAXII error body.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const TAXII = 'application/taxii+json;version=2.1';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8443' },
    token: { type: 'string' },
    root: { type: 'string' },
    collection: { type: 'string', default: 'incident-response' },
    bundle: { type: 'string', default: 'all' },
    data: { type: 'string', default: '../shared/data/mitre-attack-stix2.1' },
    chunk: { type: 'string', default: '500' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

function usage(message?: string): never {
  if (message !== undefined) process.stderr.write(`error: ${message}\n\n`);
  process.stderr.write(
    'usage: node --import tsx scripts/load-attack.ts --token TOKEN --root AGREEMENT_ID\n' +
      '         [--url URL] [--collection PURPOSE] [--bundle ics|mobile|all] [--data DIR] [--chunk N]\n',
  );
  process.exit(message === undefined ? 0 : 2);
}

if (values.help) usage();
if (values.token === undefined) usage('--token is required (concordat token issue --scope write)');
if (values.root === undefined)
  usage('--root is required (the agreement id, e.g. northsea-cti-compact)');
const chunkSize = Number(values.chunk);
if (!Number.isInteger(chunkSize) || chunkSize < 1) usage('--chunk must be a positive integer');

const dataDir = resolve(values.data);
const wanted = values.bundle;
const files = readdirSync(dataDir)
  .filter((f) => f.endsWith('.json'))
  .filter((f) => wanted === 'all' || f.toLowerCase().includes(wanted.toLowerCase()))
  .sort();
if (files.length === 0) usage(`no bundle matching \`${wanted}\` in \`${dataDir}\``);

const endpoint = `${values.url.replace(/\/$/, '')}/taxii2/${values.root}/collections/${values.collection}/objects/`;
const headers = {
  accept: TAXII,
  'content-type': TAXII,
  authorization: `Bearer ${values.token}`,
};

let total = 0;
for (const file of files) {
  const bundle = JSON.parse(readFileSync(join(dataDir, file), 'utf8')) as { objects?: unknown[] };
  const all = bundle.objects ?? [];
  // Objects name their marking definitions by reference; the node resolves references within
  // the envelope it receives, so every chunk carries the bundle's marking definitions (re-sent
  // versions are recognised and not stored twice).
  const isMarking = (o: unknown): boolean =>
    typeof o === 'object' && o !== null && (o as { type?: unknown }).type === 'marking-definition';
  const markings = all.filter(isMarking);
  const objects = all.filter((o) => !isMarking(o));
  process.stdout.write(`${file}: ${all.length} objects (${markings.length} marking definitions)\n`);
  for (let i = 0; i < objects.length; i += chunkSize) {
    const slice = objects.slice(i, i + chunkSize);
    const res = await fetch(endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify({ objects: [...markings, ...slice] }),
    });
    const body = await res.text();
    if (res.status !== 202) {
      const error = JSON.parse(body) as { title?: string; details?: unknown[] };
      const shown = (error.details ?? []).slice(0, 5).map((d) => `  ${JSON.stringify(d)}`);
      process.stderr.write(
        `refused at objects ${i}–${i + slice.length - 1}: HTTP ${res.status} ${error.title ?? ''}\n` +
          `${shown.join('\n')}\n`,
      );
      process.exit(1);
    }
    const status = JSON.parse(body) as { success_count?: number; pending_count?: number };
    total += slice.length;
    process.stdout.write(
      `  ${Math.min(i + chunkSize, objects.length)}/${objects.length} posted` +
        ` (status: ${status.success_count ?? 0} succeeded, ${status.pending_count ?? 0} pending)\n`,
    );
  }
}
process.stdout.write(`done: ${total} objects posted to ${endpoint}\n`);
