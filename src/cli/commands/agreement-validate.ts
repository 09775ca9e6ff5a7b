/**
 * `concordat agreement validate FILE…`: every issue of every file, one per line
 * (`FILE:line:column  error  code  message  (path)`), a summary, exit 1 if any error.
 */
import type { Command } from 'commander';
import type { AgreementIssue } from '../../agreement/index.js';
import { action, type CommandContext, type RunState } from '../context.js';
import { displayName } from '../input.js';
import type { CliIo } from '../io.js';
import { parseFile, where } from '../load-agreement.js';
import { formatTable } from '../style.js';

/** One file's verdict, as `--json` prints it. */
export interface FileReport {
  readonly file: string;
  readonly ok: boolean;
  readonly errors: number;
  readonly warnings: number;
  readonly agreement?: { readonly id: string; readonly version: number };
  readonly issues: readonly AgreementIssue[];
}

/** Validates files and reports; returns the reports (the walkthrough reuses it). */
export async function validateFiles(
  ctx: CommandContext,
  files: readonly string[],
): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  const bar = ctx.progress(files.length, 'validating');
  try {
    for (const file of files) {
      const { result } = await parseFile(ctx.io, file);
      const errors = result.issues.filter((i) => i.severity === 'error').length;
      reports.push({
        file: displayName(file),
        ok: result.ok,
        errors,
        warnings: result.issues.length - errors,
        ...(result.ok
          ? { agreement: { id: result.agreement.id, version: result.agreement.version } }
          : {}),
        issues: result.issues,
      });
      bar.tick();
    }
  } finally {
    bar.stop();
  }
  return reports;
}

/** Prints reports as human lines. */
export function printReports(ctx: CommandContext, reports: readonly FileReport[]): void {
  const { style } = ctx;
  const rows = reports.flatMap((r) =>
    r.issues.map((i) => [
      where(r.file, i),
      i.severity === 'error' ? style.red('error') : style.yellow('warning'),
      style.bold(i.code),
      i.message,
      style.dim(`(${i.path === '' ? '$' : i.path})`),
    ]),
  );
  for (const line of formatTable(rows)) ctx.line(line);
  if (rows.length > 0) ctx.line();
  for (const r of reports) {
    const counts = `${r.errors} error${r.errors === 1 ? '' : 's'}, ${r.warnings} warning${r.warnings === 1 ? '' : 's'}`;
    if (r.ok)
      ctx.line(
        `${style.green('✓')} ${r.file}: valid — ${r.agreement?.id ?? '?'} v${r.agreement?.version ?? '?'} (${counts})`,
      );
    else ctx.line(`${style.red('✗')} ${r.file}: invalid (${counts})`);
  }
  if (reports.length > 1) {
    const bad = reports.filter((r) => !r.ok).length;
    ctx.line(`${reports.length} files checked: ${reports.length - bad} valid, ${bad} invalid`);
  }
}

/** Registers `agreement validate`. */
export function registerValidate(parent: Command, io: CliIo, state: RunState): void {
  parent
    .command('validate')
    .description('check agreement files and list every issue with its line:column')
    .argument('<file...>', 'agreement files (YAML or JSON); `-` reads standard input')
    .addHelpText(
      'after',
      `
Exit 0 when every file is valid (warnings allowed), 1 when any has an error.

Example:
  $ concordat agreement validate examples/agreements/northsea-compact.yaml
  ✓ examples/agreements/northsea-compact.yaml: valid — northsea-cti-compact v3 (0 errors, 0 warnings)`,
    )
    .action(
      action(io, state, async (ctx, files: string[]) => {
        const reports = await validateFiles(ctx, files);
        const ok = reports.every((r) => r.ok);
        if (ctx.json) ctx.emitJson({ ok, files: reports });
        else printReports(ctx, reports);
        if (!ok) ctx.fail(1);
      }),
    );
}
