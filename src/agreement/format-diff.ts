/**
 * The human form of an agreement diff: a header with the verdict, then one line per change,
 * grouped by section, marked `+` added, `−` removed, `~` changed, with the effect on access.
 */
import type { AgreementDiff } from './diff.js';
import type { DiffChange, DiffEffect } from './diff-fields.js';

const MARKER: Readonly<Record<DiffChange['kind'], string>> = {
  added: '+',
  removed: '−',
  changed: '~',
};

const SECTION_TITLE: Readonly<Record<string, string>> = {
  title: 'agreement',
  effective: 'agreement',
  parties: 'parties and constraints',
  agencies: 'agencies and certifications',
  officials: 'officials',
  purposes: 'purposes',
  levels: 'levels',
  core: 'core protections',
  tiers: 'tiers and rules',
  extensions: 'extensions',
  triggers: 'triggers',
  waivers: 'waivers',
  reviews: 'reviews',
  sanctions: 'sanctions',
  disputes: 'disputes',
};

function counts(changes: readonly DiffChange[]): string {
  const order: readonly DiffEffect[] = ['widens', 'narrows', 'mixed', 'neutral'];
  return order
    .map((e) => [e, changes.filter((c) => c.effect === e).length] as const)
    .filter(([, n]) => n > 0)
    .map(([e, n]) => `${n} ${e}`)
    .join(', ');
}

/**
 * Formats a diff for people: `agreement v3 → v4: widens (2 widens, 1 neutral)`, then the
 * changes grouped by section, e.g. `  ~ tiers.operational.rules.op-indicators.tlp  [widens]
 * tlp: +red`. Ends with a newline.
 */
export function formatDiff(diff: AgreementDiff): string {
  const { before, after, changes } = diff;
  const name = before.id === after.id ? before.id : `${before.id} → ${after.id}`;
  const lines = [`${name} v${before.version} → v${after.version}: ${diff.verdict}`];
  if (changes.length === 0) return `${lines[0]} (no changes)\n`;
  lines[0] += ` (${counts(changes)})`;
  let section: string | undefined;
  for (const change of changes) {
    const head = change.path.split('.')[0] ?? change.path;
    const title = SECTION_TITLE[head] ?? head;
    if (title !== section) {
      lines.push('', title);
      section = title;
    }
    lines.push(`  ${MARKER[change.kind]} ${change.path}  [${change.effect}]  ${change.summary}`);
  }
  return `${lines.join('\n')}\n`;
}
