/**
 * Reads agreement source text (YAML 1.2 or JSON) into plain JSON data and a locator that maps
 * every path back to its 1-based line:column. The JSON data is what later gets canonicalised
 * (RFC 8785) and signed, so the YAML must mean exactly one JSON value: the YAML 1.2 core schema
 * (timestamps stay strings, `on`/`yes` stay strings), no duplicate keys, no anchors, aliases,
 * merge keys or custom tags.
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Node as YamlNode,
} from 'yaml';
import { ISSUE_CODES, type AgreementIssue, type IssueCode } from './issue-codes.js';

/** Plain JSON data. */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A 1-based position in the source text. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Maps a path (`tiers.operational.release[0]`) to where it was written. */
export interface Locator {
  /** The position of the value at `path`, or of the nearest ancestor that was written. */
  at(path: string): Position;
  /** The position of the key introducing `path` (for unknown keys), else `at(path)`. */
  keyAt(path: string): Position;
}

/** Largest source accepted, in UTF-16 code units: an agreement is a few hundred lines. */
export const MAX_SOURCE_LENGTH = 1_048_576;

/** Deepest nesting accepted; agreements nest about seven levels. */
const MAX_DEPTH = 64;

const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_+-]*$/;

/** Appends a key or index to a path: `a.b`, `a[0]`, `a["x.y"]`. */
export function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (PLAIN_KEY.test(key)) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** Builds an issue with the registry's severity. */
export function issue(
  code: IssueCode,
  message: string,
  path: string,
  pos: Position,
): AgreementIssue {
  return {
    code,
    severity: ISSUE_CODES[code].severity,
    message,
    path,
    line: pos.line,
    column: pos.column,
  };
}

/** The result of reading source text. `document` is absent when the text has errors. */
export interface SourceRead {
  readonly document?: JsonValue;
  readonly locator: Locator;
  readonly issues: readonly AgreementIssue[];
}

