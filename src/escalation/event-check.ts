/**
 * Structural checks of escalation events as they come from the ledger or an API (plain JSON):
 * every problem, each naming the member. Meaning (known names, standing, signatures) is checked
 * by the fold, which records every reason an event was rejected.
 */
import { PERSONAL_DATA_CATEGORIES, RSIT_CLASSES, TLP_LABELS } from '../agreement/index.js';
import { ESCALATION_EVENT_VERSION } from './events.js';
import type { EscalationEventType } from './events.js';

const TYPES: readonly EscalationEventType[] = [
  'risk-rating-published',
  'intel-quality-observed',
  'incident-signal',
  'escalation-proposed',
  'approval',
  'level-raised',
  'level-lowered',
  'level-renewed',
  'waiver-requested',
  'waiver-approved',
  'waiver-closed',
  'waiver-review-filed',
  'pause',
  'resume',
  'certification-revoked',
  'sanction-applied',
];

const MATCH_LISTS = [
  'types',
  'tlp',
  'personalData',
  'rsit',
  'purposes',
  'fromParties',
  'toParties',
  'toAgencies',
] as const;

type Rec = Record<string, unknown>;

function isRecord(value: unknown): value is Rec {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isStrings(value: unknown, allowed?: readonly string[]): value is string[] {
  return (
    Array.isArray(value) &&
    value.every((v) => typeof v === 'string' && (allowed === undefined || allowed.includes(v)))
  );
}

function isInstant(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** Every structural problem of a candidate event (empty when it has a documented shape). */
export function eventProblems(value: unknown): string[] {
  if (!isRecord(value)) return ['an event must be a json object'];
  const problems: string[] = [];
  const need = (key: string, ok: (v: unknown) => boolean, what: string): void => {
    if (!ok(value[key])) problems.push(`\`${key}\` must be ${what}`);
  };
  const text = (key: string): void => need(key, isText, 'a non-empty string');
  const ingestWindow = (): void => {
    if (value['window'] !== undefined)
      need(
        'window',
        (v) =>
          isRecord(v) &&
          isInstant(v['from']) &&
          isInstant(v['to']) &&
          (v['from'] as number) < (v['to'] as number) &&
          (v['to'] as number) <= (value['at'] as number),
        '`{ from, to }`, integer instants with from < to ≤ at',
      );
  };
  if (value['v'] !== ESCALATION_EVENT_VERSION) problems.push('`v` must be 1');
  text('id');
  need('at', isInstant, 'an integer instant in epoch milliseconds');
  text('actor');
  const type = value['type'];
  if (typeof type !== 'string' || !(TYPES as readonly string[]).includes(type)) {
    problems.push(`\`type\` must be one of ${TYPES.map((t) => `\`${t}\``).join(', ')}`);
    return problems;
  }
  switch (type as EscalationEventType) {
    case 'risk-rating-published':
      text('party');
      need(
        'rating',
        (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 5,
        'an integer 0–5',
      );
      text('setBy');
      text('reason');
      break;
    case 'intel-quality-observed':
      need(
        'grade',
        (v) => typeof v === 'string' && /^[A-F][1-6]$/.test(v),
        'an admiralty grade such as `B2`',
      );
      if (value['confidence'] !== undefined)
        need(
          'confidence',
          (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 100,
          'an integer 0–100',
        );
      text('objectRef');
      ingestWindow();
      break;
    case 'incident-signal':
      need(
        'rsit',
        (v) => typeof v === 'string' && (RSIT_CLASSES as readonly string[]).includes(v),
        'an rsit class',
      );
      need(
        'tlp',
        (v) => typeof v === 'string' && (TLP_LABELS as readonly string[]).includes(v),
        'a tlp label',
      );
      need('count', (v) => Number.isSafeInteger(v) && (v as number) > 0, 'a positive integer');
      ingestWindow();
      break;
    case 'escalation-proposed':
    case 'level-raised':
      text('trigger');
      text('toLevel');
      break;
    case 'level-renewed':
      text('trigger');
      need('until', isInstant, 'an integer instant');
      break;
    case 'level-lowered':
      text('trigger');
      need(
        'reason',
        (v) => v === 'sunset' || v === 'hysteresis' || v === 'manual',
        '`sunset`, `hysteresis` or `manual`',
      );
      if (value['reason'] === 'manual') {
        text('official');
        text('signature');
      }
      break;
    case 'approval':
      text('official');
      text('signature');
      need(
        'subject',
        (v) =>
          isRecord(v) && (v['kind'] === 'escalation' || v['kind'] === 'waiver') && isText(v['id']),
        '`{ kind: escalation | waiver, id }`',
      );
      break;
    case 'waiver-requested': {
      text('justification');
      text('duration');
      text('retention');
      const scope = value['scope'];
      const grants = isRecord(scope) ? scope['grants'] : undefined;
      if (!isRecord(scope) || !isStrings(scope['agencies']) || !isRecord(grants))
        problems.push('`scope` must be `{ agencies: [...], grants: {...} }`');
      else {
        if (!isStrings(grants['types']))
          problems.push('`scope.grants.types` must be a list of strings');
        if (!isStrings(grants['purposes']))
          problems.push('`scope.grants.purposes` must be a list of strings');
        if (!isStrings(grants['tlp'], TLP_LABELS))
          problems.push('`scope.grants.tlp` must be a list of tlp labels');
        if (!isStrings(grants['personalData'], PERSONAL_DATA_CATEGORIES))
          problems.push('`scope.grants.personalData` must be a list of personal-data categories');
        if (grants['rsit'] !== undefined && !isStrings(grants['rsit'], RSIT_CLASSES))
          problems.push('`scope.grants.rsit` must be a list of rsit classes');
      }
      break;
    }
    case 'waiver-approved':
      text('waiver');
      need('expires', isInstant, 'an integer instant');
      break;
    case 'waiver-closed':
      text('waiver');
      text('reason');
      break;
    case 'waiver-review-filed':
      text('waiver');
      text('reportRef');
      break;
    case 'pause': {
      text('party');
      text('reason');
      const scope = value['scope'];
      if (!isRecord(scope)) problems.push('`scope` must be a match object (`{}` for all)');
      else
        for (const key of Object.keys(scope))
          if (!(MATCH_LISTS as readonly string[]).includes(key) || !isStrings(scope[key]))
            problems.push(`\`scope.${key}\` is not a match field with a list of strings`);
      if (value['dispute'] !== undefined)
        need('dispute', (v) => isRecord(v) && isText(v['subject']), '`{ subject }`');
      break;
    }
    case 'resume':
      text('party');
      text('pause');
      break;
    case 'certification-revoked':
      text('agency');
      text('certification');
      text('reason');
      break;
    case 'sanction-applied':
      text('sanction');
      text('finding');
      for (const key of ['agency', 'party', 'certification'])
        if (value[key] !== undefined) text(key);
      break;
  }
  return problems;
}
