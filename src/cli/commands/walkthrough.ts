/**
 * `concordat walkthrough`: a guided tour of the bundled example
 * agreements — validate, explain, decide, digest, sign and verify, diff — each step with a
 * heading and one sentence on what it shows. Decisions use a fixed instant, so the tour reads
 * the same every day; keys are throwaway, in a temporary directory removed at the end.
 */
import type { Command } from 'commander';
import { join, relative } from 'node:path';
import { agreementDigest, parseAgreement, type Agreement } from '../../agreement/index.js';
import { parseInstant } from '../../core/index.js';
import {
  compileAgreement,
  type DecideFn,
  type DecisionRequest,
  type DecisionState,
} from '../../policy/index.js';
import { CliError } from '../cli-error.js';
import { action, type CommandContext, type RunState } from '../context.js';
import { printDecision, viewDecision } from '../decision-view.js';
import { buildExplainTable } from '../explain-table.js';
import type { CliIo } from '../io.js';
import { loadAgreementFile, type LoadedAgreement } from '../load-agreement.js';
import { examplesDir } from '../package-root.js';
import { showDiff } from './agreement-diff.js';
import { printExplainTable } from './agreement-explain.js';
import { signFile } from './agreement-sign.js';
import { printReports, validateFiles } from './agreement-validate.js';
import { printVerify, verifyFile } from './agreement-verify.js';
import { generateKeys } from './key-generate.js';

/** The instant the tour's decisions are made at (the agreement is in force then). */
const TOUR_AT = '2026-03-03T14:00:00Z';
/** After BOR-CERT's `arv-handling-2026` certification has expired. */
const AFTER_EXPIRY = '2027-01-15T09:00:00Z';

function instant(text: string): number {
  const t = parseInstant(text);
  if (t === undefined) throw new Error(`bad tour instant ${text}`);
  return t;
}

function heading(ctx: CommandContext, n: number, title: string, why: string): void {
  ctx.line();
  ctx.line(ctx.style.bold(ctx.style.cyan(`━━ ${n}. ${title}`)));
  ctx.line(ctx.style.dim(why));
  ctx.line();
}

