/**
 * Where the installed package lives. Both `src/cli/` (tests, tsx) and `dist/cli/` (the built
 * bin) sit two directories below the package root, so the same relative path serves both.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { CliIo } from './io.js';

/** Absolute path of the package root (where package.json, docs/ and examples/ are). */
export function packageRoot(): string {
  return fileURLToPath(new URL('../../', import.meta.url));
}

/** Absolute path of the bundled example agreements. */
export function examplesDir(): string {
  return join(packageRoot(), 'examples', 'agreements');
}

/** The package version from package.json (`0.0.0` if it cannot be read). */
export async function packageVersion(io: CliIo): Promise<string> {
  try {
    const pkg = JSON.parse(await io.fs.readText(join(packageRoot(), 'package.json'))) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
