/**
 * Scenario helpers: the North Sea compact, officials' keys held in a registry (the example
 * pins none), and builders that write a readable timeline of escalation events.
 */
import { readFileSync } from 'node:fs';
import { generateSigningKeyPair, loadAgreement } from '../../src/agreement/index.js';
import type { Agreement } from '../../src/agreement/index.js';
import { parseInstant } from '../../src/core/index.js';
import { signApproval } from '../../src/escalation/index.js';
import type {
  ApprovalGiven,
  EscalationEvent,
  EscalationProposed,
  KeyRegistry,
  LevelLowered,
  WaiverRequested,
  WaiverScope,
} from '../../src/escalation/index.js';
import type { DecisionRequest, ObjectMeta } from '../../src/policy/index.js';

export const NORTHSEA: Agreement = loadAgreement(
  readFileSync(new URL('../../examples/agreements/northsea-compact.yaml', import.meta.url), 'utf8'),
  { sourceName: 'northsea-compact.yaml' },
);

/** RFC 3339 → epoch ms, failing loudly on a typo in a test. */
export function t(text: string): number {
  const v = parseInstant(text);
  if (v === undefined) throw new Error(`bad instant ${text}`);
  return v;
}

export const MS = 1;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** One key pair per official, and a forger's key nobody registered. */
export const OFFICIAL_KEYS = {
  'ARV-LIAISON': generateSigningKeyPair(),
  'BOR-LIAISON': generateSigningKeyPair(),
  'CAL-LIAISON': generateSigningKeyPair(),
  'ARV-DEPUTY': generateSigningKeyPair(),
} as const;
export type OfficialId = keyof typeof OFFICIAL_KEYS;
export const FORGER = generateSigningKeyPair();

export const REGISTRY: KeyRegistry = Object.fromEntries(
  Object.entries(OFFICIAL_KEYS).map(([id, pair]) => [id, [pair.publicKey]]),
);

/** Builds events with sequential ids. */
export class Timeline {
  readonly events: EscalationEvent[] = [];
  private n = 0;
  constructor(readonly agreement: Agreement = NORTHSEA) {}

  private id(prefix: string): string {
    this.n += 1;
    return `${prefix}-${this.n}`;
  }

  private push<E extends EscalationEvent>(e: E): E {
    this.events.push(e);
    return e;
  }

  rating(at: number, party: string, rating: number, actor = `${party}-LIAISON`): EscalationEvent {
    return this.push({
      v: 1,
      id: this.id('risk'),
      at,
      actor,
      type: 'risk-rating-published',
      party,
      rating,
      setBy: actor,
      reason: 'national assessment',
    });
  }

  grade(at: number, grade: string, objectRef = 'sha256:obj-1'): EscalationEvent {
    return this.push({
      v: 1,
      id: this.id('grade'),
      at,
      actor: 'ARV',
      type: 'intel-quality-observed',
      grade,
      objectRef,
    });
  }

  incidents(
    at: number,
    count: number,
    rsit: 'intrusions' | 'fraud' = 'intrusions',
  ): EscalationEvent {
    return this.push({
      v: 1,
      id: this.id('sig'),
      at,
      actor: 'ARV',
      type: 'incident-signal',
      rsit,
      tlp: 'amber',
      count,
    });
  }

  propose(at: number, trigger: string, toLevel: string, actor = 'ARV'): EscalationProposed {
    return this.push({
      v: 1,
      id: this.id('proposal'),
      at,
      actor,
      type: 'escalation-proposed',
      trigger,
      toLevel,
    });
  }

  approve(
    at: number,
    official: OfficialId,
    subject: EscalationProposed | WaiverRequested,
    key: string = OFFICIAL_KEYS[official].privateKey,
  ): ApprovalGiven {
    const kind = subject.type === 'escalation-proposed' ? 'escalation' : 'waiver';
    const signature = signApproval(
      key,
      this.agreement,
      kind === 'escalation' ? 'approve-escalation' : 'approve-waiver',
      subject,
      official,
    );
    return this.push({
      v: 1,
      id: this.id('approval'),
      at,
      actor: official,
      type: 'approval',
      official,
      subject: { kind, id: subject.id },
      signature,
    });
  }

  lower(at: number, official: OfficialId, trigger: string): LevelLowered {
    const unsigned = {
      v: 1 as const,
      id: this.id('lower'),
      at,
      actor: official,
      type: 'level-lowered' as const,
      trigger,
      reason: 'manual' as const,
      official,
    };
    const signature = signApproval(
      OFFICIAL_KEYS[official].privateKey,
      this.agreement,
      'lower',
      unsigned,
      official,
    );
    return this.push({ ...unsigned, signature });
  }

  waiver(
    at: number,
    scope: WaiverScope,
    duration = 'PT48H',
    actor = 'ARV-LIAISON',
  ): WaiverRequested {
    return this.push({
      v: 1,
      id: this.id('waiver'),
      at,
      actor,
      type: 'waiver-requested',
      justification: 'ransomware outbreak in hospitals',
      scope,
      duration,
      retention: 'P7D',
    });
  }

  pause(
    at: number,
    party: string,
    scope: Record<string, string[]>,
    dispute?: string,
  ): EscalationEvent {
    return this.push({
      v: 1,
      id: this.id('pause'),
      at,
      actor: `${party}-LIAISON`,
      type: 'pause',
      party,
      scope,
      reason: 'political dispute',
      ...(dispute === undefined ? {} : { dispute: { subject: dispute } }),
    });
  }

  resume(at: number, party: string, pause: string, actor = `${party}-LIAISON`): EscalationEvent {
    return this.push({ v: 1, id: this.id('resume'), at, actor, type: 'resume', party, pause });
  }

  add(e: EscalationEvent): EscalationEvent {
    return this.push(e);
  }
}

/** A release request of one object. */
export function release(
  at: number,
  agency: string,
  object: Partial<ObjectMeta> = {},
  purpose = 'incident-response',
): DecisionRequest {
  return {
    agency,
    purpose,
    at,
    object: { type: 'indicator', tlp: 'amber', personalData: 'none', producer: 'ARV', ...object },
  };
}
