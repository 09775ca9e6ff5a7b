/**
 * The registry of every issue `parseAgreement` can report, with its severity and a one-line
 * summary. docs/spec/agreement-language.md lists each one; test/agreement/issue-codes-doc
 * (schema.test.ts) keeps the two in step (STYLE.md: errors are typed, coded, documented).
 */

/** Severity and one-line summary of an issue code. */
export interface IssueSpec {
  readonly severity: 'error' | 'warning';
  /** One line, lowercase, for the spec and `--help`. */
  readonly summary: string;
}

export const ISSUE_CODES = {
  // --- the source text (yaml-source.ts) ---
  syntax: { severity: 'error', summary: 'the text is not well-formed yaml or json' },
  'too-large': { severity: 'error', summary: 'the text is larger than the size limit' },
  'duplicate-key': { severity: 'error', summary: 'a mapping repeats a key' },
  'yaml-anchor': {
    severity: 'error',
    summary: 'an anchor, alias or merge key is used; write every value out in full',
  },
  'yaml-tag': { severity: 'error', summary: 'a custom or unknown yaml tag is used' },
  'not-json': {
    severity: 'error',
    summary: 'a value has no json form (a non-string key, an infinite or nan number)',
  },
  // --- structure, checked against docs/agreement.schema.json (schema-check.ts) ---
  'unknown-key': { severity: 'error', summary: 'a key the language does not define (a typo?)' },
  'missing-key': { severity: 'error', summary: 'a required key is absent' },
  'wrong-type': { severity: 'error', summary: 'a value has the wrong type' },
  'bad-value': {
    severity: 'error',
    summary: 'a value is out of range, not one of the allowed values, or badly formed',
  },
  'bad-duration': {
    severity: 'error',
    summary: 'a value is not an iso 8601 duration (whole numbers, `T` before hours)',
  },
  'bad-timestamp': { severity: 'error', summary: 'a value is not an rfc 3339 timestamp or date' },
  // --- meaning (normalise.ts, validate-*.ts) ---
  'duplicate-id': { severity: 'error', summary: 'two clauses or names share one id' },
  'unknown-party': { severity: 'error', summary: 'a reference names no party of the agreement' },
  'unknown-agency': { severity: 'error', summary: 'a reference names no agency of the agreement' },
  'unknown-purpose': { severity: 'error', summary: 'a reference names no declared purpose' },
  'unknown-level': { severity: 'error', summary: 'a reference names no declared level' },
  'unknown-tier': { severity: 'error', summary: 'a reference names no tier' },
  'calendar-duration': {
    severity: 'error',
    summary: 'a duration with years or months where a fixed length is needed',
  },
  'effective-range': {
    severity: 'error',
    summary: '`effective.until` is not after `effective.from`',
  },
  'level-range': { severity: 'error', summary: 'a rule has `from_level` above `until_level`' },
  'constraint-action': {
    severity: 'error',
    summary: 'a constraint has no action or more than one',
  },
  'forbid-with-when': {
    severity: 'error',
    summary: 'a `forbid` constraint also has `when`; put the conditions in `forbid`',
  },
  'incomplete-condition': {
    severity: 'error',
    summary: 'a trigger condition lacks a part it needs',
  },
  'sanction-to-tier': {
    severity: 'error',
    summary: '`to_tier` is missing on a `downgrade-tier` sanction, or present on another',
  },
  'dispute-path-order': {
    severity: 'error',
    summary: 'dispute stages repeat or are out of order',
  },
  'quorum-unreachable': {
    severity: 'error',
    summary: 'an approval asks for more officials or parties than the agreement names',
  },
  'retention-exceeds-max': {
    severity: 'error',
    summary: "a rule's retention can exceed the core's (or its extension's) maximum",
  },
  'extension-loosens': {
    severity: 'error',
    summary: 'an extension loosens a core protection; extensions may only tighten',
  },
  'extension-agency-outside': {
    severity: 'error',
    summary: "an extension tier names an agency of a party outside the extension's parties",
  },
  'rule-never-applies': {
    severity: 'error',
    summary: 'every release a rule describes is denied by never-release rules',
  },
  'rule-contradicts-constraint': {
    severity: 'error',
    summary: "every release a rule describes to an agency is forbidden by its party's constraint",
  },
  'certification-expired': {
    severity: 'warning',
    summary: 'a certification has already expired when the agreement enters into force',
  },
  'unknown-certification': {
    severity: 'warning',
    summary: 'a required certification is held by no agency',
  },
  'unused-purpose': { severity: 'warning', summary: 'a declared purpose no rule serves' },
  'unused-agency': { severity: 'warning', summary: 'an agency that is in no tier' },
  'trigger-raises-to-lowest': {
    severity: 'warning',
    summary: 'a trigger raises to the lowest level, so it can never raise anything',
  },
} as const satisfies Record<string, IssueSpec>;

/** Every issue code `parseAgreement` can report. */
export type IssueCode = keyof typeof ISSUE_CODES;

/** One problem found in an agreement source, located at its YAML/JSON node. */
export interface AgreementIssue {
  readonly code: IssueCode;
  readonly severity: 'error' | 'warning';
  /** Lowercase, values in backticks. */
  readonly message: string;
  /** Dotted path with indices, e.g. `tiers.operational.release[0].retention` (`` = root). */
  readonly path: string;
  /** 1-based line of the offending node. */
  readonly line: number;
  /** 1-based column of the offending node. */
  readonly column: number;
}
