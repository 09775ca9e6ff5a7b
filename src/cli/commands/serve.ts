/**
 * `concordat serve [--config] [--host] [--port]`: runs the node's TAXII 2.1 server until
 * SIGINT or SIGTERM. The context comes from the composition root (`nodeServerContext`):
 * compiled engines, escalation state per agreement, store-backed tokens and withdrawals,
 * the config's limits. Plain HTTP, and therefore loopback only, until mutual TLS (issue 6):
 * bearer tokens must not cross a network in clear.
 */
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { ConcordatError } from '../../core/index.js';
import { nodeServerContext } from '../../node/index.js';
import { buildServer } from '../../server/index.js';
import { action, type RunState } from '../context.js';
import type { CliIo, Lifecycle } from '../io.js';
import { addConfigOption, withNode } from '../node-open.js';

/** The process's SIGINT and SIGTERM. */
const processLifecycle: Lifecycle = {
  onShutdown(handler) {
    const on = (signal: NodeJS.Signals): void => {
      off();
      handler(signal);
    };
    const off = (): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
    return off;
  },
};

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 65535)
    throw new ConcordatError('ERR_USAGE', `\`--port\` takes 0–65535; got \`${text.slice(0, 16)}\``);
  return Number(text);
}

function urlHost(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

/** Registers `concordat serve`. */
export function registerServe(program: Command, io: CliIo, state: RunState): void {
  addConfigOption(
    program
      .command('serve')
      .description("serve the node's TAXII 2.1 API until SIGINT or SIGTERM")
      .option('--host <host>', 'loopback address to listen on (default: config `listen.host`)')
      .option('--port <port>', 'port (default: config `listen.port`; 0 picks a free one)'),
  )
    .addHelpText(
      'after',
      `
Plain HTTP on loopback only, for now: mutual TLS comes with federation (issue 6). Readers
authenticate with a bearer token from \`concordat token issue\`.

Example:
  $ concordat serve --port 8443
  serving concordat.arv.node on http://127.0.0.1:8443
  discovery: http://127.0.0.1:8443/taxii2/
  $ concordat token issue --agency BOR-CERT --scope read
  $ curl -H 'Accept: application/taxii+json;version=2.1' \\
         -H 'Authorization: Bearer cct_…' http://127.0.0.1:8443/taxii2/`,
    )
    .action(
      action(io, state, async (ctx, opts: { host?: string; port?: string; config?: string }) => {
        const port = parsePort(opts.port);
        await withNode(ctx.io, opts.config, async (node) => {
          const host = opts.host ?? node.config.listen.host;
          if (!LOOPBACK.has(host))
            throw new ConcordatError(
              'ERR_USAGE',
              `\`${host.slice(0, 64)}\` is not a loopback address: the server speaks plain http until mutual tls (issue 6), and bearer tokens must not cross a network in clear`,
            );
          const built = await nodeServerContext(node);
          const app = buildServer(built.context);
          // Subscribed before listening, so a signal during start-up is not lost.
          let unsubscribe = (): void => undefined;
          const stopped = new Promise<string>((resolve) => {
            unsubscribe = (ctx.io.lifecycle ?? processLifecycle).onShutdown(resolve);
          });
          try {
            await app.listen({ host, port: port ?? node.config.listen.port });
          } catch (cause) {
            unsubscribe();
            await app.close();
            throw new ConcordatError(
              'ERR_USAGE',
              `cannot listen on ${host}:${port ?? node.config.listen.port}: ${(cause as { code?: string }).code ?? 'failed'}`,
              { cause },
            );
          }
          const address = app.server.address() as AddressInfo;
          const base = `http://${urlHost(address)}:${address.port}`;
          if (ctx.json)
            ctx.emitJson({
              origin: node.config.origin,
              url: base,
              discovery: `${base}/taxii2/`,
              apiRoots: [...node.agreements.keys()].map((id) => `${base}/taxii2/${id}/`),
              decisionState: built.stateSource,
              tokens: await built.auth.list().then((l) => l.length),
            });
          else {
            ctx.line(`serving ${node.config.origin} on ${base}`);
            ctx.line(`discovery: ${base}/taxii2/`);
            for (const id of node.agreements.keys()) ctx.line(`api root:  ${base}/taxii2/${id}/`);
            ctx.line(
              ctx.style.dim(
                'plain http on loopback (mutual tls: issue 6); decision state from each agreement’s escalation service',
              ),
            );
            ctx.line(
              `get a token: concordat token issue --agency AGENCY --scope read${opts.config === undefined ? '' : ` --config ${opts.config}`}`,
            );
            ctx.line('stop with ctrl-c (SIGINT) or SIGTERM');
          }
          const signal = await stopped;
          await app.close();
          if (!ctx.json) ctx.line(`stopped on ${signal}`);
        });
      }),
    );
}
