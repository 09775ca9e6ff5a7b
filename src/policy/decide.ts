/**
 * One-shot convenience: compile an agreement and decide one request. Compilation costs far more
 * than a decision, so anything deciding more than once should keep a `CompiledEngine`.
 */
import type { Agreement } from '../agreement/index.js';
import { compileAgreement } from './compile-agreement.js';
import type { Decision, DecisionRequest, DecisionState } from './types.js';

/**
 * Decides one request against an agreement (docs/spec/decisions.md) with the compiled engine.
 * The decision may share frozen parts with other decisions: do not mutate it.
 */
export function decide(
  agreement: Agreement,
  request: DecisionRequest,
  state: DecisionState,
): Decision {
  return compileAgreement(agreement).decide(request, state);
}
