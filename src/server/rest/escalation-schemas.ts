/**
 * The JSON Schemas of the escalation endpoints (docs/escalation-api.md), merged into
 * `SCHEMAS` (so they validate in fastify and land in the OpenAPI document's components).
 */

const ref = (name: string): Readonly<Record<string, unknown>> => ({
  $ref: `#/components/schemas/${name}`,
});
const id = { type: 'string', minLength: 1, maxLength: 256 } as const;
const text400 = { type: 'string', minLength: 1, maxLength: 400 } as const;
const instant = {
  type: 'string',
  description: 'an RFC 3339 instant (UTC)',
  maxLength: 64,
} as const;
const ids = { type: 'array', maxItems: 256, items: id } as const;
const written = {
  type: 'array',
  items: {
    type: 'object',
    required: ['seq', 'id', 'type', 'at'],
    additionalProperties: false,
    properties: {
      seq: { type: 'integer', minimum: 0 },
      id,
      type: { type: 'string' },
      at: instant,
    },
  },
} as const;
const levelRef = {
  type: 'object',
  required: ['id', 'index', 'since'],
  additionalProperties: false,
  properties: {
    id,
    index: { type: 'integer', minimum: 0 },
    since: instant,
    cause: {
      type: 'object',
      required: ['raise', 'trigger', 'raisedAt', 'sunset', 'approvals'],
      additionalProperties: false,
      properties: {
        raise: id,
        trigger: id,
        raisedAt: instant,
        sunset: instant,
        approvals: { type: 'array', items: ref('EscalationApproval') },
      },
    },
  },
} as const;

