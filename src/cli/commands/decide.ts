/**
 * `concordat decide FILE …`: decides one release against an agreement, as a node would, and
 * explains it. Exit 0 for allow and for deny (the decision is the output, not a failure);
 * `--fail-on-deny` exits 1 on a deny, for scripts.
 */
import { Option, type Command } from 'commander';
import type { Agreement } from '../../agreement/index.js';
import { isConcordatError } from '../../core/index.js';
import {
  compileAgreement,
  validateDecisionRequest,
  type DecisionRequest,
  type DecisionState,
} from '../../policy/index.js';
import { CliError, usageError } from '../cli-error.js';
import { action, type CommandContext, type RunState } from '../context.js';
import { parseDecisionState, parsePauseFlag, parseWaiverFlag } from '../decision-state.js';
import { printDecision, viewDecision, type DecisionView } from '../decision-view.js';
import { parseAtOption, readJsonInput } from '../input.js';
import type { CliIo } from '../io.js';
import { loadAgreementFile } from '../load-agreement.js';

/** The options of `decide`, as commander hands them over. */
export interface DecideOptions {
  readonly request?: string;
  readonly state?: string;
  readonly agency?: string;
  readonly purpose?: string;
  readonly type?: string;
  readonly tlp?: string;
  readonly personalData?: string;
  readonly producer?: string;
  readonly rsit?: string;
  readonly confidence?: string;
  readonly level?: string;
  readonly at?: string;
  readonly pause: readonly string[];
  readonly waiver: readonly string[];
  readonly failOnDeny?: boolean;
}

const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  agency: '--agency',
  purpose: '--purpose',
  'object.type': '--type',
  'object.tlp': '--tlp',
  'object.personalData': '--personal-data',
  'object.producer': '--producer',
  'object.rsit': '--rsit',
  'object.confidence': '--confidence',
  at: '--at',
};

function requestFromFlags(
  ctx: CommandContext,
  agreement: Agreement,
  opts: DecideOptions,
): DecisionRequest {
  const missing = (['agency', 'purpose', 'type', 'tlp'] as const).filter(
    (k) => opts[k] === undefined,
  );
  if (missing.length > 0)
    throw usageError(
      `missing ${missing.map((m) => `\`--${m}\``).join(', ')} (or give the whole request with \`--request REQUEST.json\`)`,
      'concordat decide',
    );
  const producer = opts.producer ?? ctx.io.env['CONCORDAT_PARTY'];
  if (producer === undefined)
    throw new CliError('ERR_USAGE', 'missing `--producer`: the party that produced the object', {
      hint: `pass \`--producer\` (one of ${agreement.parties.map((p) => p.id).join(', ')}) or set CONCORDAT_PARTY`,
    });
  const raw = {
    agency: opts.agency,
    purpose: opts.purpose,
    object: {
      type: opts.type,
      tlp: opts.tlp,
      personalData: opts.personalData ?? 'none',
      producer,
      ...(opts.rsit === undefined ? {} : { rsit: opts.rsit }),
      ...(opts.confidence === undefined
        ? {}
        : {
            confidence: /^\d+$/.test(opts.confidence) ? Number(opts.confidence) : opts.confidence,
          }),
    },
    at: parseAtOption(opts.at, ctx.io.clock),
  };
  try {
    return validateDecisionRequest(raw);
  } catch (err) {
    // Say which flag was wrong, not which JSON field.
    if (isConcordatError(err, 'ERR_REQUEST_INVALID')) {
      const field = (err.details as { field?: string } | undefined)?.field ?? '';
      const flag = FLAG_OF_FIELD[field];
      if (flag !== undefined)
        throw new CliError(
          'ERR_REQUEST_INVALID',
          err.message.replace(`request field \`${field}\``, `\`${flag}\``),
          {
            details: err.details,
            cause: err,
          },
        );
    }
    throw err;
  }
}

