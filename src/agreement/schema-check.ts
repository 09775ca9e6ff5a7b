/**
 * Structural validation of a source document against `AGREEMENT_SCHEMA`, with every ajv error
 * turned into an `AgreementIssue` located at its YAML node. The validator is compiled once, on
 * first use (STYLE.md: no work at import time). ajv generates code from OUR schema, never from
 * an agreement, so "agreements never become code" still holds.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { AgreementIssue } from './issue-codes.js';
import { AGREEMENT_SCHEMA } from './schema.js';
import { issue, joinPath, type JsonValue, type Locator } from './yaml-source.js';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= new Ajv2020({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    verbose: true,
  }).compile(AGREEMENT_SCHEMA);
  return compiled;
}

/** `/tiers/a~1b/release/0` → `tiers["a/b"].release[0]`. */
function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  let path = '';
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = /^(0|[1-9]\d*)$/.test(seg) ? joinPath(path, Number(seg)) : joinPath(path, seg);
  }
  return path;
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

function suggestion(key: string, allowed: readonly string[]): string {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const candidate of allowed) {
    const d = levenshtein(key, candidate);
    if (d < bestDist) {
      best = candidate;
      bestDist = d;
    }
  }
  return best !== undefined && bestDist <= Math.max(2, Math.floor(key.length / 3))
    ? `; did you mean \`${best}\`?`
    : `; allowed: ${allowed.map((k) => `\`${k}\``).join(', ')}`;
}

function shown(value: unknown): string {
  const s = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Which `$defs` entry produced an error, e.g. `duration` for `#/$defs/duration/pattern`. */
function defName(schemaPath: string): string | undefined {
  return /^#\/\$defs\/([A-Za-z]+)\/[a-z]+$/i.exec(schemaPath)?.[1];
}

const PATTERN_HINTS: Readonly<Record<string, string>> = {
  id: 'an id (letters, digits and `.`, `_`, `+`, `:`, `-`, at most 64 characters)',
  stixType: 'a stix 2.1 object type (lowercase letters, digits and `-`)',
  propertyPath: 'a property path like `email-addr.value` or `*.description`',
};

function toIssue(err: ErrorObject, locator: Locator): AgreementIssue {
  const path = pointerToPath(err.instancePath);
  const where = path === '' ? 'the agreement' : `\`${path}\``;
  const params = err.params as Record<string, unknown>;
  const def = defName(err.schemaPath);
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const child = joinPath(path, key);
      const props = Object.keys(
        ((err.parentSchema as Record<string, unknown> | undefined)?.['properties'] ?? {}) as object,
      );
      const hint = props.length > 0 ? suggestion(key, props) : '';
      return issue(
        'unknown-key',
        `unknown key \`${key}\` in ${where}${hint}`,
        child,
        locator.keyAt(child),
      );
    }
    case 'required': {
      const key = String(params['missingProperty']);
      return issue(
        'missing-key',
        `${where} is missing \`${key}\``,
        joinPath(path, key),
        locator.at(path),
      );
    }
    case 'type': {
      const t = String(params['type']).replace(',', ' or ');
      return issue(
        'wrong-type',
        `${where} must be ${t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`}`,
        path,
        locator.at(path),
      );
    }
    case 'pattern': {
      if (def === 'duration')
        return issue('bad-duration', durationMessage(path, err.data), path, locator.at(path));
      if (def === 'instant')
        return issue(
          'bad-timestamp',
          `${where} is \`${shown(err.data)}\`, not an rfc 3339 timestamp like \`2026-01-01T00:00:00Z\` or a date like \`2026-01-01\``,
          path,
          locator.at(path),
        );
      const hint = (def !== undefined ? PATTERN_HINTS[def] : undefined) ?? 'the expected form';
      return issue(
        'bad-value',
        `${where} is \`${shown(err.data)}\`, not ${hint}`,
        path,
        locator.at(path),
      );
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[])
        .map((v) => `\`${String(v)}\``)
        .join(', ');
      return issue(
        'bad-value',
        `${where} is \`${shown(err.data)}\`; allowed: ${allowed}`,
        path,
        locator.at(path),
      );
    }
    case 'const':
      return issue(
        'bad-value',
        `${where} must be \`${shown(params['allowedValue'])}\``,
        path,
        locator.at(path),
      );
    case 'uniqueItems':
      return issue(
        'bad-value',
        `${where} lists an entry twice (items ${String(params['j'])} and ${String(params['i'])})`,
        joinPath(path, Number(params['i'])),
        locator.at(joinPath(path, Number(params['i']))),
      );
    case 'minItems':
      return issue('bad-value', `${where} must not be empty`, path, locator.at(path));
    case 'minProperties':
      return issue('bad-value', `${where} must not be empty`, path, locator.at(path));
    case 'minLength':
      return issue('bad-value', `${where} must not be empty`, path, locator.at(path));
    case 'propertyNames':
      return issue(
        'bad-value',
        `key \`${String(params['propertyName'])}\` in ${where} is not ${PATTERN_HINTS['id'] ?? 'an id'}`,
        joinPath(path, String(params['propertyName'])),
        locator.keyAt(joinPath(path, String(params['propertyName']))),
      );
    default:
      return issue('bad-value', `${where} ${err.message ?? 'is invalid'}`, path, locator.at(path));
  }
}

/** The message for a malformed duration, with the commonest mistake spelled out. */
export function durationMessage(path: string, value: unknown): string {
  const s = String(value);
  const base = `\`${path}\` is \`${shown(value)}\`, not an iso 8601 duration`;
  const t = /^P((?:\d+[YMWD])*)(\d+[HS].*)$/.exec(s);
  if (t !== null)
    return `${base}: hours, minutes and seconds come after \`T\`, e.g. \`P${t[1] ?? ''}T${t[2] ?? ''}\``;
  if (/[.,]/.test(s)) return `${base}: use whole numbers, e.g. \`PT90M\` rather than \`PT1.5H\``;
  return `${base} like \`P90D\`, \`PT72H\` or \`P1Y6M\``;
}

/**
 * Checks `document` against the schema. Errors that ajv reports more than once for one node
 * (the `propertyNames` echo, for instance) are reported once.
 */
export function checkStructure(document: JsonValue, locator: Locator): AgreementIssue[] {
  const validate = validator();
  if (validate(document)) return [];
  const seen = new Set<string>();
  const out: AgreementIssue[] = [];
  for (const err of validate.errors ?? []) {
    // propertyNames failures come with a second, pointerless copy; keep the first.
    if (err.keyword === 'pattern' && err.propertyName !== undefined) continue;
    const i = toIssue(err, locator);
    const key = `${i.code}|${i.path}|${i.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(i);
  }
  return out;
}
