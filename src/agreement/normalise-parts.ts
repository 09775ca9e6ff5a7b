/**
 * Normalisation of the small, reusable pieces of the source: matches, minimisations,
 * handlings, durations and instants. Each reports what it cannot read into the shared issue
 * list and returns a placeholder, so the rest of the agreement can still be checked.
 */
import {
  fixedDurationMs,
  isFixedDuration,
  parseDuration,
  parseInstant,
  type Duration,
} from '../core/index.js';
import { NO_MINIMISATION } from './minimisation.js';
import type { Handling, Match, Minimisation } from './model.js';
import type { AgreementIssue } from './issue-codes.js';
import type { HandlingSource, MatchSource, MinimiseSource } from './source.js';
import { durationMessage } from './schema-check.js';
import { issue, joinPath, type Locator } from './yaml-source.js';

/** Where normalisation reports and looks up locations. */
export interface NormaliseContext {
  readonly locator: Locator;
  readonly issues: AgreementIssue[];
  /**
   * Placeholders returned for unreadable durations: checks that compare durations skip them,
   * so one bad duration yields one issue, not a cascade.
   */
  readonly badDurations: WeakSet<Duration>;
}

/** The zero duration used as a placeholder; a fresh object each time (see `badDurations`). */
function placeholder(): Duration {
  return { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
}

/** Parses the duration at `path`, reporting `bad-duration` when malformed. */
export function durationAt(ctx: NormaliseContext, text: string, path: string): Duration {
  const d = parseDuration(text);
  if (d !== undefined) return d;
  ctx.issues.push(issue('bad-duration', durationMessage(path, text), path, ctx.locator.at(path)));
  const p = placeholder();
  ctx.badDurations.add(p);
  return p;
}

/** Parses the instant at `path`, reporting `bad-timestamp` when malformed or impossible. */
export function instantAt(ctx: NormaliseContext, text: string, path: string): number {
  const t = parseInstant(text);
  if (t !== undefined) return t;
  ctx.issues.push(
    issue(
      'bad-timestamp',
      `\`${path}\` is \`${text}\`, not a real rfc 3339 timestamp like \`2026-01-01T00:00:00Z\` or a date like \`2026-01-01\``,
      path,
      ctx.locator.at(path),
    ),
  );
  return 0;
}

/** `match`/`when`/`forbid` → `Match`, keeping only the keys written. */
export function normaliseMatch(m: MatchSource | undefined): Match {
  if (m === undefined) return {};
  return {
    ...(m.types !== undefined ? { types: [...m.types] } : {}),
    ...(m.tlp !== undefined ? { tlp: [...m.tlp] } : {}),
    ...(m.personal_data !== undefined ? { personalData: [...m.personal_data] } : {}),
    ...(m.rsit !== undefined ? { rsit: [...m.rsit] } : {}),
    ...(m.purposes !== undefined ? { purposes: [...m.purposes] } : {}),
    ...(m.from_parties !== undefined ? { fromParties: [...m.from_parties] } : {}),
    ...(m.to_parties !== undefined ? { toParties: [...m.to_parties] } : {}),
    ...(m.to_agencies !== undefined ? { toAgencies: [...m.to_agencies] } : {}),
  };
}

/**
 * `minimise` → `Minimisation`. Unwritten fields take `base`'s value (the identity by default);
 * `coarsen_timestamps` must have a fixed length, so calendar durations are rejected there.
 */
export function normaliseMinimise(
  ctx: NormaliseContext,
  m: MinimiseSource | undefined,
  path: string,
  base: Minimisation = NO_MINIMISATION,
): Minimisation {
  if (m === undefined) return base;
  const drop = [...new Set(m.drop ?? base.drop)].sort();
  const dropped = new Set(drop);
  const pseudonymise = [...new Set(m.pseudonymise ?? base.pseudonymise)]
    .filter((p) => !dropped.has(p))
    .sort();
  let timePrecisionMs = base.timePrecisionMs;
  if (m.coarsen_timestamps !== undefined) {
    const at = joinPath(path, 'coarsen_timestamps');
    const d = durationAt(ctx, m.coarsen_timestamps, at);
    if (!isFixedDuration(d)) {
      ctx.issues.push(
        issue(
          'calendar-duration',
          `\`${at}\` is \`${m.coarsen_timestamps}\`; timestamps coarsen to a fixed length, so write days or less (e.g. \`P1D\`), not years or months`,
          at,
          ctx.locator.at(at),
        ),
      );
    } else {
      timePrecisionMs = fixedDurationMs(d);
    }
  }
  return {
    drop,
    pseudonymise,
    ipv4Prefix: m.ipv4_prefix ?? base.ipv4Prefix,
    ipv6Prefix: m.ipv6_prefix ?? base.ipv6Prefix,
    timePrecisionMs,
    stripSourceRefs: m.strip_source_refs ?? base.stripSourceRefs,
  };
}

/** `handling` → `Handling`; unwritten keys come from `base`. */
export function normaliseHandling(h: HandlingSource | undefined, base: Handling): Handling {
  return { pap: h?.pap ?? base.pap, onwardSharing: h?.onward_sharing ?? base.onwardSharing };
}
