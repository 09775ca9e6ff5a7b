/**
 * `concordat token issue|list|revoke`: API tokens for agencies (docs/taxii.md "Who is
 * asking"), for an oversight body (`--scope oversight`, docs/rest.md "Oversight") and for the
 * node's own designated officials (`--official`, the REST escalation
 * endpoints: docs/escalation-api.md). A token is printed once, at issue; the node keeps only
 * its SHA-256. Revocation takes effect at a running server's next request (it reads the
 * token's row every time).
 */
import type { Command } from 'commander';
import { addDuration, ConcordatError, parseDuration } from '../../core/index.js';
import { storeAuthStore, TOKEN_SCOPES } from '../../node/index.js';
import type { Node, TokenInfo } from '../../node/index.js';
import type { Scope } from '../../server/index.js';
import { action, type RunState } from '../context.js';
import type { CliIo } from '../io.js';
import { addConfigOption, withNode } from '../node-open.js';

const iso = (ms: number | undefined): string | null =>
  ms === undefined ? null : new Date(ms).toISOString();

function parseScopes(text: string): Scope[] {
  const parts = text.split(',').map((s) => s.trim());
  for (const p of parts)
    if (!(TOKEN_SCOPES as readonly string[]).includes(p))
      throw new ConcordatError(
        'ERR_USAGE',
        `\`--scope\` takes a comma-separated list of \`read\`, \`write\`, \`admin\`, or \`oversight\` alone; got \`${p.slice(0, 32)}\``,
      );
  return parts as Scope[];
}

function tokenJson(t: TokenInfo): Record<string, unknown> {
  return {
    id: t.id,
    agency: t.agency,
    official: t.official ?? null,
    scopes: t.scopes,
    createdAt: iso(t.createdAt),
    expiresAt: iso(t.expiresAt),
    revokedAt: iso(t.revokedAt),
  };
}

/**
 * `ERR_USAGE` unless some agreement of the node names `official` as an official of the node's
 * own party: officials of other parties act through signed approvals, never a token here.
 */
function assertOwnOfficial(node: Node, official: string): void {
  const named = [...node.agreements.values()].flatMap((a) =>
    a.agreement.officials.filter((o) => o.id === official),
  );
  if (named.length === 0)
    throw new ConcordatError(
      'ERR_USAGE',
      `no agreement of this node names an official \`${official.slice(0, 64)}\``,
    );
  if (!named.some((o) => o.party === node.config.party))
    throw new ConcordatError(
      'ERR_USAGE',
      `official \`${official.slice(0, 64)}\` is not of this node's party \`${node.config.party}\`; officials of other parties submit signed approvals instead`,
    );
}