function offsetToPosition(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Reads `text` as YAML 1.2 (or strict JSON when `format` is `json`). Never throws. */
export function readSource(text: string, format: 'yaml' | 'json'): SourceRead {
  const values = new Map<string, Position>();
  const keys = new Map<string, Position>();
  const start: Position = { line: 1, column: 1 };
  const locator: Locator = {
    at(path) {
      for (let p: string | undefined = path; p !== undefined; p = parentPath(p)) {
        const pos = values.get(p) ?? keys.get(p);
        if (pos !== undefined) return pos;
      }
      return start;
    },
    keyAt(path) {
      return keys.get(path) ?? locator.at(path);
    },
  };
  if (text.length > MAX_SOURCE_LENGTH) {
    return {
      locator,
      issues: [
        issue(
          'too-large',
          `the source is \`${text.length}\` characters long; the limit is \`${MAX_SOURCE_LENGTH}\``,
          '',
          start,
        ),
      ],
    };
  }
  const issues: AgreementIssue[] = [];
  let jsonError: string | undefined;
  if (format === 'json') {
    try {
      JSON.parse(text);
    } catch (err) {
      jsonError = err instanceof Error ? err.message : String(err);
    }
  }
  const lineCounter = new LineCounter();
  let doc;
  try {
    doc = parseDocument(text, {
      version: '1.2',
      schema: format === 'json' ? 'json' : 'core',
      uniqueKeys: true,
      merge: false,
      strict: true,
      prettyErrors: false,
      lineCounter,
    });
  } catch (err) {
    // The parser recurses per nesting level; absurd nesting exhausts the stack.
    const msg = err instanceof Error ? err.message : String(err);
    return { locator, issues: [issue('syntax', `unreadable: ${msg.toLowerCase()}`, '', start)] };
  }
  const pos = (offset: number): Position => {
    const lp = lineCounter.linePos(offset);
    return { line: lp.line, column: lp.col };
  };
  if (jsonError !== undefined && doc.errors.length === 0) {
    // The YAML reader (used for locations) accepted what JSON rejects: report JSON's words.
    const m = /position (\d+)/.exec(jsonError);
    const at = m?.[1] === undefined ? start : offsetToPosition(text, Number(m[1]));
    return {
      locator,
      issues: [issue('syntax', `not well-formed json: ${jsonError.toLowerCase()}`, '', at)],
    };
  }
  for (const e of doc.errors) {
    const code: IssueCode = e.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'syntax';
    const text0 = e.message.split('\n')[0] ?? e.message;
    issues.push(issue(code, text0.charAt(0).toLowerCase() + text0.slice(1), '', pos(e.pos[0])));
  }
  for (const w of doc.warnings) {
    if (w.code === 'TAG_RESOLVE_FAILED') continue; // reported below with its path
    issues.push(issue('syntax', w.message.toLowerCase(), '', pos(w.pos[0])));
  }

  const walk = (
    node: unknown,
    path: string,
    depth: number,
    keyOffsets: Map<number, string>,
  ): JsonValue => {
    if (depth > MAX_DEPTH) {
      issues.push(
        issue('syntax', `nesting deeper than \`${MAX_DEPTH}\` levels`, path, locator.at(path)),
      );
      return null;
    }
    if (isAlias(node)) {
      issues.push(
        issue(
          'yaml-anchor',
          `alias \`*${node.source}\` is not allowed; write the value out in full`,
          path,
          pos(node.range?.[0] ?? 0),
        ),
      );
      return null;
    }
    if (node === null || node === undefined) return null;
    const n = node as YamlNode;
    if (n.range) values.set(path, pos(n.range[0]));
    if (n.anchor !== undefined) {
      issues.push(
        issue(
          'yaml-anchor',
          `anchor \`&${n.anchor}\` is not allowed; write every value out in full`,
          path,
          locator.at(path),
        ),
      );
    }
    if (n.tag !== undefined && !CORE_TAGS.has(n.tag)) {
      issues.push(
        issue('yaml-tag', `tag \`${n.tag}\` is not allowed; remove it`, path, locator.at(path)),
      );
    }
    if (isScalar(n)) {
      const v = n.value;
      if (typeof v === 'number' && !Number.isFinite(v)) {
        issues.push(
          issue(
            'not-json',
            `\`${String(n.source ?? v)}\` is not a json number`,
            path,
            locator.at(path),
          ),
        );
        return null;
      }
      if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string')
        return v;
      issues.push(issue('not-json', 'a value with no json form', path, locator.at(path)));
      return null;
    }
    if (isSeq(n))
      return n.items.map((item, i) => walk(item, joinPath(path, i), depth + 1, keyOffsets));
    if (isMap(n)) {
      const out: Record<string, JsonValue> = {};
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        const k = pair.key;
        if (!isScalar(k) || typeof k.value !== 'string') {
          const kpos = pos((k as YamlNode | null)?.range?.[0] ?? n.range?.[0] ?? 0);
          const shown = isScalar(k) ? String(k.value) : 'a collection';
          issues.push(issue('not-json', `key \`${shown}\` is not a string; quote it`, path, kpos));
          continue;
        }
        const key = k.value;
        const child = joinPath(path, key);
        const keyNode = k as YamlNode | null;
        if (keyNode?.range) {
          keys.set(child, pos(keyNode.range[0]));
          keyOffsets.set(keyNode.range[0], child);
        }
        if (key === '<<' && k.type === 'PLAIN') {
          issues.push(
            issue(
              'yaml-anchor',
              'merge key `<<` is not allowed; write every key out in full',
              child,
              locator.keyAt(child),
            ),
          );
          continue;
        }
        if (keyNode?.tag !== undefined && !CORE_TAGS.has(keyNode.tag)) {
          issues.push(
            issue(
              'yaml-tag',
              `tag \`${keyNode.tag}\` is not allowed; remove it`,
              child,
              locator.keyAt(child),
            ),
          );
        }
        // Null values (`key:` with nothing after) have no useful range; point at the key.
        const v = pair.value as YamlNode | null;
        if (v === null || (isScalar(v) && v.value === null && v.source === '')) {
          out[key] = null;
          continue;
        }
        out[key] = walk(v, child, depth + 1, keyOffsets);
      }
      return out;
    }
    issues.push(issue('not-json', 'a value with no json form', path, locator.at(path)));
    return null;
  };
  const keyOffsets = new Map<number, string>();
  const document = walk(doc.contents, '', 0, keyOffsets);
  // The parser reports a duplicate key by offset only; name it by its path.
  for (let i = 0; i < issues.length; i++) {
    const found = issues[i];
    if (found?.code !== 'duplicate-key') continue;
    for (const [offset, path] of keyOffsets) {
      const p = pos(offset);
      if (p.line === found.line && p.column === found.column) {
        issues[i] = issue('duplicate-key', `key \`${path}\` is written twice; keep one`, path, p);
        break;
      }
    }
  }
  if (doc.contents === null) values.set('', start);
  const sorted = issues.sort((a, b) => a.line - b.line || a.column - b.column);
  return sorted.some((i) => i.severity === 'error')
    ? { locator, issues: sorted }
    : { document, locator, issues: sorted };
}

/** The parent of a path: `a.b[0]` → `a.b` → `a` → `` → undefined. */
export function parentPath(path: string): string | undefined {
  if (path === '') return undefined;
  const m = /^(.*?)(?:\.[A-Za-z_][A-Za-z0-9_+-]*|\[(?:\d+|"(?:[^"\\]|\\.)*")\])$/.exec(path);
  return m?.[1] ?? '';
}
