/**
 * The JSON Schemas of the oversight endpoints (docs/rest.md "Oversight"), merged into
 * `SCHEMAS`. `Indicators` is the exact shape of src/oversight's `Indicators` (types.ts): every
 * object closed (`additionalProperties: false`), because the route checks each response
 * against it before sending — a field nobody documented does not leave the node.
 */

const int0 = { type: 'integer', minimum: 0 } as const;
const epochMs = { type: 'integer', description: 'epoch milliseconds (UTC)' } as const;
const ms = { type: 'number', minimum: 0, description: 'a duration, milliseconds' } as const;
const id = { type: 'string' } as const;
const counts = { type: 'object', additionalProperties: int0 } as const;

const closed = (
  properties: Readonly<Record<string, unknown>>,
  optional: readonly string[] = [],
): Readonly<Record<string, unknown>> => ({
  type: 'object',
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  additionalProperties: false,
  properties,
});

const period = closed({ from: epochMs, to: epochMs });

const escalation = closed({
  agreementId: id,
  levels: { type: 'array', items: closed({ level: id, ms }) },
  levelAtEnd: id,
  raised: int0,
  renewed: int0,
  lowered: int0,
  sunsets: int0,
  waivers: closed({ requested: int0, active: int0, closedEarly: int0, reviewsFiled: int0 }),
  pauses: closed({ started: int0, resumed: int0, pausedMs: ms }),
  disputesOpened: int0,
  sanctionsApplied: int0,
  certificationsRevoked: int0,
  riskRatingsPublished: int0,
  findings: {
    type: 'array',
    items: closed(
      {
        kind: { enum: ['review-overdue', 'review-filed-late'] },
        waiver: id,
        due: epochMs,
        filedAt: epochMs,
      },
      ['filedAt'],
    ),
  },
  rejectedEvents: int0,
  anomalies: int0,
});

/** The oversight schemas, by component name. */
export const OVERSIGHT_SCHEMAS = {
  TransparencyReport: {
    type: 'string',
    description:
      'the transparency report: one self-contained HTML document (no script, no external resource)',
  },
  OversightQuery: {
    type: 'object',
    description:
      'a quarter, or `from` and `to`; without either, the current quarter so far. A missing end of `from`/`to` is taken from that default.',
    additionalProperties: false,
    properties: {
      quarter: {
        type: 'string',
        maxLength: 16,
        description: 'a calendar quarter (UTC), e.g. `2026Q3` or `2026-Q3`',
      },
      from: {
        type: 'string',
        maxLength: 64,
        description: 'start of the period (inclusive), an RFC 3339 instant',
      },
      to: {
        type: 'string',
        maxLength: 64,
        description: 'end of the period (exclusive), an RFC 3339 instant',
      },
    },
  },
  Indicators: {
    ...closed({
      period,
      ledger: closed({
        entries: int0,
        firstSeq: { type: ['integer', 'null'], minimum: 0 },
        lastSeq: { type: ['integer', 'null'], minimum: 0 },
        byKind: counts,
      }),
      contributions: {
        type: 'array',
        items: closed({ producer: id, objects: int0, byTlp: counts, byType: counts }),
      },
      releases: {
        type: 'array',
        items: closed({
          agreementId: id,
          agency: id,
          party: { type: ['string', 'null'] },
          purpose: id,
          level: id,
          channel: id,
          calls: int0,
          objects: int0,
          withheld: int0,
        }),
      },
      burden: {
        type: 'array',
        items: closed({ party: id, contributed: int0, received: int0 }),
      },
      timeliness: {
        type: 'array',
        items: closed({ party: id, releases: int0, medianMs: ms, p90Ms: ms, maxMs: ms }),
      },
      federation: {
        type: 'array',
        items: closed({
          peer: id,
          receiptsIssued: int0,
          objectsReceived: int0,
          receiptsAcknowledged: int0,
          objectsAcknowledged: int0,
        }),
      },
      retention: closed({
        keysShredded: int0,
        objectsShredded: int0,
        shreddedLate: int0,
        maxShredDelayMs: ms,
        overdueKeys: int0,
        overdueObjects: int0,
      }),
      governance: closed({
        agreementsActivated: {
          type: 'array',
          items: closed({ agreementId: id, version: { type: 'integer' }, at: epochMs }),
        },
      }),
      escalation: { type: 'array', items: escalation },
    }),
    description:
      'compliance indicators of a period, computed from the ledger (src/oversight/types.ts): counts, durations (ms) and ids of governance records only — never an object id, an object hash or intel content',
  },
} as const;
