/**
 * Where `concordat oversight …` reads a ledger from: the node's own store (`--config`, the
 * node computes its indicators), or an export the oversight body verifies itself
 * (`--ledger FILE --verifier-key KEY`): the whole file is checked against its signed
 * checkpoints with a key the reader trusts while it is folded, and nothing is reported from a
 * ledger that does not verify whole.
 */
import { ConcordatError } from '../../core/index.js';
import type { Period } from '../../oversight/index.js';
import { parseNoteVerifierKey, readLedgerExport } from '../../ledger/index.js';
import { WINDOW_MS, loadOfficialKeys, nodeOversight } from '../../node/index.js';
import { reportVerification, verifiedIndicators } from '../../oversight/index.js';
import type { AgreementInForce, Indicators, ReportOptions } from '../../oversight/index.js';
import { CliError } from '../cli-error.js';
import type { CommandContext } from '../context.js';
import { loadAgreementFile } from '../load-agreement.js';
import { withNode } from '../node-open.js';

/** The options that choose the source. */
export interface SourceOptions {
  readonly config?: string;
  readonly ledger?: string;
  readonly verifierKey?: string;
  readonly agreement?: readonly string[];
  readonly officialKeys?: string;
  readonly window?: string;
}

/** What a source gives: the indicators, and the verification behind them. */
export interface SourceResult {
  readonly indicators: Indicators;
  readonly origin: string;
  readonly party?: string;
  readonly verification: NonNullable<ReportOptions['verification']>;
}

function usage(message: string, hint?: string): CliError {
  return new CliError('ERR_USAGE', message, hint === undefined ? {} : { hint });
}

/** The indicators of the node itself, its ledger verified first. */
async function fromNode(
  ctx: CommandContext,
  config: string | undefined,
  period: Period,
): Promise<SourceResult> {
  return withNode(ctx.io, config, async (node) => {
    const bar = ctx.progress(await node.repositories.ledgerEntries.size(node.db), 'reading ledger');
    let shown = 0;
    try {
      return await nodeOversight(node, period, {
        onProgress: (read) => {
          bar.advance(read - shown);
          shown = read;
        },
      });
    } finally {
      bar.stop();
    }
  });
}

/** The indicators of an export, verified with the given key as it is read. */
async function fromExport(
  ctx: CommandContext,
  opts: SourceOptions & { readonly ledger: string },
  period: Period,
): Promise<SourceResult> {
  if (opts.verifierKey === undefined)
    throw usage(
      '`--ledger` needs `--verifier-key`: the node’s checkpoint key as you obtained it',
      'ask the node’s operator for `concordat ledger head` (last line), out of band — the file’s own claim is not evidence',
    );
  const verifier = parseNoteVerifierKey(opts.verifierKey);
  const window = opts.window ?? 'week';
  if (!Object.hasOwn(WINDOW_MS, window))
    throw usage(`\`--window ${window}\` is not a retention window: use hour, day or week`);
  const keys =
    opts.officialKeys === undefined ? undefined : await loadOfficialKeys(opts.officialKeys);
  const agreements: AgreementInForce[] = [];
  for (const file of opts.agreement ?? []) {
    const { agreement } = await loadAgreementFile(ctx.io, file);
    agreements.push({ agreement, ...(keys === undefined ? {} : { keys }) });
  }
  if ((await ctx.io.fs.kind(opts.ledger)) !== 'file')
    throw new CliError('ERR_INPUT_UNREADABLE', `cannot read \`${opts.ledger}\`: no such file`, {
      hint: 'write one on the node with `concordat ledger export`',
    });
  const reading = await readLedgerExport(ctx.io.fs.readLines(opts.ledger));
  const bar = ctx.progress(reading.header.size, 'verifying ledger');
  let shown = 0;
  try {
    const r = await verifiedIndicators(reading, verifier, {
      period,
      agreements,
      asOf: Math.min(period.to, ctx.io.clock.now()),
      windowMs: WINDOW_MS[window as keyof typeof WINDOW_MS],
      onProgress: (read) => {
        bar.advance(read - shown);
        shown = read;
      },
    });
    if (!('indicators' in r))
      throw new ConcordatError(
        'ERR_LEDGER_INTEGRITY',
        `the ledger export does not verify: ${r.verification.break.message}`,
        { details: { break: r.verification.break, verified: r.verification.verified } },
      );
    return {
      indicators: r.indicators,
      origin: reading.header.origin,
      verification: reportVerification(r.verification, reading.header.size),
    };
  } finally {
    bar.stop();
  }
}

/** The indicators from the source the options name (the node's config by default). */
export function readSource(
  ctx: CommandContext,
  opts: SourceOptions,
  period: Period,
): Promise<SourceResult> {
  if (opts.ledger === undefined) {
    if (opts.verifierKey !== undefined || opts.agreement !== undefined)
      throw usage('`--verifier-key` and `--agreement` go with `--ledger FILE`');
    return fromNode(ctx, opts.config, period);
  }
  if (opts.config !== undefined)
    throw usage('give `--ledger FILE` (an export) or `--config` (this node), not both');
  return fromExport(ctx, { ...opts, ledger: opts.ledger }, period);
}
