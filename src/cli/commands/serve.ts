/**
 * `concordat serve [--config] [--host] [--port] [--https] [--federation-host]
 * [--federation-port] [--no-federation]`: runs the node's listeners until SIGINT or SIGTERM,
 * through `startNodeServers` (src/node/serve-node.ts) over the context the composition root
 * builds (`nodeServerContext`):
 * - the analyst API (`listen`): bearer tokens; plain http on loopback only, or https with the
 *   node certificate (`listen.https` or `--https`, needs `tls`), then on any address;
 * - the federation listener (`federation.listen`, once a peer is configured): TAXII 2.1 for
 *   partner nodes over mutual TLS only, principals from peer certificates (docs/federation.md);
 * and, unless `--no-pull`, the pull schedule from every peer (src/federation).
 */
import type { Command } from 'commander';
import { ConcordatError } from '../../core/index.js';
import { startNodeServers } from '../../node/index.js';
import type { ListenAddress, Node } from '../../node/index.js';
import { action, type RunState } from '../context.js';
import type { CliIo } from '../io.js';
import { processLifecycle } from '../node-io.js';
import { addConfigOption, withNode } from '../node-open.js';

interface ServeOptions {
  host?: string;
  port?: string;
  https?: boolean;
  federationHost?: string;
  federationPort?: string;
  federation?: boolean;
  /** commander's `--no-pull`: false when given. */
  pull?: boolean;
  config?: string;
}

function parsePort(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 65535)
    throw new ConcordatError(
      'ERR_USAGE',
      `\`${flag}\` takes 0–65535; got \`${text.slice(0, 16)}\``,
    );
  return Number(text);
}

/** The federation listener the options ask for: `false` none, `undefined` the config's choice. */
function federationAt(node: Node, opts: ServeOptions): ListenAddress | false | undefined {
  if (opts.federation === false) return false;
  const port = parsePort('--federation-port', opts.federationPort);
  if (port === undefined && opts.federationHost === undefined) return undefined;
  const fed = node.config.federation;
  if (fed === undefined)
    throw new ConcordatError(
      'ERR_USAGE',
      '`--federation-host` / `--federation-port` need `federation` and `tls` in the node config (docs/federation.md)',
    );
  return { host: opts.federationHost ?? fed.listen.host, port: port ?? fed.listen.port };
}

