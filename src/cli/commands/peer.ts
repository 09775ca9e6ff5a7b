/**
 * `concordat peer add --party P --url URL --ca FILE --agency A [--pin HEX] [--pull-every D]`:
 * adds a partner node to `federation.peers` (docs/federation.md). The partner's CA file is
 * copied to `<config dir>/peers/<PARTY>-ca.crt`; the YAML config is edited through the `yaml`
 * Document API, so comments and layout survive. Everything is checked before anything is
 * written: the CA parses, the new config loads, the peer's party and agency are in the node's
 * agreements (the node is opened to know them).
 */
import { readFile, rename, stat, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { Command } from 'commander';
import { isMap, isSeq, parseDocument } from 'yaml';
import { ConcordatError } from '../../core/index.js';
import {
  configError,
  DEFAULT_FEDERATION_LISTEN,
  federationPeerIssues,
  parseNodeConfig,
} from '../../node/index.js';
import type { Node } from '../../node/index.js';
import { certificateFingerprint, pemCertificates, toX509 } from '../../tls/index.js';
import { action, type RunState } from '../context.js';
import type { CliIo } from '../io.js';
import { addConfigOption, configPath, withNode } from '../node-open.js';

interface PeerAddOptions {
  party: string;
  url: string;
  ca: string;
  agency: string;
  pin?: string;
  pullEvery?: string;
  config?: string;
}

/** The CA file's certificate, or `ERR_TLS_MATERIAL_INVALID`. */
async function readCa(
  path: string,
): Promise<{ pem: string; fingerprint: string; subject: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ConcordatError('ERR_INPUT_UNREADABLE', `cannot read \`--ca\` file \`${path}\``, {
      cause,
      details: { path },
    });
  }
  const [first] = pemCertificates(text);
  try {
    if (first === undefined) throw new Error('no certificate');
    const cert = toX509(first);
    if (!cert.ca)
      throw new ConcordatError(
        'ERR_TLS_MATERIAL_INVALID',
        `\`--ca\` file \`${path}\` holds a certificate that is not a ca (basicConstraints ca:false); ask the partner for its tls/ca.crt`,
      );
    return { pem: text, fingerprint: certificateFingerprint(cert), subject: cert.subject };
  } catch (cause) {
    if (cause instanceof ConcordatError) throw cause;
    throw new ConcordatError(
      'ERR_TLS_MATERIAL_INVALID',
      `\`--ca\` file \`${path}\` holds no pem certificate`,
      { cause, details: { path } },
    );
  }
}

/** The config text with the peer appended to `federation.peers`, comments kept. */
function withPeer(text: string, entry: Record<string, string>): string {
  const doc = parseDocument(text);
  if (!doc.has('federation'))
    doc.set('federation', doc.createNode({ listen: { ...DEFAULT_FEDERATION_LISTEN }, peers: [] }));
  const peers = doc.getIn(['federation', 'peers']);
  if (!isSeq(peers)) doc.setIn(['federation', 'peers'], doc.createNode([]));
  const seq = doc.getIn(['federation', 'peers']);
  if (isSeq(seq)) {
    seq.flow = false; // `peers: []` as init writes it becomes a block list
    seq.items.push(doc.createNode(entry));
  }
  const fed = doc.get('federation');
  if (isMap(fed)) fed.flow = false;
  return doc.toString();
}

/** Writes `text` to `path` atomically, keeping the file's mode. */
async function replaceFile(path: string, text: string): Promise<void> {
  const mode = (await stat(path)).mode & 0o777;
  const tmp = `${path}.peer-add.tmp`;
  await writeFile(tmp, text, { mode, flag: 'w' });
  await rename(tmp, path);
}

