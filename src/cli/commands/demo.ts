/**
 * `concordat demo` (what `npm start` runs): three national nodes on loopback under one
 * multilateral agreement, a synthetic threat feed, and a scripted timeline of the seed's story
 * (risk rises and officials approve, a bounded waiver, a pause during a dispute, retention by
 * crypto-shredding, verifiable ledgers), each step shown with the counts flowing between
 * nations and where to look. The TAXII servers then stay up until ctrl-c, or `--exit`.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { ConcordatError } from '../../core/index.js';
import { NATIONS, pairKey, runDemo } from '../../demo/index.js';
import type { DemoRun, DemoStep } from '../../demo/index.js';
import { action, type CommandContext, type RunState } from '../context.js';
import type { CliIo, Lifecycle } from '../io.js';
import { processLifecycle } from '../node-io.js';
import { examplesDir } from '../package-root.js';

/** The agreement the demo's three nodes take part in. */
const DEMO_AGREEMENT = 'northsea-compact.yaml';
/** Real time between two steps at `--speed 1`, so a person can read along. */
const STEP_PAUSE_MS = 900;
/** How often a node left running shreds what has reached its retention deadline. */
const SHRED_EVERY_MS = 60_000;
/** How often a node left running pulls from its partners (the config's `pull_every`). */
const PULL_EVERY_MS = 60_000;

interface DemoCliOptions {
  dir?: string;
  speed: string;
  exit?: boolean;
  keepRunning?: boolean;
  seed?: string;
}

function parseSpeed(text: string): number {
  const speed = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || !(speed > 0))
    throw new ConcordatError(
      'ERR_USAGE',
      `\`--speed\` takes a positive number (1 = about a second per step); got \`${text.slice(0, 16)}\``,
    );
  return speed;
}

function flowTable(ctx: CommandContext, flows: Readonly<Record<string, number>>): void {
  const parties = NATIONS.map((n) => n.party);
  const cell = (s: string): string => s.padStart(7);
  const label = (s: string): string => `  ${s}`.padEnd(26);
  ctx.line(
    ctx.style.dim(`${label('objects newly held')}${parties.map((p) => cell(`→ ${p}`)).join('')}`),
  );
  for (const from of parties)
    ctx.line(
      `${label(`from ${from}`)}${parties
        .map((to) => {
          if (to === from) return cell('·');
          const n = flows[pairKey(from, to)] ?? 0;
          return n === 0 ? ctx.style.yellow(cell('0')) : ctx.style.green(cell(String(n)));
        })
        .join('')}`,
    );
}

function printStep(ctx: CommandContext, step: DemoStep): void {
  const { style } = ctx;
  ctx.line();
  ctx.line(style.bold(style.cyan(`━━ ${step.n}. ${step.title}`)));
  const levels = Object.entries(step.levels)
    .map(([p, l]) => `${p} ${l}`)
    .join(' · ');
  ctx.line(style.dim(`   ${step.at.replace('.000Z', 'Z')}   level: ${levels}`));
  for (const s of step.story) ctx.line(`  ${s}`);
  if (step.published !== undefined)
    ctx.line(
      style.dim(
        `  published: ${Object.entries(step.published)
          .map(([p, n]) => `${p} ${n}`)
          .join(', ')}`,
      ),
    );
  if (step.flows !== undefined) flowTable(ctx, step.flows);
  const onward = Object.entries(step.onward ?? {}).filter(([, n]) => n > 0);
  if (onward.length > 0)
    ctx.line(
      style.yellow(
        `  ⚠ received through a third node (relayed by a partner's door under the producer's onward-sharing rule): ${onward.map(([c, n]) => `${c} ${n}`).join(', ')}`,
      ),
    );
  if (step.shredded !== undefined)
    for (const [p, s] of Object.entries(step.shredded))
      ctx.line(`  ${p}: shredded ${s.own} of its own, ${s.partners} received from partners`);
  if (step.ledgers !== undefined)
    for (const [p, l] of Object.entries(step.ledgers))
      ctx.line(
        `  ${p}: ${l.ok ? style.green('ledger verifies') : style.red('LEDGER BROKEN')} — ${l.entries} entries, ${l.checkpoints} signed checkpoints`,
      );
  if (step.receipts !== undefined)
    for (const [pair, r] of Object.entries(step.receipts))
      ctx.line(
        `  ${pair}: ${r.receipts} signed receipt${r.receipts === 1 ? '' : 's'}` +
          (r.reconciled === undefined
            ? ''
            : ` — ${r.reconciled ? style.green('reconciled') : style.red('NOT reconciled')} (released ${r.released ?? 0}, proven received ${r.received ?? 0}${r.reconciled ? '' : `; missing ${r.missing ?? 0}, extra ${r.extra ?? 0}, mismatched ${r.mismatched ?? 0}`})`),
      );
  if (step.nodes !== undefined) {
    ctx.line();
    for (const n of step.nodes) {
      ctx.line(`  ${style.bold(`${n.name} (${n.party})`)}  ${n.discovery}`);
      ctx.line(style.dim(`    config   ${n.config}`));
      ctx.line(style.dim(`    token    ${n.readToken.token}  (read, ${n.readToken.agency})`));
      if (step.id === 'live') {
        ctx.line(`    ${n.curl}`);
        ctx.line(`    ${n.verify}`);
        ctx.line(
          `    dashboard ${style.bold(n.dashboard.url)}  ${style.dim(`(sign in with ${n.dashboard.token})`)}`,
        );
      }
    }
  }
}

