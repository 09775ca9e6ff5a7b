/**
 * `concordat ingest FILE|- [--producer P] [--collection C]`: one STIX 2.1 bundle into the
 * node, all or nothing — validated, sealed, stored and ledgered in one transaction, then a
 * signed checkpoint. A bad bundle lists every issue and writes nothing.
 */
import type { Command } from 'commander';
import { isConcordatError } from '../../core/index.js';
import type { ConcordatError } from '../../core/index.js';
import type { NodeIngestResult } from '../../node/index.js';
import { CliError } from '../cli-error.js';
import { action, type CommandContext, type RunState } from '../context.js';
import { displayName, readInput } from '../input.js';
import type { CliIo } from '../io.js';
import { addConfigOption, base64, withNode } from '../node-open.js';
import { formatTable } from '../style.js';

interface IngestOptions {
  config?: string;
  producer?: string;
  collection?: string;
}

/** Bundles from this size on get a progress bar (on a terminal). */
const LARGE_BUNDLE = 1024 * 1024;
/** …or this many objects. */
const LARGE_COUNT = 1000;

interface Located {
  readonly path?: string;
  readonly code?: string;
  readonly message?: string;
  readonly id?: string;
  readonly version?: string;
  readonly severity?: string;
}

/** Prints every issue of a rejected bundle to stderr, one per line. */
function printRejected(ctx: CommandContext, err: ConcordatError): void {
  if (!Array.isArray(err.details)) return;
  const { style } = ctx;
  const rows = (err.details as Located[]).map((d) => [
    d.path === undefined || d.path === '' ? '/' : d.path,
    d.severity === 'warning' ? style.yellow('warning') : style.red('error'),
    style.bold(d.code ?? err.code),
    d.message ?? (d.id === undefined ? '' : `\`${d.id}\` version \`${d.version ?? '?'}\``),
  ]);
  for (const line of formatTable(rows)) ctx.io.stderr(`${line}\n`);
  ctx.io.stderr(
    `rejected: nothing was written (${rows.length} issue${rows.length === 1 ? '' : 's'})\n`,
  );
}

async function ingest(
  ctx: CommandContext,
  file: string,
  opts: IngestOptions,
): Promise<NodeIngestResult> {
  return withNode(ctx.io, opts.config, async (node) => {
    const text = await readInput(ctx.io, file);
    const max = node.config.limits.maxBundleBytes;
    if (Buffer.byteLength(text, 'utf8') > max)
      throw new CliError(
        'ERR_INPUT_TOO_LARGE',
        `\`${displayName(file)}\` is larger than \`limits.max_bundle_bytes\` (${max} bytes)`,
        { hint: 'split the bundle, or raise `limits.max_bundle_bytes` in the node config' },
      );
    let bundle: unknown;
    try {
      bundle = JSON.parse(text) as unknown;
    } catch (err) {
      throw new CliError(
        'ERR_INPUT_SYNTAX',
        `\`${displayName(file)}\` is not valid json: ${err instanceof Error ? err.message : String(err)}`,
        { details: { path: file }, hint: 'a STIX 2.1 bundle is one JSON object' },
      );
    }
    // A bar over the objects as they are stored, then one step for the commit and checkpoint.
    const objects = (bundle as { objects?: unknown } | null)?.objects;
    const count = Array.isArray(objects) ? objects.length : 0;
    const bar =
      text.length >= LARGE_BUNDLE || count >= LARGE_COUNT
        ? ctx.progress(count + 1, 'ingest')
        : ctx.progress(0, '');
    try {
      let shown = 0;
      let result: NodeIngestResult;
      try {
        result = await node.ingest(bundle, {
          ...(opts.producer === undefined ? {} : { producer: opts.producer }),
          ...(opts.collection === undefined ? {} : { collection: opts.collection }),
          onProgress: (stored) => {
            bar.advance(stored - shown);
            shown = stored;
          },
        });
      } catch (err) {
        if (
          !ctx.json &&
          (isConcordatError(err, 'ERR_STIX_INVALID') ||
            isConcordatError(err, 'ERR_OBJECT_CONFLICT') ||
            isConcordatError(err, 'ERR_RETENTION_ENDED'))
        ) {
          bar.stop();
          printRejected(ctx, err);
        }
        throw err;
      }
      bar.tick();
      return result;
    } finally {
      bar.stop();
    }
  });
}

/** Registers `concordat ingest`. */
export function registerIngest(program: Command, io: CliIo, state: RunState): void {
  addConfigOption(
    program
      .command('ingest')
      .description('ingest a STIX 2.1 bundle, all or nothing: validate, encrypt, store, ledger')
      .argument('<file>', 'bundle file (JSON); `-` reads standard input')
      .option('--producer <party>', "party that produced it (default: the node's party)")
      .option('--collection <id>', 'collection the objects join (default: the producer id)'),
  )
    .addHelpText(
      'after',
      `
Exit 0 when the bundle was ingested (objects already stored count as "already present");
1 when it was rejected — every issue is listed and nothing is written.

Example:
  $ concordat ingest apt1.json
  ingested 42, already present 0 (bundle--…) — ledger 42 entries, checkpoint signed`,
    )
    .action(
      action(io, state, async (ctx, file: string, opts: IngestOptions) => {
        const { report, checkpoint } = await ingest(ctx, file, opts);
        if (ctx.json) {
          ctx.emitJson({
            bundleId: report.bundleId,
            received: report.received,
            ingested: report.inserted,
            alreadyPresent: report.unchanged,
            rejected: 0,
            objects: report.objects,
            checkpoint: {
              size: checkpoint.size,
              root: base64(checkpoint.root),
              text: checkpoint.text,
            },
          });
          return;
        }
        const { style } = ctx;
        ctx.line(
          `${style.green('ingested')} ${report.inserted}, already present ${report.unchanged}, rejected 0  ${style.dim(`(${report.bundleId}, ${report.received} objects)`)}`,
        );
        const seqs = report.objects.flatMap((o) =>
          o.ledgerSeq === undefined ? [] : [o.ledgerSeq],
        );
        if (seqs.length > 0)
          ctx.line(
            style.dim(
              `ledger entries ${Math.min(...seqs)}–${Math.max(...seqs)}; checkpoint signed at size ${checkpoint.size}`,
            ),
          );
        else ctx.line(style.dim(`nothing new; ledger size ${checkpoint.size}`));
      }),
    );
}
