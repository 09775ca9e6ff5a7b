/**
 * Diff of the named clauses around the tiers: parties and their constraints, agencies and
 * their certifications, officials, purposes, levels and never-release lists. Clauses are
 * matched by id, never by position.
 */
import { formatDuration, formatInstant } from '../core/index.js';
import {
  compareDuration,
  compareMatch,
  compareMinimisation,
  compareNumber,
  compareSets,
  compareText,
  describeMatch,
  push,
  type Changes,
} from './diff-fields.js';
import type { Agreement, Constraint, NeverRelease } from './model.js';

/** Walks two lists of clauses matched by id: removed ones, changed ones, then added ones. */
export function byId<T extends { readonly id: string }>(
  before: readonly T[],
  after: readonly T[],
  on: { removed(b: T): void; both(b: T, a: T): void; added(a: T): void },
): void {
  for (const b of before) {
    const a = after.find((x) => x.id === b.id);
    if (a === undefined) on.removed(b);
    else on.both(b, a);
  }
  for (const a of after) if (!before.some((x) => x.id === a.id)) on.added(a);
}

/** Rules that forbid what they match: a new rule or a broader match narrows. */
export function diffNeverRelease(
  out: Changes,
  path: string,
  label: string,
  before: readonly NeverRelease[],
  after: readonly NeverRelease[],
): void {
  byId(before, after, {
    removed: (b) =>
      push(out, {
        path: `${path}.${b.id}`,
        kind: 'removed',
        effect: 'widens',
        summary: `${label} removed (was: ${describeMatch(b.match)})`,
      }),
    added: (a) =>
      push(out, {
        path: `${path}.${a.id}`,
        kind: 'added',
        effect: 'narrows',
        summary: `${label} added: ${describeMatch(a.match)}`,
      }),
    both: (b, a) => compareMatch(out, `${path}.${b.id}.match`, b.match, a.match, false),
  });
}

function constraintText(c: Constraint): string {
  const what =
    c.kind === 'forbid'
      ? 'forbid'
      : c.kind === 'require-certification'
        ? `require ${c.certifications.join(', ')}`
        : c.kind === 'max-retention'
          ? `retain at most ${formatDuration(c.retention)}`
          : 'minimise';
  return `${what} (${c.scope}) when ${describeMatch(c.when)}`;
}

// A constraint's scope as the set of directions it governs.
const SCOPE: Readonly<Record<Constraint['scope'], readonly string[]>> = {
  outgoing: ['outgoing'],
  incoming: ['incoming'],
  both: ['incoming', 'outgoing'],
};

function compareConstraint(out: Changes, path: string, b: Constraint, a: Constraint): void {
  if (b.kind !== a.kind) {
    push(
      out,
      {
        path: `${path}.kind`,
        kind: 'changed',
        effect: 'mixed',
        summary: `constraint kind: ${b.kind} → ${a.kind}`,
      },
      b.kind,
      a.kind,
    );
    return;
  }
  // A constraint that governs more releases narrows access.
  compareSets(out, `${path}.scope`, 'scope', SCOPE[b.scope], SCOPE[a.scope], false);
  compareMatch(out, `${path}.when`, b.when, a.when, false);
  if (b.kind === 'require-certification' && a.kind === 'require-certification')
    compareSets(
      out,
      `${path}.require_certifications`,
      'required certifications',
      b.certifications,
      a.certifications,
      false,
    );
  if (b.kind === 'max-retention' && a.kind === 'max-retention')
    compareDuration(
      out,
      `${path}.max_retention`,
      'maximum retention',
      b.retention,
      a.retention,
      true,
    );
  if (b.kind === 'minimise' && a.kind === 'minimise')
    compareMinimisation(out, `${path}.minimise`, b.minimise, a.minimise);
}

/** Parties and their constraints. A new party widens (its constraints only govern flows that
 * did not exist before); a new constraint narrows. */
export function diffParties(out: Changes, before: Agreement, after: Agreement): void {
  byId(before.parties, after.parties, {
    removed: (b) =>
      push(out, {
        path: `parties.${b.id}`,
        kind: 'removed',
        effect: 'narrows',
        summary: `party ${b.name} removed`,
      }),
    added: (a) =>
      push(out, {
        path: `parties.${a.id}`,
        kind: 'added',
        effect: 'widens',
        summary: `party ${a.name} added with ${a.constraints.length} constraint(s)`,
      }),
    both: (b, a) => {
      const path = `parties.${b.id}`;
      compareText(out, `${path}.name`, 'name', b.name, a.name);
      byId(b.constraints, a.constraints, {
        removed: (c) =>
          push(out, {
            path: `${path}.constraints.${c.id}`,
            kind: 'removed',
            effect: 'widens',
            summary: `constraint removed: ${constraintText(c)}`,
          }),
        added: (c) =>
          push(out, {
            path: `${path}.constraints.${c.id}`,
            kind: 'added',
            effect: 'narrows',
            summary: `constraint added: ${constraintText(c)}`,
          }),
        both: (cb, ca) => compareConstraint(out, `${path}.constraints.${cb.id}`, cb, ca),
      });
    },
  });
}