/** Builds request and state from the options, decides, and returns the view. */
export async function decideFromOptions(
  ctx: CommandContext,
  file: string,
  opts: DecideOptions,
): Promise<{ view: DecisionView; agreement: Agreement }> {
  const { agreement } = await loadAgreementFile(ctx.io, file);
  let request: DecisionRequest;
  if (opts.request !== undefined) {
    const mixed = (
      [
        'agency',
        'purpose',
        'type',
        'tlp',
        'personalData',
        'producer',
        'rsit',
        'confidence',
        'at',
      ] as const
    ).filter((k) => opts[k] !== undefined);
    if (mixed.length > 0)
      throw usageError(
        '`--request` gives the whole request; drop the other request flags',
        'concordat decide',
      );
    request = validateDecisionRequest(await readJsonInput(ctx.io, opts.request));
  } else request = requestFromFlags(ctx, agreement, opts);

  const lowest = agreement.levels[0]?.id ?? 'baseline';
  const base: DecisionState =
    opts.state === undefined
      ? { level: lowest, waivers: [], pauses: [], revocations: [] }
      : parseDecisionState(await readJsonInput(ctx.io, opts.state), lowest);
  const level = opts.level ?? base.level;
  const levels = agreement.levels.map((l) => l.id);
  if (!levels.includes(level))
    throw new CliError('ERR_USAGE', `level \`${level}\` is not a level of \`${agreement.id}\``, {
      details: { level, allowed: levels },
      hint: `use one of: ${levels.join(', ')}`,
    });
  const state: DecisionState = {
    level,
    revocations: base.revocations,
    pauses: [...base.pauses, ...opts.pause.map((p, i) => parsePauseFlag(p, i, request.at))],
    waivers: [
      ...base.waivers,
      ...opts.waiver.map((w, i) => parseWaiverFlag(w, i, request, agreement)),
    ],
  };
  const decision = compileAgreement(agreement).decide(request, state);
  return { view: viewDecision(file, request, state, decision), agreement };
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Registers `decide`. */
export function registerDecide(program: Command, io: CliIo, state: RunState): void {
  program
    .command('decide')
    .description('decide one release against an agreement and explain why')
    .argument('<file>', 'agreement file (YAML or JSON)')
    .option(
      '--request <request.json>',
      'the whole request as JSON: { agency, purpose, object: {…}, at }',
    )
    .option('--agency <agency>', 'receiving agency')
    .option('--purpose <purpose>', 'declared purpose of the release')
    .option('--type <type>', 'STIX 2.1 object type, e.g. indicator')
    .option('--tlp <tlp>', 'TLP 2.0 label: clear, green, amber, amber+strict, red')
    .option(
      '--personal-data <category>',
      'none, pseudonymous, personal, special-category (default none)',
    )
    .option('--producer <party>', 'party that produced the object (default $CONCORDAT_PARTY)')
    .option('--rsit <class>', 'ENISA RSIT class, e.g. fraud, intrusions')
    .option('--confidence <n>', 'STIX confidence 0–100')
    .option(
      '--level <level>',
      'current cooperation level (default the lowest, or the state file’s)',
    )
    .option('--at <time>', 'instant of the release (RFC 3339; default now)')
    .option('--state <state.json>', 'runtime state: { level, pauses, waivers, revocations }')
    .option(
      '--pause <party[:key=v,…]>',
      'a pause by PARTY of what matches (repeatable)',
      collect,
      [],
    )
    .addOption(
      new Option(
        '--waiver [agencies][:key=v,…]',
        'an active waiver (repeatable); defaults to this request',
      )
        // Without a value the parser still runs, on '' (commander would store `true`).
        .preset('')
        .argParser((v: string, p: string[]) => [...p, v])
        .default([]),
    )
    .option('--fail-on-deny', 'exit 1 when the decision is deny')
    .addHelpText(
      'after',
      `
Exit 0 for both allow and deny: the decision is the output. With --fail-on-deny, a deny exits 1.

--pause PARTY[:key=v1,v2…]  keys: types, tlp, personal-data, rsit, purposes, to-parties, to-agencies
--waiver [AGENCY,…][:key=v1,v2…]  keys: types, tlp, purposes, personal-data, rsit, retention, for;
    unset keys default to this very request, retention=P7D, for=the agreement's waivers.max_duration
--state STATE.json  { "level": "elevated",
    "pauses": [{ "party": "ARV", "scope": { "tlp": ["amber"] }, "since": "2026-03-01T00:00:00Z" }],
    "waivers": [{ "agencies": [...], "grants": { "types": [...], "tlp": [...], "purposes": [...] },
                  "retention": "P7D", "from": "…", "expires": "…" }],
    "revocations": [{ "agency": "BOR-CERT", "certification": "…", "since": "…" }] }

Example:
  $ concordat decide examples/agreements/northsea-compact.yaml --agency BOR-CERT \\
      --purpose incident-response --type indicator --tlp amber --producer ARV --at 2026-03-03T14:00:00Z
  ALLOW  indicator · TLP amber · personal data none  ARV → BOR-CERT (BOR)  for incident-response`,
    )
    .action(
      action(io, state, async (ctx, file: string, opts: DecideOptions) => {
        const { view, agreement } = await decideFromOptions(ctx, file, opts);
        if (ctx.json) ctx.emitJson(view);
        else printDecision(ctx, view, agreement);
        if (view.effect === 'deny' && opts.failOnDeny === true) ctx.fail(1);
      }),
    );
}
