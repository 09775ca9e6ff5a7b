/**
 * The decision engine: an agreement compiled to a decision function, and the reference
 * interpreter it is tested against. Pure: no I/O. The module's only public door.
 */
export type {
  ActiveWaiver,
  Allow,
  DecideFn,
  Decision,
  DecisionRequest,
  DecisionState,
  Deny,
  DenyStage,
  EngineFactory,
  ObjectMeta,
  Obligations,
  Pause,
  Revocation,
} from './types.js';