function inSomeTier(agreement: Agreement, agency: string): boolean {
  return agreement.tiers.some((t) => t.agencies.includes(agency));
}

/** Agencies and their certifications; an agency's access itself shows on the tiers. */
export function diffAgencies(out: Changes, before: Agreement, after: Agreement): void {
  byId(before.agencies, after.agencies, {
    removed: (b) =>
      push(out, {
        path: `agencies.${b.id}`,
        kind: 'removed',
        effect: inSomeTier(before, b.id) ? 'narrows' : 'neutral',
        summary: `agency ${b.name} (${b.party}) removed`,
      }),
    added: (a) =>
      push(out, {
        path: `agencies.${a.id}`,
        kind: 'added',
        effect: inSomeTier(after, a.id) ? 'widens' : 'neutral',
        summary: `agency ${a.name} (${a.party}) added`,
      }),
    both: (b, a) => {
      const path = `agencies.${b.id}`;
      compareText(out, `${path}.party`, 'party', b.party, a.party, 'mixed');
      compareText(out, `${path}.name`, 'name', b.name, a.name);
      compareSets(out, `${path}.roles`, 'roles', b.roles, a.roles, null);
      byId(b.certifications, a.certifications, {
        removed: (c) =>
          push(out, {
            path: `${path}.certifications.${c.id}`,
            kind: 'removed',
            effect: 'narrows',
            summary: `certification ${c.id} removed`,
          }),
        added: (c) =>
          push(
            out,
            {
              path: `${path}.certifications.${c.id}`,
              kind: 'added',
              effect: 'widens',
              summary: `certification ${c.id} added, expires ${formatInstant(c.expires)}`,
            },
            undefined,
            formatInstant(c.expires),
          ),
        both: (cb, ca) =>
          compareNumber(
            out,
            `${path}.certifications.${cb.id}.expires`,
            `${cb.id} expires`,
            cb.expires,
            ca.expires,
            true,
            formatInstant,
          ),
      });
    },
  });
}

/** Officials: who may approve. Reported, neutral: approval rules carry the effect. */
export function diffOfficials(out: Changes, before: Agreement, after: Agreement): void {
  byId(before.officials, after.officials, {
    removed: (b) =>
      push(out, {
        path: `officials.${b.id}`,
        kind: 'removed',
        effect: 'neutral',
        summary: `official of ${b.party} removed`,
      }),
    added: (a) =>
      push(out, {
        path: `officials.${a.id}`,
        kind: 'added',
        effect: 'neutral',
        summary: `official of ${a.party} added`,
      }),
    both: (b, a) => {
      const path = `officials.${b.id}`;
      compareText(out, `${path}.party`, 'party', b.party, a.party);
      compareSets(out, `${path}.roles`, 'roles', b.roles, a.roles, null);
      compareText(
        out,
        `${path}.public_key`,
        'public key',
        b.publicKey ?? '(none)',
        a.publicKey ?? '(none)',
      );
    },
  });
}

/** Purposes: a new purpose may be requested (widens). */
export function diffPurposes(out: Changes, before: Agreement, after: Agreement): void {
  byId(before.purposes, after.purposes, {
    removed: (b) =>
      push(out, {
        path: `purposes.${b.id}`,
        kind: 'removed',
        effect: 'narrows',
        summary: 'purpose removed',
      }),
    added: (a) =>
      push(out, {
        path: `purposes.${a.id}`,
        kind: 'added',
        effect: 'widens',
        summary: 'purpose added',
      }),
    both: (b, a) =>
      compareText(out, `purposes.${b.id}.description`, 'description', b.description, a.description),
  });
}

/** Levels: the scale itself is neutral; rules and triggers that use it carry the effect. */
export function diffLevels(out: Changes, before: Agreement, after: Agreement): void {
  byId(before.levels, after.levels, {
    removed: (b) =>
      push(out, {
        path: `levels.${b.id}`,
        kind: 'removed',
        effect: 'neutral',
        summary: 'level removed',
      }),
    added: (a) =>
      push(out, {
        path: `levels.${a.id}`,
        kind: 'added',
        effect: 'neutral',
        summary: `level added at position ${a.index}`,
      }),
    both: () => undefined,
  });
  const common = (list: Agreement['levels'], other: Agreement['levels']): string[] =>
    list.filter((l) => other.some((o) => o.id === l.id)).map((l) => l.id);
  const b = common(before.levels, after.levels);
  const a = common(after.levels, before.levels);
  if (b.join('\n') !== a.join('\n'))
    push(
      out,
      {
        path: 'levels',
        kind: 'changed',
        effect: 'mixed',
        summary: `levels reordered: ${b.join(' < ')} → ${a.join(' < ')}`,
      },
      b,
      a,
    );
}