/** The escalation schemas, by component name. */
export const ESCALATION_SCHEMAS = {
  EscalationParams: {
    type: 'object',
    required: ['id'],
    additionalProperties: false,
    properties: { id },
  },
  WaiverParams: {
    type: 'object',
    required: ['id', 'wid'],
    additionalProperties: false,
    properties: { id, wid: id },
  },
  PauseParams: {
    type: 'object',
    required: ['id', 'pid'],
    additionalProperties: false,
    properties: { id, pid: id },
  },
  EscalationAtQuery: {
    type: 'object',
    additionalProperties: false,
    properties: { at: instant },
  },
  RiskRatingSet: {
    type: 'object',
    required: ['party', 'rating', 'reason'],
    additionalProperties: false,
    properties: {
      party: id,
      rating: { type: 'integer', minimum: 0, maximum: 5 },
      reason: text400,
    },
  },
  WaiverRequestBody: {
    type: 'object',
    required: ['justification', 'scope', 'duration', 'retention'],
    additionalProperties: false,
    properties: {
      justification: text400,
      duration: { type: 'string', minLength: 2, maxLength: 64, description: 'ISO 8601' },
      retention: { type: 'string', minLength: 2, maxLength: 64, description: 'ISO 8601' },
      scope: {
        type: 'object',
        required: ['agencies', 'grants'],
        additionalProperties: false,
        properties: {
          agencies: ids,
          grants: {
            type: 'object',
            required: ['types', 'tlp', 'purposes', 'personalData'],
            additionalProperties: false,
            properties: {
              types: ids,
              tlp: ids,
              purposes: ids,
              personalData: ids,
              rsit: ids,
            },
          },
        },
      },
    },
  },
  SignedApproval: {
    type: 'object',
    required: ['signature'],
    additionalProperties: false,
    description:
      'an Ed25519 signature (base64url, no padding) over `approvalMessage`; `official` defaults to the token’s official',
    properties: {
      official: id,
      signature: { type: 'string', minLength: 1, maxLength: 256, pattern: '^[A-Za-z0-9_-]+$' },
    },
  },
  ApprovalSubmission: {
    type: 'object',
    required: ['subject', 'official', 'signature'],
    additionalProperties: false,
    properties: {
      subject: {
        type: 'object',
        required: ['kind', 'id'],
        additionalProperties: false,
        properties: { kind: { enum: ['escalation', 'waiver'] }, id },
      },
      official: id,
      signature: { type: 'string', minLength: 1, maxLength: 256, pattern: '^[A-Za-z0-9_-]+$' },
    },
  },
  ReviewBody: {
    type: 'object',
    required: ['reportRef'],
    additionalProperties: false,
    properties: {
      reportRef: {
        type: 'string',
        minLength: 1,
        maxLength: 400,
        description: 'a hash or id of the review document (never the document itself)',
      },
    },
  },
  ReasonBody: {
    type: 'object',
    required: ['reason'],
    additionalProperties: false,
    properties: { reason: text400 },
  },
  PauseBody: {
    type: 'object',
    required: ['scope', 'reason'],
    additionalProperties: false,
    properties: {
      scope: {
        type: 'object',
        description: 'a `Match` (docs/spec/decisions.md): `{}` pauses all of the party’s sharing',
      },
      reason: text400,
      dispute: {
        type: 'object',
        required: ['subject'],
        additionalProperties: false,
        properties: { subject: text400 },
      },
    },
  },
  EscalationApproval: {
    type: 'object',
    required: ['id', 'official', 'at', 'problems'],
    additionalProperties: false,
    properties: {
      id,
      official: id,
      party: id,
      at: instant,
      problems: { type: 'array', items: { type: 'string' } },
    },
  },
  EscalationLevel: {
    type: 'object',
    required: ['agreement', 'at', 'level', 'proposals'],
    additionalProperties: false,
    properties: {
      agreement: id,
      at: instant,
      level: levelRef,
      proposals: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'trigger', 'toLevel', 'at', 'digest', 'status', 'approvals'],
          additionalProperties: false,
          properties: {
            id,
            trigger: id,
            toLevel: id,
            at: instant,
            digest: { type: 'string', description: 'what approvals sign (`eventDigest`)' },
            status: { enum: ['pending', 'approved', 'lapsed'] },
            approvals: { type: 'array', items: ref('EscalationApproval') },
          },
        },
      },
    },
  },
  LevelHistory: {
    type: 'object',
    required: ['agreement', 'at', 'transitions'],
    additionalProperties: false,
    properties: {
      agreement: id,
      at: instant,
      transitions: {
        type: 'array',
        items: {
          type: 'object',
          required: ['at', 'kind', 'reason', 'trigger', 'raise', 'from', 'to'],
          additionalProperties: false,
          properties: {
            at: instant,
            kind: { enum: ['raised', 'renewed', 'lowered'] },
            reason: { enum: ['approved', 'automatic', 'sunset', 'hysteresis', 'manual'] },
            trigger: id,
            raise: id,
            from: id,
            to: id,
          },
        },
      },
    },
  },
  RiskRatings: {
    type: 'object',
    required: ['agreement', 'at', 'ratings'],
    additionalProperties: false,
    properties: {
      agreement: id,
      at: instant,
      ratings: {
        type: 'array',
        items: {
          type: 'object',
          required: ['party', 'rating', 'published'],
          additionalProperties: false,
          properties: {
            party: id,
            rating: { type: 'integer', minimum: 0, maximum: 5 },
            published: { type: 'boolean' },
            setBy: id,
            reason: { type: 'string' },
            at: instant,
            event: id,
          },
        },
      },
    },
  },
  TriggerEvaluations: {
    type: 'object',
    required: ['agreement', 'at', 'triggers'],
    additionalProperties: false,
    properties: {
      agreement: id,
      at: instant,
      automatic: {
        type: 'object',
        description: 'the automatic inputs recorded before evaluating (evaluations at now only)',
        required: ['written'],
        additionalProperties: false,
        properties: {
          incidents: { type: 'object' },
          quality: { type: 'object' },
          written,
        },
      },
      level: id,
      triggers: { type: 'array', items: { type: 'object' } },
    },
  },
  WaiverList: {
    type: 'object',
    required: ['agreement', 'at', 'findings', 'waivers'],
    additionalProperties: false,
    properties: {
      agreement: id,
      at: instant,
      findings: {
        type: 'array',
        description: 'compliance findings: reviews overdue or filed late',
        items: {
          type: 'object',
          required: ['kind', 'waiver', 'due'],
          additionalProperties: false,
          properties: {
            kind: { enum: ['review-overdue', 'review-filed-late'] },
            waiver: id,
            due: instant,
            filedAt: instant,
          },
        },
      },
      waivers: { type: 'array', items: { type: 'object' } },
    },
  },
  PauseList: {
    type: 'object',
    required: ['agreement', 'at', 'pauses', 'sanctions'],
    additionalProperties: false,
    properties: {
      agreement: id,
      at: instant,
      pauses: {
        type: 'array',
        description:
          'every pause of the agreement, `inForce` at `at`, with the dispute opened with it',
        items: { type: 'object' },
      },
      sanctions: {
        type: 'array',
        description: 'sanctions applied after findings, `inForce` at `at`',
        items: { type: 'object' },
      },
    },
  },
  EscalationRecorded: {
    type: 'object',
    required: ['agreement', 'event', 'written', 'level'],
    additionalProperties: false,
    properties: {
      agreement: id,
      event: {
        type: 'object',
        required: ['id', 'type', 'at'],
        additionalProperties: false,
        properties: { id, type: { type: 'string' }, at: instant },
      },
      written,
      level: levelRef,
      subject: {
        type: 'object',
        description: 'the proposal, waiver or pause the event concerns, after it',
      },
    },
  },
} as const;