async function peerAdd(
  io: CliIo,
  node: Node,
  opts: PeerAddOptions,
): Promise<Record<string, unknown>> {
  const file = configPath(io, opts.config);
  const config = node.config;
  if (config.tls === undefined)
    throw new ConcordatError(
      'ERR_USAGE',
      'this node has no `tls` identity; peers authenticate by certificate, so add `tls` first (docs/federation.md)',
    );
  if ((config.federation?.peers ?? []).some((p) => p.party === opts.party))
    throw new ConcordatError(
      'ERR_USAGE',
      `party \`${opts.party.slice(0, 64)}\` is already a peer; edit or remove its entry in \`${file}\` first`,
    );
  const ca = await readCa(opts.ca);
  const caFile = join(dirname(file), 'peers', `${opts.party}-ca.crt`);
  const entry: Record<string, string> = {
    party: opts.party,
    url: opts.url,
    ca: relative(dirname(file), caFile),
    ...(opts.pin === undefined ? {} : { pin: opts.pin.toLowerCase().replaceAll(':', '') }),
    agency: opts.agency,
    ...(opts.pullEvery === undefined ? {} : { pull_every: opts.pullEvery }),
  };
  const text = withPeer(await readFile(file, 'utf8'), entry);
  // The edited config must load, and the peer must fit the agreements, before a byte is written.
  const next = parseNodeConfig(text, file);
  const issues = federationPeerIssues(
    next,
    [...node.agreements.values()].map((a) => a.agreement),
  );
  if (issues.length > 0) throw configError(file, issues);
  await mkdir(dirname(caFile), { recursive: true, mode: 0o700 });
  const existing = await readFile(caFile, 'utf8').catch(() => undefined);
  if (existing !== undefined && existing !== ca.pem)
    throw new ConcordatError(
      'ERR_USAGE',
      `\`${caFile}\` already exists with another certificate; remove it first if the partner's ca changed`,
    );
  if (existing === undefined) await writeFile(caFile, ca.pem, { mode: 0o644, flag: 'wx' });
  await replaceFile(file, text);
  const peer = next.federation?.peers.find((p) => p.party === opts.party);
  return {
    config: file,
    party: opts.party,
    url: opts.url,
    ca: caFile,
    caFingerprint: ca.fingerprint,
    caSubject: ca.subject,
    pin: peer?.pin ?? null,
    agency: opts.agency,
    pullEvery: opts.pullEvery ?? 'PT60S',
  };
}

/** Registers `concordat peer add`. */
export function registerPeerCommands(program: Command, io: CliIo, state: RunState): void {
  const peer = program
    .command('peer')
    .description('partner nodes this node federates with (mutual tls)')
    .helpCommand(false);
  addConfigOption(
    peer
      .command('add')
      .description('add a partner node to federation.peers, trusting its ca file')
      .requiredOption('--party <party>', 'the partner’s party id (a party of the agreements)')
      .requiredOption('--url <url>', 'the partner’s federation discovery url, https://…/taxii2/')
      .requiredOption('--ca <file>', 'the partner’s ca certificate (its tls/ca.crt)')
      .requiredOption('--agency <agency>', 'the partner’s agency its pulls are decided for')
      .option(
        '--pin <sha256>',
        'pin the partner’s node certificate (64 hex digits, from its `concordat tls show`)',
      )
      .option('--pull-every <duration>', 'how often to pull from it, ISO 8601 (default PT60S)'),
  )
    .addHelpText(
      'after',
      `
The partner runs \`concordat tls show\` and sends you its CA file, its federation url and (to pin)
its certificate fingerprint. The CA is copied to peers/<PARTY>-ca.crt beside the config, and
the config keeps its comments. Restart \`concordat serve\` to apply.

Example:
  $ concordat peer add --party BOR --url https://bor.example:9443/taxii2/ \\
        --ca bor-ca.crt --agency BOR-CERT --pin 3f1c…e9
  added peer BOR (agency BOR-CERT): https://bor.example:9443/taxii2/`,
    )
    .action(
      action(io, state, async (ctx, opts: PeerAddOptions) => {
        const r = await withNode(ctx.io, opts.config, (node) => peerAdd(ctx.io, node, opts));
        if (ctx.json) {
          ctx.emitJson(r);
          return;
        }
        ctx.line(`added peer ${String(r.party)} (agency ${String(r.agency)}): ${String(r.url)}`);
        ctx.line(`  trusting ca ${String(r.caSubject).replaceAll('\n', ', ')}`);
        ctx.line(`  ca sha-256 ${String(r.caFingerprint)} — compare it with the partner by phone`);
        ctx.line(`  copied to ${String(r.ca)}`);
        if (r.pin !== null) ctx.line(`  pinned node certificate ${String(r.pin)}`);
        ctx.line('restart `concordat serve` to apply');
      }),
    );
}
