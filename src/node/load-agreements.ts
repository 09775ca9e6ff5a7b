/**
 * Loading the agreements a node takes part in: read, parse, validate, check the node's party
 * is a party, verify the detached signatures when the config names them, compile.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { agreementDigest, parseAgreement, verifyAgreementSignatures } from '../agreement/index.js';
import type { Agreement, TrustedKeys } from '../agreement/index.js';
import { ConcordatError } from '../core/index.js';
import { compileAgreement } from '../policy/index.js';
import type { CompiledEngine } from '../policy/index.js';
import { configError, configWhere } from './config.js';
import type { NodeConfig } from './config.js';

/** One agreement in force at the node. */
export interface NodeAgreement {
  readonly agreement: Agreement;
  /** Compiled once, at open. */
  readonly engine: CompiledEngine;
  /** The JSON data of the source: what is digested and signed. */
  readonly document: unknown;
  /** `sha256:<hex>` of the canonical document. */
  readonly digest: string;
  /** The file it came from. */
  readonly file: string;
  /** Parties with a valid signature (empty when the config names no signature file). */
  readonly signedBy: readonly string[];
}

/** Reads a file the config names; a failure is a config issue located at `path`. */
export async function readConfigured(
  config: NodeConfig,
  path: string,
  file: string,
): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    const code = String((cause as { code?: unknown }).code ?? 'read failed');
    const p = config.positions[path] ?? { line: 1, column: 1 };
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code;
    throw configError(config.file, [
      { path, ...p, message: `cannot read \`${file}\` (\`${path}\`): ${why}` },
    ]);
  }
}

const PUB_SUFFIX = '.pub.pem';

async function trustedKeys(config: NodeConfig, path: string, file: string): Promise<TrustedKeys> {
  const isDir = await stat(file).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (isDir) {
    const keys: Record<string, string> = {};
    for (const name of (await readdir(file)).filter((n) => n.endsWith(PUB_SUFFIX)).sort())
      keys[name.slice(0, -PUB_SUFFIX.length)] = await readConfigured(
        config,
        path,
        join(file, name),
      );
    return keys;
  }
  const text = await readConfigured(config, path, file);
  let map: unknown;
  try {
    map = JSON.parse(text);
  } catch {
    map = undefined;
  }
  if (typeof map !== 'object' || map === null || Array.isArray(map))
    throw new ConcordatError(
      'ERR_KEY_INVALID',
      `\`${file}\` (${configWhere(config, path)}) is neither a directory of <PARTY>.pub.pem nor a json map of party to pem`,
    );
  return map as TrustedKeys;
}

/** Loads every configured agreement, keyed by agreement id. */
export async function loadAgreements(config: NodeConfig): Promise<Map<string, NodeAgreement>> {
  const out = new Map<string, NodeAgreement>();
  for (const [i, a] of config.agreements.entries()) {
    const at = `agreements[${i}]`;
    const text = await readConfigured(config, `${at}.file`, a.file);
    const parsed = parseAgreement(text, {
      format: a.file.toLowerCase().endsWith('.json') ? 'json' : 'yaml',
      sourceName: a.file,
    });
    if (!parsed.ok) {
      const errors = parsed.issues.filter((x) => x.severity === 'error');
      const first = errors[0];
      throw new ConcordatError(
        'ERR_AGREEMENT_INVALID',
        `agreement \`${a.file}\` (${configWhere(config, `${at}.file`)}) is invalid: ${errors.length} error(s)` +
          (first === undefined ? '' : `; first: ${first.code} ${first.message}`),
        { details: parsed.issues },
      );
    }
    const { agreement, document } = parsed;
    if (!agreement.parties.some((p) => p.id === config.party))
      throw configError(config.file, [
        {
          path: 'party',
          ...(config.positions['party'] ?? { line: 1, column: 1 }),
          message: `party \`${config.party}\` is not a party of agreement \`${agreement.id}\` (${a.file}); its parties: ${agreement.parties.map((p) => p.id).join(', ')}`,
        },
      ]);
    if (out.has(agreement.id))
      throw configError(config.file, [
        {
          path: at,
          ...(config.positions[at] ?? { line: 1, column: 1 }),
          message: `agreement \`${agreement.id}\` is configured twice`,
        },
      ]);
    let signedBy: readonly string[] = [];
    if (a.signatures !== undefined && a.keys !== undefined) {
      const sigText = await readConfigured(config, `${at}.signatures`, a.signatures);
      let sigFile: unknown;
      try {
        sigFile = JSON.parse(sigText);
      } catch {
        sigFile = undefined;
      }
      const result = verifyAgreementSignatures(
        document,
        sigFile,
        await trustedKeys(config, `${at}.keys`, a.keys),
      );
      if (!result.ok)
        throw new ConcordatError(
          'ERR_AGREEMENT_NOT_SIGNED',
          `agreement \`${agreement.id}\` is not signed by every party` +
            (result.missing.length > 0 ? `; missing: ${result.missing.join(', ')}` : '') +
            (result.problems.length > 0 || result.signatures.some((s) => !s.valid)
              ? '; some signatures are invalid'
              : ''),
          { details: result },
        );
      signedBy = result.signed;
    }
    out.set(agreement.id, {
      agreement,
      engine: compileAgreement(agreement),
      document,
      digest: agreementDigest(document),
      file: a.file,
      signedBy,
    });
  }
  return out;
}
