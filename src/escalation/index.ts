/**
 * Escalation: cooperation levels, triggers with hysteresis, signed approvals, sunsets, waivers,
 * pauses and authorities — a state derived purely from an append-only event history and an
 * injected instant (docs/spec/escalation.md). Pure: no I/O (node:crypto only). This file is the
 * module's only public door (STYLE.md).
 */

// --- the event model (events.ts, event-check.ts) ---
export { ESCALATION_EVENT_VERSION } from './events.js';
export type {
  ApprovalGiven,
  ApprovalSubject,
  CertificationRevoked,
  EscalationEvent,
  EscalationEventType,
  EscalationProposed,
  EventBase,
  IncidentSignal,
  IngestWindow,
  IntelQualityObserved,
  LevelLowered,
  LevelRaised,
  LevelRenewed,
  PauseResumed,
  PauseStarted,
  RiskRatingPublished,
  SanctionApplied,
  WaiverApproved,
  WaiverClosed,
  WaiverRequested,
  WaiverReviewFiled,
  WaiverScope,
} from './events.js';
export { eventProblems } from './event-check.js';

// --- signed approvals (approval.ts) ---
export { APPROVAL_DOMAIN, approvalMessage, eventDigest, signApproval } from './approval.js';
export type { ApprovalAction, ApprovalProblem, KeyRegistry, RecordedApproval } from './approval.js';

// --- the fold: live (apply/advance) and replay (fold.ts) ---
export { initialState, apply, advance, replay } from './fold.js';
export type { EscalationOptions } from './fold.js';
export type {
  ActiveRaise,
  Anomaly,
  ComplianceFinding,
  CurrentView,
  DisputeRecord,
  EscalationState,
  LevelTransition,
  LevelView,
  PauseRecord,
  Proposal,
  RejectedEvent,
  ReviewView,
  SanctionRecord,
  TriggerTrack,
  WaiverRecord,
  WaiverStatus,
} from './state.js';
export type { GradeObservation, Inputs, RiskRating, Signal } from './conditions.js';

// --- views for the engine and for people (view.ts, evaluate.ts, waiver-check.ts) ---
export { decisionState, waiverStatus } from './view.js';
export { evaluateTriggers } from './evaluate.js';
export type { TriggerEvaluation } from './evaluate.js';
export { checkWaiverRequest } from './waiver-check.js';
export type { WaiverRefusal, WaiverRefusalReason } from './waiver-check.js';
