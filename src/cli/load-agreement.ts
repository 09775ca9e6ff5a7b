/**
 * Reading an agreement file for a command: read, parse, validate; a failure becomes
 * `ERR_AGREEMENT_INVALID` naming the first issue and pointing at `agreement validate`.
 */
import {
  parseAgreement,
  type Agreement,
  type AgreementIssue,
  type ParseResult,
} from '../agreement/index.js';
import { CliError } from './cli-error.js';
import { displayName, readInput } from './input.js';
import type { CliIo } from './io.js';

/** The format of a file, from its name: `.json` is JSON, anything else YAML. */
export function formatOf(path: string): 'yaml' | 'json' {
  return path.toLowerCase().endsWith('.json') ? 'json' : 'yaml';
}

/** The result of parsing one file, valid or not. */
export interface ParsedFile {
  readonly path: string;
  readonly text: string;
  readonly result: ParseResult;
}

/** Reads and parses `path` without failing on an invalid agreement. */
export async function parseFile(io: CliIo, path: string): Promise<ParsedFile> {
  const text = await readInput(io, path);
  const result = parseAgreement(text, { format: formatOf(path), sourceName: displayName(path) });
  return { path, text, result };
}

/** `FILE:line:column` of an issue (or of a clause source). */
export function where(path: string, at: { line?: number; column?: number }): string {
  return at.line === undefined || at.line === 0
    ? displayName(path)
    : `${displayName(path)}:${at.line}:${at.column ?? 1}`;
}

/** A valid agreement with its source document (the JSON data that is digested and signed). */
export interface LoadedAgreement {
  readonly path: string;
  readonly agreement: Agreement;
  readonly document: unknown;
  readonly warnings: readonly AgreementIssue[];
}

/** Reads, parses and validates `path`; throws `ERR_AGREEMENT_INVALID` when it is invalid. */
export async function loadAgreementFile(io: CliIo, path: string): Promise<LoadedAgreement> {
  const { result } = await parseFile(io, path);
  if (!result.ok) {
    const errors = result.issues.filter((i) => i.severity === 'error');
    const first = errors[0] ?? result.issues[0];
    const firstText =
      first === undefined ? '' : `; first: ${where(path, first)} ${first.code}: ${first.message}`;
    throw new CliError(
      'ERR_AGREEMENT_INVALID',
      `\`${displayName(path)}\` is not a valid agreement (${errors.length} error(s))${firstText}`,
      {
        details: result.issues,
        hint: `run \`concordat agreement validate ${path}\` to see every issue`,
      },
    );
  }
  return {
    path,
    agreement: result.agreement,
    document: result.document,
    warnings: result.issues,
  };
}