/** Registers `concordat serve`. */
export function registerServe(program: Command, io: CliIo, state: RunState): void {
  addConfigOption(
    program
      .command('serve')
      .description("serve the node's TAXII 2.1 API (analysts) and federation listener (peers)")
      .option('--host <host>', 'analyst api address (default: config `listen.host`)')
      .option(
        '--port <port>',
        'analyst api port (default: config `listen.port`; 0 picks a free one)',
      )
      .option('--https', 'serve the analyst api over https with the node certificate (needs `tls`)')
      .option('--federation-host <host>', 'federation address (default: `federation.listen.host`)')
      .option('--federation-port <port>', 'federation port (default: `federation.listen.port`)')
      .option('--no-federation', 'do not start the federation listener')
      .option('--no-pull', 'do not pull from the peers on their `pull_every` schedule'),
  )
    .addHelpText(
      'after',
      `
The analyst api takes bearer tokens from \`concordat token issue\`: plain http on loopback
only, or https on any address with --https (or \`listen.https: true\`) and the node's \`tls\`.
The federation listener (mutual TLS only, TLS 1.2+) starts once \`federation.peers\` names a
peer (\`concordat peer add\`): a peer is identified by its certificate alone, and a refused
certificate gets no HTTP answer (docs/federation.md). Unless --no-pull, the node also pulls
from every peer on its \`pull_every\` schedule, over mutual TLS.

Example:
  $ concordat serve --port 8443
  serving concordat.arv.node on http://127.0.0.1:8443
  discovery: http://127.0.0.1:8443/taxii2/
  federation: https://127.0.0.1:9443/taxii2/
  $ concordat token issue --agency BOR-CERT --scope read
  $ curl -H 'Accept: application/taxii+json;version=2.1' \\
         -H 'Authorization: Bearer cct_…' http://127.0.0.1:8443/taxii2/`,
    )
    .action(
      action(io, state, async (ctx, opts: ServeOptions) => {
        const port = parsePort('--port', opts.port);
        await withNode(ctx.io, opts.config, async (node) => {
          const listen = node.config.listen;
          const federation = federationAt(node, opts);
          // Subscribed before listening, so a signal during start-up is not lost.
          let unsubscribe = (): void => undefined;
          const stopped = new Promise<string>((resolve) => {
            unsubscribe = (ctx.io.lifecycle ?? processLifecycle).onShutdown(resolve);
          });
          let servers;
          try {
            servers = await startNodeServers(node, {
              analyst: {
                host: opts.host ?? listen.host,
                port: port ?? listen.port,
                https: opts.https === true || listen.https === true,
              },
              ...(federation === undefined ? {} : { federation }),
              // Incident signals and intel quality from ingested metadata, once a minute.
              automaticInputs: true,
              onAutomaticError: (agreement, error) => {
                if (!ctx.json)
                  ctx.io.stderr(
                    `automatic escalation inputs for ${agreement} failed: ${error instanceof Error ? error.message : String(error)}\n`,
                  );
              },
              // The schedule pulls from every peer (src/federation); `--json` stays one document.
              ...(opts.pull === false
                ? {}
                : {
                    pull: {
                      onReport: (r) => {
                        const got = r.collections.reduce((n, c) => n + c.inserted, 0);
                        if (!ctx.json && (got > 0 || r.revoked > 0 || r.withdrawn > 0))
                          ctx.line(
                            `pulled from ${r.peer}: ${got} new, ${r.revoked} revoked, ${r.withdrawn} withdrawn`,
                          );
                      },
                      onError: (peer, error) => {
                        if (!ctx.json)
                          ctx.io.stderr(
                            `pull from ${peer} failed: ${error instanceof Error ? error.message : String(error)}\n`,
                          );
                      },
                    },
                  }),
            });
          } catch (err) {
            unsubscribe();
            throw err;
          }
          const { urls } = servers;
          const analyst = urls.analyst ?? '';
          const peers = node.config.federation?.peers ?? [];
          if (ctx.json)
            ctx.emitJson({
              origin: node.config.origin,
              url: analyst,
              discovery: `${analyst}/taxii2/`,
              apiRoots: [...node.agreements.keys()].map((id) => `${analyst}/taxii2/${id}/`),
              federation:
                urls.federation === undefined
                  ? null
                  : {
                      url: urls.federation,
                      discovery: `${urls.federation}/taxii2/`,
                      peers: peers.map((p) => ({ party: p.party, agency: p.agency })),
                      fingerprint: servers.tls?.identity.fingerprint ?? null,
                    },
              decisionState: servers.server.stateSource,
              tokens: await servers.server.auth.list().then((l) => l.length),
            });
          else {
            const { style } = ctx;
            ctx.line(`serving ${node.config.origin} on ${analyst}`);
            ctx.line(`discovery: ${analyst}/taxii2/`);
            for (const id of node.agreements.keys())
              ctx.line(`api root:  ${analyst}/taxii2/${id}/`);
            ctx.line(
              style.dim(
                analyst.startsWith('https:')
                  ? 'analyst api over https with the node certificate; bearer tokens'
                  : 'analyst api: plain http on loopback (--https with the node certificate to go beyond); bearer tokens',
              ),
            );
            if (urls.federation !== undefined) {
              ctx.line(`federation: ${urls.federation}/taxii2/`);
              ctx.line(
                style.dim(
                  `  mutual tls only; peers: ${peers.map((p) => `${p.party} as ${p.agency}`).join(', ')}; partners pin sha-256 ${servers.tls?.identity.fingerprint ?? ''}`,
                ),
              );
            } else if (node.config.federation !== undefined && opts.federation !== false)
              ctx.line(
                style.dim('federation: not started, no peers yet (concordat peer add --help)'),
              );
            ctx.line(
              `get a token: concordat token issue --agency AGENCY --scope read${opts.config === undefined ? '' : ` --config ${opts.config}`}`,
            );
            ctx.line('stop with ctrl-c (SIGINT) or SIGTERM');
          }
          const signal = await stopped;
          await servers.close();
          if (!ctx.json) ctx.line(`stopped on ${signal}`);
        });
      }),
    );
}
