/**
 * The front door of the agreement language: text → JSON document → structure check → model →
 * meaning checks. Every stage collects all its issues; a later stage runs when the earlier ones
 * leave something it can read (structure errors stop the meaning checks, because those read
 * the structure; malformed durations and timestamps do not, because they are placeholders).
 */
import { ConcordatError } from '../core/index.js';
import type { AgreementIssue } from './issue-codes.js';
import type { Agreement } from './model.js';
import { normalise } from './normalise.js';
import type { NormaliseContext } from './normalise-parts.js';
import { checkStructure } from './schema-check.js';
import type { AgreementSource } from './source.js';
import { validateCompose } from './validate-compose.js';
import { validateCoverage } from './validate-coverage.js';
import { validateRefs } from './validate-refs.js';
import { readSource, type JsonValue } from './yaml-source.js';

/** Options of `parseAgreement`. */
export interface ParseOptions {
  /** Source syntax; default: `json` when `sourceName` ends in `.json`, else `yaml`. */
  readonly format?: 'yaml' | 'json';
  /** File name or URL, used in messages only. */
  readonly sourceName?: string;
}

/**
 * The outcome of parsing: a valid agreement with its plain JSON document and any warnings, or
 * every issue found (errors and warnings) and, when the text was readable, the document.
 */
export type ParseResult =
  | {
      readonly ok: true;
      readonly agreement: Agreement;
      readonly document: JsonValue;
      /** Warnings only. */
      readonly issues: readonly AgreementIssue[];
    }
  | {
      readonly ok: false;
      readonly issues: readonly AgreementIssue[];
      readonly document?: JsonValue;
    };

/** Errors a malformed duration or timestamp produce; normalisation reports them again, better. */
const SOFT = new Set(['bad-duration', 'bad-timestamp']);

function byPosition(a: AgreementIssue, b: AgreementIssue): number {
  return a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
}

/**
 * Parses, validates and normalises an agreement. Never throws for any input text: every
 * problem is an issue with a stable code, a path and a 1-based line:column.
 */
export function parseAgreement(text: string, options?: ParseOptions): ParseResult {
  const format =
    options?.format ?? (options?.sourceName?.toLowerCase().endsWith('.json') ? 'json' : 'yaml');
  const read = readSource(text, format);
  if (read.document === undefined) return { ok: false, issues: read.issues };
  const document = read.document;
  const structural = checkStructure(document, read.locator);
  if (structural.some((i) => !SOFT.has(i.code)))
    return { ok: false, issues: [...read.issues, ...structural].sort(byPosition), document };

  const ctx: NormaliseContext = {
    locator: read.locator,
    issues: [...read.issues],
    badDurations: new WeakSet(),
  };
  // The structure check passed (soft issues aside), so the document has the source shape.
  const src = document as unknown as AgreementSource;
  const agreement = normalise(ctx, src);
  validateRefs(ctx, src, agreement);
  validateCompose(ctx, src, agreement);
  // Coverage reasons about names; with unknown names it would only echo them.
  if (!ctx.issues.some((i) => i.code.startsWith('unknown-') && i.severity === 'error'))
    validateCoverage(ctx, agreement);
  const issues = dedupe(ctx.issues).sort(byPosition);
  if (issues.some((i) => i.severity === 'error')) return { ok: false, issues, document };
  return { ok: true, agreement, document, issues };
}

function dedupe(issues: readonly AgreementIssue[]): AgreementIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.code}|${i.path}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Parses an agreement and returns it, or throws `ERR_AGREEMENT_INVALID` whose `details` are
 * every issue. For callers that cannot go on without a valid agreement.
 */
export function loadAgreement(text: string, options?: ParseOptions): Agreement {
  const result = parseAgreement(text, options);
  if (result.ok) return result.agreement;
  const errors = result.issues.filter((i) => i.severity === 'error');
  const first = errors[0];
  const name = options?.sourceName === undefined ? 'the agreement' : `\`${options.sourceName}\``;
  const summary =
    first === undefined
      ? ''
      : `; first at ${first.line}:${first.column} \`${first.path}\`: ${first.message}`;
  throw new ConcordatError(
    'ERR_AGREEMENT_INVALID',
    `${name} is invalid: ${errors.length} error(s)${summary}`,
    { details: result.issues },
  );
}
