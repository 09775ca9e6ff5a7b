/**
 * Writes docs/agreement.schema.json from `AGREEMENT_SCHEMA` (src/agreement/schema.ts), formatted
 * as the repository's prettier config formats it, so `npm run format:check` and
 * test/agreement/schema.test.ts both accept the result.
 *
 * Run: `npx tsx scripts/gen-agreement-schema.ts` (`--check` exits 1 instead of writing when the
 * file is stale).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { renderAgreementSchema } from '../src/agreement/schema.js';

/** Where the generated schema lives. */
export const SCHEMA_FILE = fileURLToPath(new URL('../docs/agreement.schema.json', import.meta.url));

/** The exact text docs/agreement.schema.json must have. */
export async function generatedAgreementSchema(): Promise<string> {
  const config = (await resolveConfig(SCHEMA_FILE)) ?? {};
  return format(renderAgreementSchema(), { ...config, filepath: SCHEMA_FILE });
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = await generatedAgreementSchema();
  if (process.argv.includes('--check')) {
    const current = readFileSync(SCHEMA_FILE, 'utf8');
    if (current !== text) {
      process.stderr.write(
        'docs/agreement.schema.json is stale: run npx tsx scripts/gen-agreement-schema.ts\n',
      );
      process.exit(1);
    }
  } else {
    writeFileSync(SCHEMA_FILE, text);
  }
}
