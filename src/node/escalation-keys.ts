/**
 * The public keys of officials an agreement does not pin (node config
 * `agreements[].official_keys`): a directory of `<OFFICIAL>.pub.pem`, or a JSON map of official
 * id to a PEM or a list of PEMs. The escalation fold verifies approvals against them; a key
 * pinned in the agreement always wins (docs/spec/escalation.md "Approval").
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConcordatError } from '../core/index.js';
import type { KeyRegistry } from '../escalation/index.js';

const PUB_SUFFIX = '.pub.pem';

function unreadable(file: string, cause: unknown): ConcordatError {
  const code = String((cause as { code?: unknown }).code ?? 'read failed');
  return new ConcordatError(
    'ERR_INPUT_UNREADABLE',
    `cannot read officials' keys \`${file}\` (\`official_keys\` in the node config): ${code === 'ENOENT' ? 'no such file' : code}`,
    { cause, details: { path: file } },
  );
}

/**
 * Reads an officials' key registry from `file` (a directory or a JSON map).
 *
 * @throws ConcordatError `ERR_INPUT_UNREADABLE` when it cannot be read, `ERR_KEY_INVALID` when
 *   it is neither a directory of `<OFFICIAL>.pub.pem` nor a JSON map of official to PEM(s).
 */
export async function loadOfficialKeys(file: string): Promise<KeyRegistry> {
  let isDir: boolean;
  try {
    isDir = (await stat(file)).isDirectory();
  } catch (cause) {
    throw unreadable(file, cause);
  }
  const keys: Record<string, string[]> = {};
  if (isDir) {
    for (const name of (await readdir(file)).filter((n) => n.endsWith(PUB_SUFFIX)).sort())
      keys[name.slice(0, -PUB_SUFFIX.length)] = [await readFile(join(file, name), 'utf8')];
    return keys;
  }
  let map: unknown;
  try {
    map = JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (cause) {
    if (cause instanceof SyntaxError) map = undefined;
    else throw unreadable(file, cause);
  }
  const bad = new ConcordatError(
    'ERR_KEY_INVALID',
    `officials' keys \`${file}\` is neither a directory of <OFFICIAL>.pub.pem nor a json map of official to pem (or a list of pems)`,
  );
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw bad;
  for (const [official, value] of Object.entries(map as Record<string, unknown>)) {
    const pems = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(pems) || !pems.every((p): p is string => typeof p === 'string')) throw bad;
    keys[official] = pems;
  }
  return keys;
}