async function keepRunning(
  ctx: CommandContext,
  run: DemoRun,
  lifecycle: Lifecycle,
): Promise<string> {
  let unsubscribe = (): void => undefined;
  const stopped = new Promise<string>((resolve) => {
    unsubscribe = lifecycle.onShutdown(resolve);
  });
  // Retention keeps being enforced by the clock while the nodes serve.
  const timer = setInterval(() => {
    for (const n of run.cluster.nodes) void n.node.shredDue().catch(() => undefined);
  }, SHRED_EVERY_MS);
  timer.unref();
  const live = run.crossBorder.live?.(PULL_EVERY_MS);
  if (!ctx.json) {
    ctx.line();
    ctx.line(ctx.style.bold('The three nodes keep serving TAXII 2.1; stop with ctrl-c.'));
    if (live !== undefined)
      ctx.line(
        ctx.style.dim(
          `Each node pulls from its partners every ${PULL_EVERY_MS / 1000} s over mutual TLS and shreds what is due every ${SHRED_EVERY_MS / 1000} s.`,
        ),
      );
  }
  try {
    return await stopped;
  } finally {
    clearInterval(timer);
    unsubscribe();
    await live?.stop();
  }
}

/** Registers `concordat demo`. */
export function registerDemo(program: Command, io: CliIo, state: RunState): void {
  program
    .command('demo')
    .description(
      'three national nodes on loopback playing the seed’s story (what `npm start` runs)',
    )
    .option(
      '--dir <dir>',
      'empty or missing directory for the three nodes (default: a new temporary one)',
    )
    .option('--speed <x>', 'playback speed: 1 ≈ a second per step, 100 = no waiting', '1')
    .option(
      '--keep-running',
      'keep every node’s TAXII server up after the story until ctrl-c (default)',
    )
    .option('--exit', 'stop the nodes and exit when the story ends (tests, CI)')
    .option('--seed <text>', 'seed of the synthetic threat feed (same seed, same feed)')
    .addHelpText(
      'after',
      `
Creates three nodes (Arvenia ARV, Borealia BOR, Caldera CAL) with \`concordat init\`'s layout,
SQLite, generated keys and development CAs, all in the North Sea compact (core protections,
two extensions). Each serves TAXII 2.1 on free loopback ports: bearer tokens for analysts,
mutual TLS for the partner nodes that pull from it. A scripted clock lets hours and months
pass in seconds: baseline sharing, a risk rating and two officials' approvals raising the
level, a 48-hour waiver that expires by itself, a pause during a dispute and the resumption,
the level lowered by hysteresis, retention shredding on consumers and producers, ledgers
verified, signed receipts reconciled pair by pair.
With --json each step is one JSON object on its own line.

Example:
  $ concordat demo --exit --dir /tmp/concordat-demo
  $ concordat ledger verify --config /tmp/concordat-demo/arv/node.yaml`,
    )
    .action(
      action(io, state, async (ctx, opts: DemoCliOptions) => {
        const speed = parseSpeed(opts.speed);
        if (opts.exit === true && opts.keepRunning === true)
          throw new ConcordatError('ERR_USAGE', '`--exit` and `--keep-running` exclude each other');
        const dir = opts.dir ?? join(await ctx.io.fs.makeTempDir('concordat-demo-'), 'nodes');
        const pauseMs = STEP_PAUSE_MS / speed;
        if (!ctx.json) {
          ctx.line(ctx.style.bold('Concordat: three nations, one agreement, enforced'));
          ctx.line(ctx.style.dim(`nodes under ${dir} (kept after the demo, for inspection)`));
        }
        const run = await runDemo({
          dir,
          agreementFile: join(examplesDir(), DEMO_AGREEMENT),
          ...(opts.seed === undefined ? {} : { seed: opts.seed }),
          onStep: (step) => {
            if (ctx.json) ctx.io.stdout(`${JSON.stringify(step)}\n`);
            else printStep(ctx, step);
          },
          ...(pauseMs >= 10
            ? { pause: () => new Promise<void>((resolve) => setTimeout(resolve, pauseMs)) }
            : {}),
        });
        try {
          if (opts.exit === true) return;
          run.clock.follow();
          const signal = await keepRunning(ctx, run, ctx.io.lifecycle ?? processLifecycle);
          if (!ctx.json) ctx.line(`stopped on ${signal}; the nodes stay under ${dir}`);
        } finally {
          await run.cluster.close();
        }
      }),
    );
}
