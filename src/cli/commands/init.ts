/**
 * `concordat init [--dir DIR] --party P [--agreement FILE…] [--postgres URL]`: creates a node
 * (keys, keyring, copies of the agreements, `node.yaml`), opens it once to prove the config
 * works and signs its first (empty) checkpoint. Never overwrites a node.
 */
import type { Command } from 'commander';
import { isAbsolute, relative, resolve } from 'node:path';
import { isConcordatError } from '../../core/index.js';
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
}

function shown(io: CliIo, path: string): string {
  const r = relative(io.cwd, path);
  return r === '' ? '.' : r.startsWith('..') || isAbsolute(r) ? path : r;
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
    .addHelpText(
      'after',
      `
Keys and the keyring are written with mode 0600. An existing node is never overwritten
(exit 1, ERR_NODE_EXISTS).

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
        ctx.line();
        ctx.line(`checkpoint verifier key: ${r.verifierKey}`);
        ctx.line();
        ctx.line('next:');
        ctx.line(`  concordat ingest BUNDLE.json${cfgArg}`);
        ctx.line(`  concordat ledger verify${cfgArg}`);
        ctx.line(`  concordat ledger head${cfgArg}`);
      }),
    );
}
