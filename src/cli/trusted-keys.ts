/**
 * Reading the trusted public keys for `agreement verify --keys KEYS`: a directory of
 * `<PARTY>.pub.pem` files, or a JSON file mapping each party to a PEM (or a list of PEMs,
 * for key rotation).
 */
import { join } from 'node:path';
import type { TrustedKeys } from '../agreement/index.js';
import { CliError } from './cli-error.js';
import { readInput, readJsonInput } from './input.js';
import type { CliIo } from './io.js';

const PUB_SUFFIX = '.pub.pem';

/** Loads trusted keys from a directory or a JSON map. */
export async function readTrustedKeys(io: CliIo, path: string): Promise<TrustedKeys> {
  const kind = await io.fs.kind(path);
  if (kind === 'directory') {
    const names = (await io.fs.listDir(path)).filter((n) => n.endsWith(PUB_SUFFIX)).sort();
    if (names.length === 0)
      throw new CliError('ERR_KEY_INVALID', `no \`*${PUB_SUFFIX}\` files in \`${path}\``, {
        details: { path },
        hint: 'put one `<PARTY>.pub.pem` per party there (`concordat key generate` writes them)',
      });
    const keys: Record<string, string> = {};
    for (const name of names)
      keys[name.slice(0, -PUB_SUFFIX.length)] = await readInput(io, join(path, name));
    return keys;
  }
  const map = await readJsonInput(io, path);
  const fail = (why: string): CliError =>
    new CliError('ERR_KEY_INVALID', `\`${path}\` is not a map of party to pem: ${why}`, {
      details: { path },
      hint: 'write `{ "ARV": "-----BEGIN PUBLIC KEY-----\\n…", … }`, or pass a directory of `<PARTY>.pub.pem` files',
    });
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw fail('not an object');
  const keys: Record<string, string | string[]> = {};
  for (const [party, value] of Object.entries(map as Record<string, unknown>)) {
    if (typeof value === 'string') keys[party] = value;
    else if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string'))
      keys[party] = value;
    else throw fail(`the value of \`${party}\` is not a pem string or a list of them`);
  }
  return keys;
}
