/**
 * `concordat init [--dir DIR] --party P [--agreement FILE…] [--postgres URL] [--no-tls]
 * [--federation-port N]`: creates a node (keys, keyring, copies of the agreements, a development
 * CA and node certificate, `node.yaml` with `tls:` and `federation:`), opens it once to prove
 * the config works and signs its first (empty) checkpoint. Never overwrites a node.
 */
import type { Command } from 'commander';
import { isAbsolute, relative, resolve } from 'node:path';
import { ConcordatError, isConcordatError } from '../../core/index.js';
import { initNode, loadNodeConfig, openNode } from '../../node/index.js';
import type { InitNodeResult } from '../../node/index.js';
import { CliError } from '../cli-error.js';
import { action, type CommandContext, type RunState } from '../context.js';
import type { CliIo } from '../io.js';
import { DEFAULT_NODE_DIR } from '../node-open.js';

interface InitOptions {
  dir?: string;
  party: string;
  agreement?: string[];
  postgres?: string;
  /** commander's `--no-tls`: false when given. */
  tls?: boolean;
  federationPort?: string;
}

function shown(io: CliIo, path: string): string {
  const r = relative(io.cwd, path);
  return r === '' ? '.' : r.startsWith('..') || isAbsolute(r) ? path : r;
}

function parsePort(text: string): number {
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 65535)
    throw new ConcordatError(
      'ERR_USAGE',
      `\`--federation-port\` takes 0–65535; got \`${text.slice(0, 16)}\``,
    );
  return Number(text);
}

async function init(
  ctx: CommandContext,
  opts: InitOptions,
): Promise<InitNodeResult & { origin: string; verifierKey: string }> {
  const io = ctx.io;
  const dir = resolve(io.cwd, opts.dir ?? DEFAULT_NODE_DIR);
  let origin = '';
  let verifierKey = '';
  try {
    const result = await initNode({
      dir,
      party: opts.party,
      agreements: (opts.agreement ?? []).map((f) => resolve(io.cwd, f)),
      ...(opts.postgres === undefined ? {} : { postgresUrl: opts.postgres }),
      tls: opts.tls !== false,
      ...(opts.federationPort === undefined
        ? {}
        : { federationPort: parsePort(opts.federationPort) }),
      check: async (configPath) => {
        const node = await openNode(await loadNodeConfig(configPath), {
          clock: io.clock,
          env: io.env,
        });
        try {
          await node.ledger.checkpoint();
          origin = node.config.origin;
          verifierKey = node.ledger.verifierKey;
        } finally {
          await node.close();
        }
      },
    });
    return { ...result, origin, verifierKey };
  } catch (err) {
    if (isConcordatError(err, 'ERR_NODE_EXISTS'))
      throw new CliError('ERR_NODE_EXISTS', err.message, {
        details: err.details,
        hint: `nothing was changed. To start over, remove the old node yourself — this destroys its keys and ledger: rm -r ${shown(io, dir)}`,
      });
    throw err;
  }
}

/** Registers `concordat init`. */
export function registerInit(program: Command, io: CliIo, state: RunState): void {
  program
    .command('init')
    .description('create a node: signing key, keyring, agreements and a node.yaml that works')
    .requiredOption('--party <party>', 'the party this node serves (its id in the agreements)')
    .option('--dir <dir>', `directory to create (default ./${DEFAULT_NODE_DIR})`)
    .option('--agreement <file...>', 'agreement files to copy into the node')
    .option('--postgres <url>', 'store in this PostgreSQL database instead of SQLite')
    .option('--no-tls', 'create no development CA and certificate (no `tls:`, no `federation:`)')
    .option('--federation-port <port>', 'federation.listen.port to write (default 9443)')
    .addHelpText(
      'after',
      `
Keys and the keyring are written with mode 0600. An existing node is never overwritten
(exit 1, ERR_NODE_EXISTS). Unless --no-tls, a development CA (tls/ca.crt, tls/ca.key) and a
node certificate it issued for loopback use (tls/node.crt, tls/node.key) are created, and
the config gets \`tls:\` and \`federation:\` (no peers yet: \`concordat peer add\`).
Production operators bring their own certificates (docs/federation.md).

Example:
  $ concordat init --party ARV --agreement examples/agreements/northsea-compact.yaml
  created .concordat/node.yaml …
  next: concordat ingest bundle.json`,
    )
    .action(
      action(io, state, async (ctx, opts: InitOptions) => {
        const r = await init(ctx, opts);
        const cfgArg =
          resolve(io.cwd, DEFAULT_NODE_DIR, 'node.yaml') === r.config
            ? ''
            : ` --config ${shown(io, r.config)}`;
        if (ctx.json) {
          ctx.emitJson({
            dir: r.dir,
            config: r.config,
            signingKey: r.signingKey,
            keyFile: r.keyFile,
            keyring: r.keyring,
            agreements: r.agreements,
            tls: r.tls ?? null,
            origin: r.origin,
            verifierKey: r.verifierKey,
          });
          return;
        }
        const { style } = ctx;
        ctx.line(`${style.green('created')} node ${style.bold(r.origin)} in ${shown(io, r.dir)}`);
        ctx.line(
          `  ${shown(io, r.config)}  ${style.dim(r.configHoldsSecret ? 'config (mode 0600: it holds a database password)' : 'config')}`,
        );
        ctx.line(
          `  ${shown(io, r.signingKey)}  ${style.dim('checkpoint signing key (mode 0600)')}`,
        );
        ctx.line(
          `  ${shown(io, r.keyFile)}  ${style.dim('keyring key file (mode 0600) — back it up apart from the data')}`,
        );
        ctx.line(`  ${shown(io, r.keyring)}  ${style.dim('encrypted keyring (mode 0600)')}`);
        for (const a of r.agreements) ctx.line(`  ${shown(io, a)}  ${style.dim('agreement copy')}`);
        if (r.tls !== undefined) {
          ctx.line(
            `  ${shown(io, r.tls.ca)}  ${style.dim('development ca — give it to partners')}`,
          );
          ctx.line(`  ${shown(io, r.tls.caKey)}  ${style.dim('development ca key (mode 0600)')}`);
          ctx.line(`  ${shown(io, r.tls.cert)}  ${style.dim('node certificate (loopback)')}`);
          ctx.line(`  ${shown(io, r.tls.key)}  ${style.dim('node certificate key (mode 0600)')}`);
        }
        ctx.line();
        ctx.line(`checkpoint verifier key: ${r.verifierKey}`);
        ctx.line();
        ctx.line('next:');
        ctx.line(`  concordat ingest BUNDLE.json${cfgArg}`);
        ctx.line(`  concordat ledger verify${cfgArg}`);
        ctx.line(`  concordat ledger head${cfgArg}`);
        if (r.tls !== undefined) ctx.line(`  concordat tls show${cfgArg}`);
      }),
    );
}
