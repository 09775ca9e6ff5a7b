/**
 * `concordat oversight witness`: the oversight body witnesses a node's ledger over its REST
 * API (`oversight/witness.ts`). Each run fetches the node's latest signed checkpoint and the
 * consistency proof from the head it witnessed last, accepts and cosigns a ledger that only
 * grew, and refuses — with both signed checkpoints as evidence — a node that showed another
 * history. `--seen` checks checkpoints partners received against the witnessed history. The
 * cosigned checkpoint is handed back to the node (`--publish`, default), which keeps and serves
 * it when its config lists the witness.
 */
import type { Command } from 'commander';
import { loadPrivateKey } from '../../agreement/index.js';
import { ConcordatError } from '../../core/index.js';
import { nodeTransport } from '../../federation/index.js';
import { parseNoteVerifierKey } from '../../ledger/index.js';
import type { NoteVerifier } from '../../ledger/index.js';
import { checkSeen, witnessCheckpoint } from '../../oversight/index.js';
import type { WitnessRefusal, WitnessedHead } from '../../oversight/index.js';
import { CliError } from '../cli-error.js';
import { action, type CommandContext, type RunState } from '../context.js';
import { readInput } from '../input.js';
import type { CliIo } from '../io.js';
import { TOKEN_ENV, witnessClient } from './oversight-witness-client.js';

interface WitnessOptions {
  readonly url: string;
  readonly nodeKey: string;
  readonly name: string;
  readonly key: string;
  readonly state?: string;
  readonly ca?: string;
  readonly seen?: readonly string[];
  readonly publish: boolean;
}

/** What the state file holds: the witnessed head and its cosigned note. */
interface WitnessState {
  readonly head: WitnessedHead;
  readonly cosigned: string;
}

function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function splitView(r: { readonly ok: false } & WitnessRefusal): ConcordatError {
  return new ConcordatError(
    r.kind === 'bad-checkpoint' ? 'ERR_CHECKPOINT_INVALID' : 'ERR_LEDGER_SPLIT_VIEW',
    r.message,
    {
      details:
        r.kind === 'bad-checkpoint' ? { kind: r.kind } : { kind: r.kind, evidence: r.evidence },
    },
  );
}

async function loadState(
  ctx: CommandContext,
  path: string,
  origin: string,
): Promise<WitnessState | undefined> {
  if ((await ctx.io.fs.kind(path)) === undefined) return undefined;
  let state: WitnessState;
  try {
    state = JSON.parse(await readInput(ctx.io, path)) as WitnessState;
  } catch (cause) {
    throw new CliError('ERR_INPUT_SYNTAX', `the witness state \`${path}\` is not json`, { cause });
  }
  if (state.head?.origin !== origin)
    throw new CliError(
      'ERR_USAGE',
      `the witness state \`${path}\` is for \`${String(state.head?.origin)}\`, not \`${origin}\``,
      { hint: 'give each node its own --state file' },
    );
  return state;
}

