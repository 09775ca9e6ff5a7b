/**
 * The runtime state `concordat decide` decides in: from `--state STATE.json` and from the
 * `--level`, `--pause` and `--waiver` flags. The policy module checks requests
 * (`validateDecisionRequest`) but has no checker for states, so this one lives here.
 *
 * STATE.json: `{ "level": "elevated", "pauses": [...], "waivers": [...], "revocations": [...] }`
 * with instants as RFC 3339 text or epoch milliseconds and durations as ISO 8601 text.
 */
import type { Match, PersonalData, RsitClass, Tlp } from '../agreement/index.js';
import {
  PERSONAL_DATA_CATEGORIES,
  RSIT_CLASSES,
  TLP_LABELS,
  type Agreement,
} from '../agreement/index.js';
import { addDuration, parseDuration, parseInstant, type Duration } from '../core/index.js';
import type {
  ActiveWaiver,
  DecisionRequest,
  DecisionState,
  Pause,
  Revocation,
} from '../policy/index.js';
import { CliError } from './cli-error.js';

function stateError(field: string, message: string): CliError {
  return new CliError('ERR_REQUEST_INVALID', `state field \`${field}\` ${message}`, {
    details: { field },
    hint: 'see `concordat decide --help` for the state file format',
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function instant(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string') {
    const t = parseInstant(value);
    if (t !== undefined) return t;
  }
  throw stateError(field, 'must be an rfc 3339 timestamp or epoch milliseconds');
}

function duration(value: unknown, field: string): Duration {
  const d = typeof value === 'string' ? parseDuration(value) : undefined;
  if (d === undefined) throw stateError(field, 'must be an iso 8601 duration such as `P7D`');
  return d;
}

function strings(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string'))
    throw stateError(field, 'must be a list of strings');
  return value;
}

function oneOf<T extends string>(
  values: readonly string[],
  allowed: readonly T[],
  field: string,
): T[] {
  return values.map((v) => {
    const found = allowed.find((a) => a === v);
    if (found === undefined)
      throw stateError(field, `value \`${v}\` is not one of ${allowed.join(', ')}`);
    return found;
  });
}

function only(value: Record<string, unknown>, known: readonly string[], at: string): void {
  for (const key of Object.keys(value))
    if (!known.includes(key))
      throw stateError(`${at}${key}`, `is not a known field (allowed: ${known.join(', ')})`);
}

const MATCH_FIELDS = [
  'types',
  'tlp',
  'personalData',
  'rsit',
  'purposes',
  'fromParties',
  'toParties',
  'toAgencies',
];

function match(value: unknown, field: string): Match {
  if (value === undefined) return {};
  if (!isRecord(value)) throw stateError(field, 'must be an object');
  only(value, MATCH_FIELDS, `${field}.`);
  const m: Record<string, unknown> = {};
  for (const key of MATCH_FIELDS) {
    const v = value[key];
    if (v === undefined) continue;
    const list = strings(v, `${field}.${key}`);
    m[key] =
      key === 'tlp'
        ? oneOf<Tlp>(list, TLP_LABELS, `${field}.${key}`)
        : key === 'personalData'
          ? oneOf<PersonalData>(list, PERSONAL_DATA_CATEGORIES, `${field}.${key}`)
          : key === 'rsit'
            ? oneOf<RsitClass>(list, RSIT_CLASSES, `${field}.${key}`)
            : list;
  }
  return m as Match;
}

function parsePause(value: unknown, i: number): Pause {
  const at = `pauses[${i}]`;
  if (!isRecord(value)) throw stateError(at, 'must be an object');
  only(value, ['id', 'party', 'scope', 'since', 'until'], `${at}.`);
  if (typeof value['party'] !== 'string') throw stateError(`${at}.party`, 'must be a party id');
  return {
    id: typeof value['id'] === 'string' ? value['id'] : `pause-${i + 1}`,
    party: value['party'],
    scope: match(value['scope'], `${at}.scope`),
    since: instant(value['since'], `${at}.since`),
    ...(value['until'] === undefined ? {} : { until: instant(value['until'], `${at}.until`) }),
  };
}

function parseWaiver(value: unknown, i: number): ActiveWaiver {
  const at = `waivers[${i}]`;
  if (!isRecord(value)) throw stateError(at, 'must be an object');
  only(value, ['id', 'agencies', 'grants', 'retention', 'from', 'expires'], `${at}.`);
  const grants = value['grants'];
  if (!isRecord(grants)) throw stateError(`${at}.grants`, 'must be an object');
  only(grants, ['types', 'tlp', 'purposes', 'personalData', 'rsit'], `${at}.grants.`);
  const g = `${at}.grants`;
  return {
    id: typeof value['id'] === 'string' ? value['id'] : `waiver-${i + 1}`,
    agencies: strings(value['agencies'], `${at}.agencies`),
    grants: {
      types: strings(grants['types'], `${g}.types`),
      tlp: oneOf<Tlp>(strings(grants['tlp'], `${g}.tlp`), TLP_LABELS, `${g}.tlp`),
      purposes: strings(grants['purposes'], `${g}.purposes`),
      personalData: oneOf<PersonalData>(
        strings(grants['personalData'] ?? ['none'], `${g}.personalData`),
        PERSONAL_DATA_CATEGORIES,
        `${g}.personalData`,
      ),
      ...(grants['rsit'] === undefined
        ? {}
        : {
            rsit: oneOf<RsitClass>(strings(grants['rsit'], `${g}.rsit`), RSIT_CLASSES, `${g}.rsit`),
          }),
    },
    retention: duration(value['retention'], `${at}.retention`),
    from: instant(value['from'], `${at}.from`),
    expires: instant(value['expires'], `${at}.expires`),
  };
}

function parseRevocation(value: unknown, i: number): Revocation {
  const at = `revocations[${i}]`;
  if (!isRecord(value)) throw stateError(at, 'must be an object');
  only(value, ['agency', 'certification', 'since'], `${at}.`);
  if (typeof value['agency'] !== 'string') throw stateError(`${at}.agency`, 'must be an agency id');
  if (typeof value['certification'] !== 'string')
    throw stateError(`${at}.certification`, 'must be a certification id');
  return {
    agency: value['agency'],
    certification: value['certification'],
    since: instant(value['since'], `${at}.since`),
  };
}

/** Checks a state file's JSON. `level` defaults to `defaultLevel`. */
export function parseDecisionState(value: unknown, defaultLevel: string): DecisionState {
  if (!isRecord(value)) throw stateError('(state)', 'must be a json object');
  only(value, ['level', 'pauses', 'waivers', 'revocations'], '');
  const list = (key: string): unknown[] => {
    const v = value[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw stateError(key, 'must be a list');
    return v;
  };
  const level = value['level'];
  if (level !== undefined && typeof level !== 'string')
    throw stateError('level', 'must be a level id');
  return {
    level: level ?? defaultLevel,
    pauses: list('pauses').map(parsePause),
    waivers: list('waivers').map(parseWaiver),
    revocations: list('revocations').map(parseRevocation),
  };
}

function flagError(flag: string, spec: string, why: string): CliError {
  return new CliError('ERR_USAGE', `\`${flag}\` \`${spec}\` ${why}`, {
    details: { option: flag, value: spec },
    hint: 'see `concordat decide --help` for the syntax',
  });
}

/** Splits `key=a,b` segments of a flag spec into a map. */
function segments(
  parts: readonly string[],
  flag: string,
  spec: string,
  known: readonly string[],
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0)
      throw flagError(flag, spec, `has a segment \`${part}\` that is not \`key=value,…\``);
    const key = part.slice(0, eq);
    if (!known.includes(key))
      throw flagError(flag, spec, `has an unknown key \`${key}\` (allowed: ${known.join(', ')})`);
    out.set(
      key,
      part
        .slice(eq + 1)
        .split(',')
        .filter((v) => v !== ''),
    );
  }
  return out;
}

const PAUSE_KEYS = [
  'types',
  'tlp',
  'personal-data',
  'rsit',
  'purposes',
  'to-parties',
  'to-agencies',
];

/**
 * `--pause PARTY[:key=v1,v2…]`: PARTY pauses its sharing of what matches, from the request's
 * instant on. Keys: types, tlp, personal-data, rsit, purposes, to-parties, to-agencies.
 */
export function parsePauseFlag(spec: string, index: number, at: number): Pause {
  const [party, ...rest] = spec.split(':');
  if (party === undefined || party === '') throw flagError('--pause', spec, 'names no party');
  const s = segments(rest, '--pause', spec, PAUSE_KEYS);
  const get = (k: string): string[] | undefined => s.get(k);
  const scope: Record<string, unknown> = {};
  const types = get('types');
  if (types !== undefined) scope['types'] = types;
  const tlp = get('tlp');
  if (tlp !== undefined) scope['tlp'] = oneOfFlag<Tlp>(tlp, TLP_LABELS, '--pause', spec);
  const pd = get('personal-data');
  if (pd !== undefined)
    scope['personalData'] = oneOfFlag<PersonalData>(pd, PERSONAL_DATA_CATEGORIES, '--pause', spec);
  const rsit = get('rsit');
  if (rsit !== undefined) scope['rsit'] = oneOfFlag<RsitClass>(rsit, RSIT_CLASSES, '--pause', spec);
  const purposes = get('purposes');
  if (purposes !== undefined) scope['purposes'] = purposes;
  const toParties = get('to-parties');
  if (toParties !== undefined) scope['toParties'] = toParties;
  const toAgencies = get('to-agencies');
  if (toAgencies !== undefined) scope['toAgencies'] = toAgencies;
  return { id: `cli-pause-${index + 1}`, party, scope: scope as Match, since: at };
}

function oneOfFlag<T extends string>(
  values: readonly string[],
  allowed: readonly T[],
  flag: string,
  spec: string,
): T[] {
  return values.map((v) => {
    const found = allowed.find((a) => a === v);
    if (found === undefined)
      throw flagError(flag, spec, `has \`${v}\`, not one of ${allowed.join(', ')}`);
    return found;
  });
}

const WAIVER_KEYS = ['types', 'tlp', 'purposes', 'personal-data', 'rsit', 'retention', 'for'];

/**
 * `--waiver [AGENCY,…][:key=v1,v2…]`: a waiver from the request's instant. Unset keys default to
 * exactly this request (its agency, type, TLP, purpose, personal data), `retention=P7D` and
 * `for=` the agreement's longest waiver (`waivers.max_duration`).
 */
export function parseWaiverFlag(
  spec: string,
  index: number,
  request: DecisionRequest,
  agreement: Agreement,
): ActiveWaiver {
  const parts = spec === '' ? [] : spec.split(':');
  const first = parts[0];
  const agencies =
    first !== undefined && !first.includes('=')
      ? (parts.shift() ?? '').split(',')
      : [request.agency];
  const s = segments(parts, '--waiver', spec, WAIVER_KEYS);
  const one = (k: string): string | undefined => {
    const v = s.get(k);
    if (v === undefined) return undefined;
    if (v.length !== 1 || v[0] === undefined)
      throw flagError('--waiver', spec, `needs one value for \`${k}\``);
    return v[0];
  };
  const retentionText = one('retention') ?? 'P7D';
  const retention = parseDuration(retentionText);
  if (retention === undefined)
    throw flagError(
      '--waiver',
      spec,
      `has a retention \`${retentionText}\` that is not a duration`,
    );
  const forText = one('for');
  const span = forText === undefined ? agreement.waivers?.maxDuration : parseDuration(forText);
  if (span === undefined)
    throw flagError(
      '--waiver',
      spec,
      forText === undefined
        ? 'needs `for=DURATION`: the agreement has no waiver policy'
        : `has \`for=${forText}\`, not a duration`,
    );
  const tlp = s.get('tlp');
  const pd = s.get('personal-data');
  const rsit = s.get('rsit');
  return {
    id: `cli-waiver-${index + 1}`,
    agencies,
    grants: {
      types: s.get('types') ?? [request.object.type],
      tlp:
        tlp === undefined
          ? [request.object.tlp]
          : oneOfFlag<Tlp>(tlp, TLP_LABELS, '--waiver', spec),
      purposes: s.get('purposes') ?? [request.purpose],
      personalData:
        pd === undefined
          ? [request.object.personalData]
          : oneOfFlag<PersonalData>(pd, PERSONAL_DATA_CATEGORIES, '--waiver', spec),
      ...(rsit === undefined
        ? {}
        : { rsit: oneOfFlag<RsitClass>(rsit, RSIT_CLASSES, '--waiver', spec) }),
    },
    retention,
    from: request.at,
    expires: addDuration(request.at, span),
  };
}
