/**
 * Reading a node config file's text: YAML 1.2 (core schema, no duplicate keys, no aliases) to
 * plain data, every value's line:column, and schema issues located at their YAML node. The
 * validator is compiled on first use (STYLE.md: no work at import time).
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { NODE_CONFIG_SCHEMA } from './config-schema.js';

/** A 1-based position in the config text. */
export interface ConfigPosition {
  readonly line: number;
  readonly column: number;
}

/** One thing wrong with a node config, located. */
export interface ConfigIssue {
  /** Dotted path of the value (`keyring.passphrase_env`, `agreements[0].file`); `''` = root. */
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** The parsed text: data, positions of every value and key, and the issues found. */
export interface ConfigSource {
  readonly data: unknown;
  /** Position of the value at each dotted path. */
  readonly positions: Readonly<Record<string, ConfigPosition>>;
  readonly issues: readonly ConfigIssue[];
}

/** Largest config accepted, in UTF-16 code units: a config is a few dozen lines. */
const MAX_CONFIG_LENGTH = 256 * 1024;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= new Ajv2020({ allErrors: true, strict: true, verbose: true }).compile(
    NODE_CONFIG_SCHEMA,
  );
  return compiled;
}

function join(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** `/agreements/0/file` → `agreements[0].file`. */
function pointerToPath(pointer: string): string {
  let out = '';
  for (const raw of pointer === '' ? [] : pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out = /^(0|[1-9]\d*)$/.test(seg) ? join(out, Number(seg)) : join(out, seg);
  }
  return out;
}

function positionsOf(
  root: YamlNode | null,
  counter: LineCounter,
): { values: Record<string, ConfigPosition>; keys: Record<string, ConfigPosition> } {
  const values: Record<string, ConfigPosition> = {};
  const keys: Record<string, ConfigPosition> = {};
  const at = (offset: number): ConfigPosition => {
    const p = counter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const walk = (node: unknown, path: string): void => {
    if (node === null || typeof node !== 'object') return;
    const range = (node as { range?: [number, number, number] }).range;
    if (range !== undefined) values[path] = at(range[0]);
    if (isMap(node))
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const child = join(path, String(pair.key.value));
        if (pair.key.range) keys[child] = at(pair.key.range[0]);
        if (pair.value === null && pair.key.range) values[child] = at(pair.key.range[0]);
        walk(pair.value, child);
      }
    else if (isSeq(node)) node.items.forEach((item, i) => walk(item, join(path, i)));
  };
  walk(root, '');
  return { values, keys };
}

function nearest(
  table: Readonly<Record<string, ConfigPosition>>,
  path: string,
): ConfigPosition | undefined {
  for (let p = path; ; p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '')) {
    const hit = table[p];
    if (hit !== undefined) return hit;
    if (p === '') return undefined;
  }
}

const ONE_OF: Readonly<Record<string, string>> = {
  store: 'write exactly one of `sqlite: { path }` or `postgres: { url | url_env }`',
  'store.postgres': 'write exactly one of `url` or `url_env`',
};

function messageOf(err: ErrorObject, path: string): string {
  const params = err.params as Record<string, unknown>;
  const where = path === '' ? 'the config' : `\`${path}\``;
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys(
        ((err.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ??
          {}) as Record<string, unknown>,
      );
      const close = allowed.find((k) => k.startsWith(key.slice(0, 3)) || key.startsWith(k));
      return `unknown key \`${key}\` in ${where}${close === undefined ? `; allowed: ${allowed.map((k) => `\`${k}\``).join(', ')}` : `; did you mean \`${close}\`?`}`;
    }
    case 'required':
      return `${where} needs \`${String(params.missingProperty)}\``;
    case 'minProperties':
    case 'maxProperties':
      return path === 'keyring'
        ? '`keyring` needs `passphrase_env` or `key_file`'
        : `${where}: ${ONE_OF[path] ?? 'wrong number of keys'}`;
    case 'type':
      return `${where} must be ${String(params.type)}`;
    case 'pattern':
      return `${where} value \`${String(err.data)}\` is not ${describePattern(path)}`;
    case 'minimum':
    case 'maximum':
      return `${where} must be ${err.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}`;
    case 'minLength':
      return `${where} must not be empty`;
    default:
      return `${where} ${err.message ?? 'is invalid'}`;
  }
}

function describePattern(path: string): string {
  if (path === 'party' || path.endsWith('.party'))
    return 'a party id (letters, digits and `.`, `_`, `+`, `:`, `-`)';
  if (path === 'name') return 'a node name (lowercase letters, digits and `-`)';
  if (path.endsWith('_env')) return 'an environment variable name';
  if (path.endsWith('retention')) return 'an iso 8601 duration such as `P365D`';
  if (path.endsWith('pull_every')) return 'an iso 8601 duration such as `PT60S`';
  if (path.startsWith('federation.peers') && path.endsWith('.url'))
    return 'an `https://host:port/path/` url';
  if (path.endsWith('.pin')) return 'a sha-256 fingerprint: 64 lowercase hex digits';
  if (path.endsWith('.agency')) return 'an agency id';
  if (path.endsWith('url')) return 'a `postgres://` url';
  return 'of the expected form';
}

/** Parses and schema-checks config text; never throws. */
export function readConfigSource(text: string): ConfigSource {
  if (text.length > MAX_CONFIG_LENGTH)
    return {
      data: undefined,
      positions: {},
      issues: [
        { path: '', line: 1, column: 1, message: `config is longer than ${MAX_CONFIG_LENGTH}` },
      ],
    };
  const counter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: counter,
    uniqueKeys: true,
    schema: 'core',
    prettyErrors: false,
  });
  const syntax = [...doc.errors, ...doc.warnings].map((e): ConfigIssue => {
    const p = e.linePos?.[0];
    return {
      path: '',
      line: p?.line ?? 1,
      column: p?.col ?? 1,
      message: e.message.split('\n')[0] ?? 'yaml syntax error',
    };
  });
  const { values, keys } = positionsOf(doc.contents, counter);
  if (syntax.length > 0) return { data: undefined, positions: values, issues: syntax };
  let hasAlias = false;
  const scan = (n: unknown): void => {
    if (isAlias(n)) hasAlias = true;
    else if (isMap(n)) for (const p of n.items) scan(p.value);
    else if (isSeq(n)) for (const i of n.items) scan(i);
  };
  scan(doc.contents);
  if (hasAlias)
    return {
      data: undefined,
      positions: values,
      issues: [{ path: '', line: 1, column: 1, message: 'yaml aliases are not allowed' }],
    };
  const data: unknown = doc.toJS() ?? {};
  const validate = validator();
  if (validate(data)) return { data, positions: values, issues: [] };
  const errors = validate.errors ?? [];
  const issues = errors.map((err): ConfigIssue => {
    const base = pointerToPath(err.instancePath);
    const params = err.params as Record<string, unknown>;
    const keyPath =
      err.keyword === 'additionalProperties'
        ? join(base, String(params.additionalProperty))
        : undefined;
    const pos = (keyPath === undefined ? undefined : keys[keyPath]) ??
      nearest(values, base) ?? { line: 1, column: 1 };
    return { path: keyPath ?? base, ...pos, message: messageOf(err, base) };
  });
  return { data, positions: values, issues: dedupe(issues) };
}

function dedupe(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}\u0000${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
