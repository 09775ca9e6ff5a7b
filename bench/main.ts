/**
 * `npm run bench [-- --json] [-- --quick] [-- --only NAME]`: runs every suite in
 * bench/suites.ts and prints its figures beside their baselines.
 */
import { SUITES } from './suites.js';
import type { Figure } from './harness.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const all: Record<string, number> = {};
const sections: { suite: string; target: string; figures: readonly Figure[] }[] = [];
for (const suite of SUITES) {
  if (only !== undefined && suite.name !== only) continue;
  log(`bench: ${suite.name} ...`);
  const figures = await suite.run({ quick, log });
  for (const f of figures) all[f.name] = f.value;
  sections.push({ suite: suite.name, target: suite.target, figures });
}

if (json) {
  process.stdout.write(`${JSON.stringify(all)}\n`);
} else {
  const fmt = (v: number): string =>
    Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3);
  for (const s of sections) {
    process.stdout.write(`\n${s.suite}\n`);
    const width = Math.max(...s.figures.map((f) => f.label.length), 10);
    for (const f of s.figures) {
      process.stdout.write(`  ${f.label.padEnd(width)}  ${fmt(f.value).padStart(14)} ${f.unit}\n`);
    }
    process.stdout.write(`  target: ${s.target}\n`);
  }
  process.stdout.write(`\n${quick ? '(--quick: rough figures)\n' : ''}node ${process.version}\n`);
}
