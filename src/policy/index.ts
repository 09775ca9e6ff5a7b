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

// --- the reference interpreter (src/policy/reference/), the oracle ---
export { referenceEngine } from './reference/reference-engine.js';

// --- the compiled engine (src/policy/compile-*.ts) ---
export { compileAgreement, compiledEngine } from './compile-agreement.js';
export type { CompiledEngine, CompiledStats } from './compile-agreement.js';
export { decide } from './decide.js';

// --- request checking (for the CLI and the API) ---
export { validateDecisionRequest } from './validate-request.js';