async function witness(ctx: CommandContext, opts: WitnessOptions) {
  const token = ctx.io.env[TOKEN_ENV];
  if (token === undefined || token === '')
    throw new CliError('ERR_USAGE', `set ${TOKEN_ENV} to the oversight token the node issued`, {
      hint: 'on the node: concordat token issue --agency <BODY> --scope oversight',
    });
  const node: NoteVerifier = parseNoteVerifierKey(opts.nodeKey);
  const signer = {
    name: opts.name,
    privateKey: loadPrivateKey(await readInput(ctx.io, opts.key), 'witness key'),
  };
  const client = witnessClient(
    nodeTransport(opts.ca === undefined ? {} : { tls: { ca: await readInput(ctx.io, opts.ca) } }),
    opts.url,
    token,
  );
  const statePath = opts.state ?? `witness-${node.name}.json`;
  const previous = await loadState(ctx, statePath, node.name);
  const latest = await client.getJson('api/v1/ledger/checkpoint');
  const presented = latest['note'];
  const size = latest['size'];
  if (typeof presented !== 'string' || typeof size !== 'number')
    throw new CliError(
      'ERR_FEDERATION_PROTOCOL',
      'the node’s checkpoint answer has no `note` and `size`',
    );
  const proof =
    previous === undefined || size < previous.head.size
      ? []
      : await client.consistency(previous.head.size, size);
  const verdict = witnessCheckpoint({
    ...(previous === undefined ? {} : { previous: previous.head }),
    presented,
    proof,
    node,
    origin: node.name,
    witness: signer,
    now: ctx.io.clock.now(),
  });
  if (!verdict.ok) throw splitView(verdict);
  const checked: { file: string; size: number }[] = [];
  for (const file of opts.seen ?? []) {
    const seen = await readInput(ctx.io, file);
    const seenSize = Number(seen.split('\n')[1]);
    const [lo, hi] =
      seenSize <= verdict.head.size ? [seenSize, verdict.head.size] : [verdict.head.size, seenSize];
    const p = Number.isSafeInteger(seenSize) ? await client.consistency(lo, hi) : [];
    const r = checkSeen(verdict.head, seen, p, node);
    if (!r.ok) throw splitView(r);
    checked.push({ file, size: r.size });
  }
  const state: WitnessState = { head: verdict.head, cosigned: verdict.cosigned };
  await ctx.io.fs.writeText(statePath, `${JSON.stringify(state, null, 2)}\n`);
  const refused = opts.publish ? await client.publish(verdict.cosigned) : 'not asked';
  if (opts.publish && refused !== undefined)
    ctx.io.stderr(`${ctx.style.yellow('warning')} the cosignature was not published: ${refused}\n`);
  const published = refused === undefined;
  return {
    state: statePath,
    origin: node.name,
    size: verdict.head.size,
    grew: verdict.grew,
    first: previous === undefined,
    cosigned: verdict.cosigned,
    published,
    seen: checked,
  };
}

/** Registers `oversight witness`. */
export function registerOversightWitness(parent: Command, io: CliIo, state: RunState): void {
  parent
    .command('witness')
    .description(
      "witness a node's ledger: accept and cosign only a ledger that grew; catch split views",
    )
    .requiredOption('--url <url>', "the node's API, e.g. https://arv.example:8443")
    .requiredOption(
      '--node-key <key>',
      "the node's checkpoint verifier key (from `concordat ledger head`, out of band)",
    )
    .requiredOption('--name <name>', 'the witness’s key name, e.g. oversight.example')
    .requiredOption(
      '--key <key.pem>',
      'the witness’s Ed25519 private key (PKCS#8 PEM; `concordat key generate`)',
    )
    .option('--state <file>', 'where the witnessed head is kept (default witness-<origin>.json)')
    .option('--ca <file>', 'the CA that issued the node’s TLS certificate (https)')
    .option(
      '--seen <checkpoint>',
      'a checkpoint a partner received, to check against the witnessed history (repeat)',
      collect,
    )
    .option('--no-publish', 'keep the cosigned checkpoint here; do not hand it to the node')
    .addHelpText(
      'after',
      `
The token comes from ${TOKEN_ENV} (a token with the \`oversight\` scope). Each run fetches
the node's latest signed checkpoint; after the first it also fetches the RFC 6962 consistency
proof from the head witnessed last. A ledger that only grew is accepted: the state file keeps
the new head and the checkpoint cosigned with the witness's key, which is handed back to the
node (POST /api/v1/ledger/cosignatures; --no-publish skips it): a node whose config lists the
witness serves it to partners. A node that refuses it is a warning, not a failure. A ledger that shrank, forked or was rewritten is refused with exit 1
(ERR_LEDGER_SPLIT_VIEW) and both checkpoints the node signed as evidence (--json shows them);
the state is left as it was.

Example:
  $ export ${TOKEN_ENV}=cct_…
  $ concordat oversight witness --url https://arv.example:8443 --ca arv-ca.crt \\
      --node-key 'concordat.arv.node+8a393bd0+AWgc…' --name oversight.example --key witness.key.pem
  witnessed concordat.arv.node at 1204 entries (+97), cosigned → witness-concordat.arv.node.json, published`,
    )
    .action(
      action(io, state, async (ctx, opts: WitnessOptions) => {
        const r = await witness(ctx, opts);
        if (ctx.json) {
          ctx.emitJson(r);
          return;
        }
        ctx.line(
          `${ctx.style.green('witnessed')} ${r.origin} at ${r.size} entries (${r.first ? 'first view' : `+${r.grew}`}), cosigned → ${r.state}, ${r.published ? 'published' : 'not published'}`,
        );
        for (const s of r.seen)
          ctx.line(`  ${s.file}: size ${s.size}, consistent with the witnessed history`);
      }),
    );
}