function decideAndShow(
  ctx: CommandContext,
  decide: DecideFn,
  loaded: LoadedAgreement,
  file: string,
  caption: string,
  request: DecisionRequest,
  state: DecisionState,
): void {
  const decision = decide(request, state);
  ctx.line(ctx.style.yellow(`▸ ${caption}`));
  printDecision(ctx, viewDecision(file, request, state, decision), loaded.agreement);
  ctx.line();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Version N+1 of an agreement document, made in memory: one rule released longer and to one
 * more type (widens), one purpose withdrawn and addresses coarsened (narrows).
 */
export function amendForTour(document: unknown): unknown {
  const doc = structuredClone(document) as Record<string, unknown>;
  if (typeof doc['version'] === 'number') doc['version'] = doc['version'] + 1;
  const tiers = isRecord(doc['tiers']) ? doc['tiers'] : {};
  const rule = (tier: string, i: number): Record<string, unknown> | undefined => {
    const t = tiers[tier];
    const release = isRecord(t) && Array.isArray(t['release']) ? (t['release'] as unknown[]) : [];
    const r = release[i];
    return isRecord(r) ? r : undefined;
  };
  const op = rule('operational', 0);
  if (op !== undefined) {
    op['retention'] = 'P120D';
    if (Array.isArray(op['types'])) op['types'] = [...(op['types'] as unknown[]), 'url'];
  }
  const strat = rule('strategic', 0);
  if (strat !== undefined && Array.isArray(strat['purposes']))
    strat['purposes'] = (strat['purposes'] as unknown[]).filter((p) => p !== 'attribution');
  const core = doc['core'];
  if (isRecord(core) && isRecord(core['minimise'])) core['minimise']['ipv4_prefix'] = 16;
  return doc;
}

async function tour(ctx: CommandContext): Promise<void> {
  const { io, style } = ctx;
  const dir = examplesDir();
  const show = (abs: string): string => {
    const rel = relative(io.cwd, abs);
    return rel === '' || rel.startsWith('..') ? abs : rel;
  };
  const names = (await io.fs.listDir(dir).catch(() => [] as string[]))
    .filter((n) => /\.(ya?ml|json)$/i.test(n) && !n.endsWith('.sig.json'))
    .sort();
  if (names.length === 0)
    throw new CliError('ERR_INPUT_UNREADABLE', `no example agreements in \`${dir}\``, {
      hint: 'run the walkthrough from an installed or checked-out concordat package',
    });
  const files = names.map((n) => show(join(dir, n)));

  ctx.line(style.bold('Concordat walkthrough'));
  ctx.line(
    'An agreement between sovereign partners, written in YAML, becomes a decision function, a digest every party signs, and a diff each amendment is reviewed by.',
  );

  heading(
    ctx,
    1,
    'Validate the example agreements',
    'Every issue is listed with its file:line:column and its path, so the source can be fixed where it is written.',
  );
  const reports = await validateFiles(ctx, files);
  printReports(ctx, reports);
  if (reports.some((r) => !r.ok))
    ctx.line(
      style.dim('An invalid agreement is refused as a whole: no node would ever enforce it.'),
    );

  const valid = files.filter((_, i) => reports[i]?.ok === true);
  const main = valid.find((f) => f.endsWith('northsea-compact.yaml')) ?? valid[0];
  if (main === undefined)
    throw new CliError('ERR_AGREEMENT_INVALID', 'no valid example agreement to tour');
  const loaded = await loadAgreementFile(io, main);
  const a: Agreement = loaded.agreement;

  heading(
    ctx,
    2,
    `Explain ${a.id}`,
    'Who may receive what, at which level: tiers of agencies, their rules, and the protections no tier can loosen.',
  );
  printExplainTable(ctx, buildExplainTable(a, { at: instant(TOUR_AT) }));

  heading(
    ctx,
    3,
    'Decide releases',
    `Each release is decided at ${TOUR_AT} by the agreement in force, and the decision names the clauses that made it.`,
  );
  const at = instant(TOUR_AT);
  // One compiled engine for every decision of the tour, as a node keeps one per agreement.
  const decide = compileAgreement(a).decide;
  const base: DecisionState = {
    level: a.levels[0]?.id ?? 'baseline',
    waivers: [],
    pauses: [],
    revocations: [],
  };
  const req = (
    agency: string,
    purpose: string,
    object: DecisionRequest['object'],
    when = at,
  ): DecisionRequest => ({
    agency,
    purpose,
    object,
    at: when,
  });
  const indicator = {
    type: 'indicator',
    tlp: 'amber',
    personalData: 'none',
    producer: 'ARV',
  } as const;
  decideAndShow(
    ctx,
    decide,
    loaded,
    main,
    'An Arvenian indicator to the Borealian CERT: allowed, with obligations (retention, minimisation, handling).',
    req('BOR-CERT', 'incident-response', indicator),
    base,
  );
  decideAndShow(
    ctx,
    decide,
    loaded,
    main,
    "The same intel for attribution: Borealia's own law forbids receiving it, whatever the tiers say.",
    req('BOR-CERT', 'attribution', {
      type: 'threat-actor',
      tlp: 'green',
      personalData: 'none',
      producer: 'ARV',
    }),
    base,
  );
  decideAndShow(
    ctx,
    decide,
    loaded,
    main,
    'TLP:RED never leaves its producer: a core never-release rule.',
    req('ARV-CERT', 'incident-response', { ...indicator, tlp: 'red', producer: 'BOR' }),
    base,
  );
  const sighting = req('ARV-CERT', 'incident-response', {
    type: 'sighting',
    tlp: 'amber',
    personalData: 'none',
    producer: 'CAL',
  });
  decideAndShow(
    ctx,
    decide,
    loaded,
    main,
    `A Calderan sighting at level ${base.level}: no rule releases sightings yet.`,
    sighting,
    base,
  );
  const elevated = a.levels[1]?.id ?? base.level;
  decideAndShow(
    ctx,
    decide,
    loaded,
    main,
    `The same sighting once the level is raised to ${elevated}: the level-dependent rule now applies.`,
    sighting,
    { ...base, level: elevated },
  );
  const actor = {
    type: 'threat-actor',
    tlp: 'green',
    personalData: 'none',
    producer: 'ARV',
  } as const;
  decideAndShow(
    ctx,
    decide,
    loaded,
    main,
    'A threat actor to BOR-CERT through the attribution cell, while its certification is valid.',
    req('BOR-CERT', 'incident-response', actor),
    base,
  );
  decideAndShow(
    ctx,
    decide,
    loaded,
    main,
    `The same release on ${AFTER_EXPIRY.slice(0, 10)}, after that certification expired: nothing extraordinary outlives its deadline.`,
    req('BOR-CERT', 'incident-response', actor, instant(AFTER_EXPIRY)),
    base,
  );

  heading(
    ctx,
    4,
    'Digest',
    'The sha256 of the RFC 8785 canonical form: whitespace, key order and YAML-vs-JSON do not change it, any value does.',
  );
  ctx.line(`${main}  ${style.bold(agreementDigest(loaded.document))}`);

  heading(
    ctx,
    5,
    'Sign and verify',
    'Each party signs the digest with its own Ed25519 key; verification needs only the public keys.',
  );
  const tmp = await io.fs.makeTempDir('concordat-walkthrough-');
  try {
    const keysDir = join(tmp, 'keys');
    const sigPath = join(tmp, `${a.id}.sig.json`);
    for (const party of a.parties) {
      const keys = await generateKeys(ctx, { party: party.id, out: keysDir });
      const signed = await signFile(
        ctx,
        main,
        { party: party.id, key: keys.privateKey, out: sigPath, at: TOUR_AT },
        loaded,
      );
      ctx.line(
        `${style.green('signed')} for ${style.bold(party.id)} with key ${signed.keyId.slice(0, 16)}…`,
      );
    }
    ctx.line();
    printVerify(ctx, await verifyFile(ctx, main, { signatures: sigPath, keys: keysDir }, loaded));
    ctx.line();
    const edited = join(tmp, `${a.id}-edited.json`);
    const doc = structuredClone(loaded.document) as Record<string, unknown>;
    doc['title'] = `${String(doc['title'])} (edited after signing)`;
    await io.fs.writeText(edited, JSON.stringify(doc, null, 2));
    ctx.line(style.yellow('▸ The same signatures on a copy whose title was edited after signing:'));
    printVerify(ctx, await verifyFile(ctx, edited, { signatures: sigPath, keys: keysDir }));
  } finally {
    await io.fs.removeTree(tmp);
  }

  heading(
    ctx,
    6,
    'Diff two versions',
    `Version ${a.version + 1}, made in memory, lengthens one rule and adds a type to it, withdraws a purpose from another and coarsens IP addresses: each change is marked as widening or narrowing access.`,
  );
  const v4 = parseAgreement(JSON.stringify(amendForTour(loaded.document)), {
    format: 'json',
    sourceName: `${a.id} v${a.version + 1}`,
  });
  if (!v4.ok) throw new Error('the amended tour agreement does not validate');
  showDiff(ctx, { before: main, after: 'the in-memory amendment' }, a, v4.agreement);

  ctx.line();
  ctx.line(style.bold(`next: try \`concordat agreement explain ${main} --level ${elevated}\``));
  ctx.line(
    style.dim(
      `  or   \`concordat decide ${main} --agency BOR-CERT --purpose incident-response --type indicator --tlp amber --producer ARV\``,
    ),
  );
}

/** Registers `walkthrough`. */
export function registerWalkthrough(program: Command, io: CliIo, state: RunState): void {
  program
    .command('walkthrough')
    .description('a guided tour of the example agreements, without a node')
    .addHelpText(
      'after',
      `
Validates the examples, explains the multilateral compact, decides a handful of releases,
signs with throwaway keys and verifies, then diffs two versions. Takes a second or two.`,
    )
    .action(
      action(io, state, async (ctx) => {
        // The tour is prose for people; there is no JSON document to promise.
        if (ctx.json)
          throw new CliError('ERR_USAGE', '`walkthrough` has no `--json` output', {
            hint: 'run the commands it shows with `--json` instead',
          });
        await tour(ctx);
      }),
    );
}