/** Registers `concordat token …`. */
export function registerTokenCommands(program: Command, io: CliIo, state: RunState): void {
  const token = program
    .command('token')
    .description('issue, list and revoke API tokens for agencies (TAXII bearer tokens)')
    .helpCommand(false);

  addConfigOption(
    token
      .command('issue')
      .description('issue a token for an agency or one of the node’s officials; it is shown once')
      .option(
        '--agency <agency>',
        'the agency the token speaks for (as in the agreement), or the oversight body’s name',
      )
      .option(
        '--official <official>',
        'a designated official of this node’s party (REST escalation endpoints; no agency scope)',
      )
      .option(
        '--scope <scopes>',
        'comma-separated: read, write, admin (node governance; keep it with the operator); or oversight alone (the oversight body: indicators, transparency report, ledger proofs)',
        'read',
      )
      .option(
        '--expires <duration>',
        'ISO 8601 duration until it expires, e.g. P30D (default: never)',
      ),
  )
    .addHelpText(
      'after',
      `
The token is printed once and never again: the node stores only its SHA-256. Send it as
  Authorization: Bearer <token>

An official's token (\`--official\`) carries no scope: TAXII and the agency routes refuse it.
The escalation endpoints read the official's party and roles from the agreement at each
request, so an official the agreement no longer names is refused (403).

An oversight token (\`--scope oversight\`, alone) is for an independent oversight body: it
reads the compliance indicators and the transparency report (/api/v1/oversight/…) and the
ledger's checkpoints and proofs (/api/v1/ledger/…), and every other route refuses it (403):
no TAXII, bundles, decisions, agreements, escalation or federation — no intel.

Example:
  $ concordat token issue --agency BOR-CERT --scope read --expires P30D
  cct_…
  id 3f0c…  agency BOR-CERT  scopes read  expires 2026-04-02T14:00:00.000Z
  $ concordat token issue --official ARV-LIAISON --expires P7D
  $ concordat token issue --agency NL-OVERSIGHT --scope oversight --expires P90D`,
    )
    .action(
      action(
        io,
        state,
        async (
          ctx,
          opts: {
            agency?: string;
            official?: string;
            scope: string;
            expires?: string;
            config?: string;
          },
        ) => {
          if ((opts.agency === undefined) === (opts.official === undefined))
            throw new ConcordatError(
              'ERR_USAGE',
              'name exactly one of `--agency AGENCY` or `--official OFFICIAL`',
            );
          const scopes = parseScopes(opts.scope);
          const duration = opts.expires === undefined ? undefined : parseDuration(opts.expires);
          if (opts.expires !== undefined && duration === undefined)
            throw new ConcordatError(
              'ERR_DURATION_INVALID',
              `\`--expires\` \`${opts.expires.slice(0, 32)}\` is not an iso 8601 duration (e.g. P30D)`,
            );
          const official = opts.official;
          const issued = await withNode(ctx.io, opts.config, (node) => {
            const store = storeAuthStore(node.db, node.clock);
            const expires =
              duration === undefined ? {} : { expiresAt: addDuration(node.clock.now(), duration) };
            if (official === undefined)
              return store.issue({ agency: opts.agency ?? '', scopes, ...expires });
            assertOwnOfficial(node, official);
            return store.issueOfficial({ official, ...expires });
          });
          if (ctx.json) {
            ctx.emitJson({ token: issued.token, ...tokenJson(issued.info) });
            return;
          }
          ctx.line(issued.token);
          ctx.line(
            issued.info.official === undefined
              ? `id ${issued.info.id}  agency ${issued.info.agency}  scopes ${issued.info.scopes.join(',')}  expires ${iso(issued.info.expiresAt) ?? 'never'}`
              : `id ${issued.info.id}  official ${issued.info.official}  expires ${iso(issued.info.expiresAt) ?? 'never'}`,
          );
          ctx.line(ctx.style.dim('shown once: the node keeps only its sha-256'));
        },
      ),
    );

  addConfigOption(token.command('list').description('list tokens (never their text)')).action(
    action(io, state, async (ctx, opts: { config?: string }) => {
      const now = ctx.io.clock.now();
      const list = await withNode(ctx.io, opts.config, (node) =>
        storeAuthStore(node.db, node.clock).list(),
      );
      const status = (t: TokenInfo): string =>
        t.revokedAt !== undefined
          ? 'revoked'
          : t.expiresAt !== undefined && t.expiresAt <= now
            ? 'expired'
            : 'live';
      if (ctx.json) {
        ctx.emitJson({ tokens: list.map((t) => ({ ...tokenJson(t), status: status(t) })) });
        return;
      }
      if (list.length === 0) {
        ctx.line('no tokens; issue one with `concordat token issue --agency AGENCY`');
        return;
      }
      for (const t of list)
        ctx.line(
          `${t.id}  ${t.agency.padEnd(12)}  ${t.scopes.join(',').padEnd(10)}  ${status(t).padEnd(7)}  created ${iso(t.createdAt)}  expires ${iso(t.expiresAt) ?? 'never'}`,
        );
    }),
  );

  addConfigOption(
    token.command('revoke').description('revoke a token by id').argument('<id>', 'the token id'),
  ).action(
    action(io, state, async (ctx, id: string, opts: { config?: string }) => {
      const revoked = await withNode(ctx.io, opts.config, (node) =>
        storeAuthStore(node.db, node.clock).revoke(id),
      );
      if (ctx.json) {
        ctx.emitJson({ id, revoked, alreadyRevoked: !revoked });
        return;
      }
      ctx.line(revoked ? `revoked ${id}` : `${id} was already revoked`);
    }),
  );
}
