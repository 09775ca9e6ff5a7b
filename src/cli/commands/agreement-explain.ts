/**
 * `concordat agreement explain FILE [--level L] [--at TIME]`: who may receive what, at which
 * level — tiers with their agencies and rules, then party constraints, core protections,
 * extensions and waivers. `--json` prints the same as data (`ExplainTable`).
 */
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { action, type CommandContext, type RunState } from '../context.js';
import {
  buildExplainTable,
  type ExplainRule,
  type ExplainTable,
  type ExplainTier,
} from '../explain-table.js';
import { parseAtOption } from '../input.js';
import type { CliIo } from '../io.js';
import { loadAgreementFile } from '../load-agreement.js';
import { formatTable, wrapList, type Cell } from '../style.js';

function date(iso: string): string {
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

function handlingText(h: { pap: string; onwardSharing: string }): string {
  return `PAP ${h.pap}, onward ${h.onwardSharing}`;
}

/** What a rule imposes beyond the core's minimisation and handling (`—` when nothing). */
function beyondCore(r: ExplainRule, table: ExplainTable): string[] {
  const core = table.core.handling;
  const handling =
    r.handling.pap === core.pap && r.handling.onwardSharing === core.onwardSharing
      ? []
      : [handlingText(r.handling)];
  const phrases = [...r.minimisationBeyondCore, ...handling];
  return phrases.length === 0 ? ['—'] : wrapList(phrases, 30, ';');
}

function printTier(ctx: CommandContext, table: ExplainTable, tier: ExplainTier): void {
  const { style } = ctx;
  const scope =
    tier.extension === undefined
      ? 'core'
      : `extension ${tier.extension}: between ${(tier.extensionParties ?? []).join(', ')}`;
  ctx.line(`${style.bold(`Tier ${tier.id}`)}  ${style.dim(`(${scope})`)}`);
  const agencies = tier.agencies.map((a) => {
    const label = `${a.id} (${a.party})`;
    return a.missingCertifications.length === 0
      ? label
      : style.yellow(`${label} — lacks ${a.missingCertifications.join(', ')} at ${date(table.at)}`);
  });
  ctx.line(`  agencies       ${agencies.join(', ')}`);
  if (tier.requiresCertifications.length > 0)
    ctx.line(`  requires       ${tier.requiresCertifications.join(', ')} (unexpired)`);
  const rows: Cell[][] = tier.rules.map((r) => {
    const inactive = r.activeAtLevel === false;
    const dim = (s: string): string => (inactive ? style.dim(s) : s);
    const extra: string[] = [];
    if (r.rsit !== undefined) extra.push(`rsit ${r.rsit.join(', ')}`);
    if (r.minConfidence !== undefined) extra.push(`confidence ≥ ${r.minConfidence}`);
    const levels =
      r.levels.from === table.levels[0] && r.levels.until === table.levels[table.levels.length - 1]
        ? 'all'
        : r.levels.from === r.levels.until
          ? r.levels.from
          : r.levels.until === table.levels[table.levels.length - 1]
            ? `${r.levels.from}+`
            : `${r.levels.from}–${r.levels.until}`;
    return [
      dim(r.id),
      wrapList([...r.types, ...extra], 28).map(dim),
      wrapList(r.tlp, 14).map(dim),
      wrapList(r.purposes, 20).map(dim),
      wrapList(r.personalData, 14).map(dim),
      dim(inactive ? `${levels} (not at ${table.level ?? ''})` : levels),
      dim(
        r.retentionCappedBy === undefined
          ? r.retention
          : `${r.retention} (${r.retentionCappedBy} cap)`,
      ),
      beyondCore(r, table).map(dim),
    ];
  });
  ctx.line();
  for (const line of formatTable(rows, {
    header: [
      'rule',
      'types',
      'TLP',
      'purposes',
      'personal data',
      'levels',
      'retention',
      'beyond the core',
    ],
    indent: '  ',
    headerStyle: style.dim,
  }))
    ctx.line(line);
  ctx.line();
}

/** Prints the explanation as human text. */
export function printExplainTable(ctx: CommandContext, table: ExplainTable): void {
  const { style } = ctx;
  const a = table.agreement;
  ctx.line(style.bold(a.title));
  const until = a.effective.until === undefined ? 'open-ended' : date(a.effective.until);
  ctx.line(
    `${a.id} v${a.version} · in force ${date(a.effective.from)} → ${until}${table.inForce ? '' : style.yellow(` · NOT in force at ${table.at}`)}`,
  );
  ctx.line(
    `levels ${table.levels.join(' < ')}${table.level === undefined ? '' : ` · showing level ${style.bold(table.level)}`}`,
  );
  ctx.line(style.dim(`certifications checked at ${table.at}`));
  ctx.line();
  for (const tier of table.tiers) printTier(ctx, table, tier);

  ctx.line(
    style.bold('Party constraints') +
      style.dim('  (evaluated first; no tier, level or waiver overrides them)'),
  );
  const scopeText = (party: string, scope: string): string =>
    scope === 'outgoing'
      ? `data ${party} produces`
      : scope === 'incoming'
        ? `releases to ${party}`
        : `to or from ${party}`;
  for (const line of formatTable(
    table.constraints.map((c) => [
      c.party,
      c.id,
      scopeText(c.party, c.scope),
      wrapList(c.when.split('; '), 36, ';'),
      c.effect,
    ]),
    {
      header: ['party', 'constraint', 'applies to', 'when', 'effect'],
      indent: '  ',
      headerStyle: style.dim,
    },
  ))
    ctx.line(line);
  ctx.line();

  ctx.line(
    style.bold('Core protections') +
      style.dim('  (common to all parties; extensions may only tighten)'),
  );
  const protections = (p: ExplainTable['core']): Cell[][] => [
    ['max retention', p.maxRetention ?? '(core)'],
    [
      'never release',
      p.neverRelease.length === 0 ? '—' : p.neverRelease.map((n) => `${n.id}: ${n.match}`),
    ],
    ['minimisation', p.minimisation.length === 0 ? '—' : wrapList(p.minimisation, 60, ';')],
    ['handling', handlingText(p.handling)],
  ];
  for (const line of formatTable(protections(table.core), { indent: '  ' })) ctx.line(line);
  ctx.line();
  for (const ext of table.extensions) {
    ctx.line(
      `${style.bold(`Extension ${ext.id}`)}  ${style.dim(`(between ${ext.parties.join(', ')}; adds ${ext.tiers.join(', ') || 'no tiers'})`)}`,
    );
    for (const line of formatTable(protections(ext), { indent: '  ' })) ctx.line(line);
    ctx.line();
  }
  if (table.waivers !== undefined) {
    ctx.line(
      style.bold('Waivers') +
        style.dim('  (bounded; never override constraints or never-release rules)'),
    );
    for (const line of formatTable(
      [
        ['at most', table.waivers.maxDuration],
        ['reviewed within', table.waivers.postReviewWithin],
        [
          'never waive',
          table.waivers.neverWaive.length === 0
            ? '—'
            : table.waivers.neverWaive.map((n) => `${n.id}: ${n.match}`),
        ],
      ],
      { indent: '  ' },
    ))
      ctx.line(line);
  }
}

/** Registers `agreement explain`. */
export function registerExplain(parent: Command, io: CliIo, state: RunState): void {
  parent
    .command('explain')
    .description('show who may receive what, at which level, as a table')
    .argument('<file>', 'agreement file (YAML or JSON); `-` reads standard input')
    .option('--level <level>', 'mark the rules that apply at this cooperation level')
    .option('--at <time>', 'check certifications at this instant (RFC 3339; default now)')
    .addHelpText(
      'after',
      `
Example:
  $ concordat agreement explain examples/agreements/northsea-compact.yaml --level severe`,
    )
    .action(
      action(io, state, async (ctx, file: string, opts: { level?: string; at?: string }) => {
        const at = parseAtOption(opts.at, ctx.io.clock);
        const { agreement } = await loadAgreementFile(ctx.io, file);
        const levels = agreement.levels.map((l) => l.id);
        if (opts.level !== undefined && !levels.includes(opts.level))
          throw new CliError(
            'ERR_USAGE',
            `\`--level\` \`${opts.level}\` is not a level of \`${agreement.id}\``,
            {
              details: { option: '--level', value: opts.level, allowed: levels },
              hint: `use one of: ${levels.join(', ')}`,
            },
          );
        const table = buildExplainTable(agreement, {
          at,
          ...(opts.level === undefined ? {} : { level: opts.level }),
        });
        if (ctx.json) ctx.emitJson(table);
        else printExplainTable(ctx, table);
      }),
    );
}
