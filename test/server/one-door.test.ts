/**
 * The one-door architecture test (DESIGN.md invariant 2). Statically, over every file of
 * src/server/ and src/release/:
 * - only src/server/door.ts imports the store's object repository, sealed content or ledger,
 *   or decrypts (`openRecord`, `vault.read`), and it calls `release()`;
 * - no server file takes a value from the vault module; other store imports are pure
 *   formatting helpers (timestamps, page tokens);
 * - route modules get `RouteDeps`, which holds neither the database nor the vault;
 * - src/release imports no adapter.
 * The checker is also run on hand-written violations, so the test can fail.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const STORE_HELPERS = new Set([
  'microsToInstant',
  'instantToMicros',
  'encodeCursor',
  'decodeCursor',
]);
const DOOR = 'src/server/door.ts';
/** What the door (only) takes from the store: listings, sealed content, the ledger. */
const DOOR_STORE = new Set(['objects', 'sealedContent', 'ledgerEntries']);

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

interface ValueImport {
  readonly module: string;
  readonly names: readonly string[];
}

/** Value (non-type) imports of a source file, by resolved module directory. */
function valueImports(path: string, text: string): ValueImport[] {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const out: ValueImport[] = [];
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) && !ts.isExportDeclaration(st)) continue;
    const spec = st.moduleSpecifier;
    if (spec === undefined || !ts.isStringLiteral(spec)) continue;
    const clause = ts.isImportDeclaration(st) ? st.importClause : undefined;
    if (clause?.isTypeOnly === true || (ts.isExportDeclaration(st) && st.isTypeOnly)) continue;
    const names: string[] = [];
    const bindings = clause?.namedBindings;
    if (bindings !== undefined && ts.isNamedImports(bindings))
      for (const el of bindings.elements) if (!el.isTypeOnly) names.push(el.name.text);
    if (bindings !== undefined && ts.isNamespaceImport(bindings)) names.push('*');
    if (clause?.name !== undefined) names.push('default');
    const module = spec.text.startsWith('.')
      ? relative(ROOT, join(ROOT, path, '..', spec.text)).replace(/\/index\.js$/, '')
      : spec.text;
    out.push({ module, names });
  }
  return out;
}

/** Every one-door violation in one server file. */
function violations(path: string, text: string): string[] {
  const out: string[] = [];
  const isDoor = path === DOOR;
  for (const imp of valueImports(path, text)) {
    if (imp.module === 'src/vault') out.push(`${path}: takes values from the vault`);
    if (imp.module === 'src/node') out.push(`${path}: imports node/ (ingest is a port)`);
    if (imp.module === 'src/store')
      for (const n of imp.names)
        if (!STORE_HELPERS.has(n) && !(isDoor && DOOR_STORE.has(n)))
          out.push(`${path}: imports \`${n}\` from the store`);
  }
  if (
    !isDoor &&
    /\bopenRecord\b|\bvault\s*\.\s*read\b|\bobjects\s*\.\s*(find|manifest|versions|get|getMeta)\b|\bsealedContent\b/.test(
      text,
    )
  )
    out.push(`${path}: reads or decrypts stored objects outside the door`);
  if (!isDoor && /\bctx\s*\.\s*(db|vault)\b/.test(text) && !path.endsWith('build-server.ts'))
    out.push(`${path}: reaches the database or the vault`);
  return out;
}

describe('one door', () => {
  const server = files('src/server');

  it('finds the server files it checks', () => {
    expect(server).toContain(DOOR);
    expect(server.some((f) => f.startsWith('src/server/routes/'))).toBe(true);
  });

  it('no server file reaches stored intel except through the door', () => {
    const found = server.flatMap((f) => violations(f, readFileSync(join(ROOT, f), 'utf8')));
    expect(found).toEqual([]);
  });

  it('the door hands what it reads to release() and nothing else', () => {
    const text = readFileSync(join(ROOT, DOOR), 'utf8');
    expect(valueImports(DOOR, text)).toContainEqual({
      module: 'src/release',
      names: expect.arrayContaining(['release']) as unknown,
    });
    // Every decrypt happens inside the ports object given to release().
    const ports = text.slice(
      text.indexOf('function portsFor'),
      text.indexOf('export function makeDoor'),
    );
    expect(ports).toContain('openRecord');
    expect(text.split('vault.openRecord(').length - 1).toBe(1);
    // Candidates are listed without content; content is read only for what release() opens.
    expect(ports).toContain('objects.manifest(');
    expect(text.split('sealedContent.bySeq(').length - 1).toBe(1);
    expect(ports).toContain('sealedContent.bySeq(');
    expect(text).not.toMatch(/\bobjects\s*\.\s*(find|get)\b/);
  });

  it('route modules are given no database and no vault', () => {
    const deps = readFileSync(join(ROOT, 'src/server/route-deps.ts'), 'utf8');
    const iface = deps.slice(
      deps.indexOf('export interface RouteDeps'),
      deps.indexOf('}', deps.indexOf('export interface RouteDeps')),
    );
    expect(iface).not.toMatch(/\b(db|vault|database)\s*:/);
    for (const f of server.filter((x) => x.startsWith('src/server/routes/'))) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      expect(text, f).not.toMatch(/\bdb\b|\bvault\b/);
    }
  });

  it('release/ imports no adapter', () => {
    for (const f of files('src/release')) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      const sf = ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true);
      for (const st of sf.statements)
        if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier))
          expect(st.moduleSpecifier.text, f).not.toMatch(
            /\/(store|vault|server|node|federation|cli)\//,
          );
    }
  });

  it('flags hand-written violations (the checker can fail)', () => {
    const bad: [string, string][] = [
      ['src/server/routes/x.ts', "import { objects } from '../../store/index.js';"],
      ['src/server/routes/x.ts', "import { createVault } from '../../vault/index.js';"],
      ['src/server/routes/x.ts', 'const b = await deps.vaultish; await v.openRecord(db, r);'],
      ['src/server/x.ts', 'const p = await objects.manifest(q, {});'],
      ['src/server/x.ts', 'const s = await sealedContent.bySeq(db, [1]);'],
      ['src/server/routes/x.ts', "import { sealedContent } from '../../store/index.js';"],
      ['src/server/x.ts', 'const v = ctx.vault;'],
      ['src/server/x.ts', "import { ingestBundle } from '../node/index.js';"],
    ];
    for (const [path, text] of bad) expect(violations(path, text), text).not.toEqual([]);
    expect(
      violations('src/server/x.ts', "import type { Vault } from '../vault/index.js';"),
    ).toEqual([]);
  });
});
