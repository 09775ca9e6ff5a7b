/**
 * The escalation port of the REST API (docs/escalation-api.md): per agreement, the node's
 * escalation service (structurally `node/EscalationService`, which the server may not import)
 * and the automatic inputs it computes from stored object metadata. The composition root
 * (`nodeServerContext`) wires it; tests wire it over a fresh node.
 */
import type { Agreement } from '../../agreement/index.js';
import type {
  EscalationEvent,
  EscalationState,
  LevelTransition,
  TriggerEvaluation,
} from '../../escalation/index.js';

/** An event as a caller submits it: the service stamps `v`, `id` and `at`. */
export type EscalationEventInput = EscalationEvent extends infer E
  ? E extends EscalationEvent
    ? Omit<E, 'v' | 'id' | 'at'>
    : never
  : never;

/** One event written, with its ledger position. */
export interface WrittenEscalationEvent {
  readonly seq: number;
  readonly event: EscalationEvent;
}

/** What recording one event did (structurally node's `RecordResult`). */
export interface EscalationRecordResult {
  readonly event: EscalationEvent;
  readonly written: readonly WrittenEscalationEvent[];
  readonly state: EscalationState;
}

/** The escalation service of one agreement, as the routes use it. */
export interface AgreementEscalation {
  readonly agreement: Agreement;
  /** The file the agreement was read from (clause locations are relative to it). */
  readonly agreementFile: string;
  /** Applies events another process ledgered since the last look. */
  refresh(): Promise<void>;
  stateAt(at?: number): EscalationState;
  levelHistory(at?: number): readonly LevelTransition[];
  evaluate(at?: number): TriggerEvaluation[];
  /**
   * Checks, applies and ledgers one event (with the receipts and proposals it entails);
   * `ERR_ESCALATION_EVENT_INVALID` / `ERR_ESCALATION_REFUSED` with every reason, nothing written.
   */
  record(input: EscalationEventInput): Promise<EscalationRecordResult>;
}

/** What one automatic pass recorded (structurally node's `AutomaticInputs`). */
export interface AutomaticInputsView {
  readonly incidents?: {
    readonly from: number;
    readonly to: number;
    readonly counts: readonly {
      readonly rsit: string;
      readonly tlp: string;
      readonly count: number;
    }[];
  };
  readonly quality?: {
    readonly from: number;
    readonly to: number;
    readonly grades: readonly { readonly objectRef: string; readonly grade: string }[];
  };
  readonly written: readonly WrittenEscalationEvent[];
}

/** Escalation for every agreement of the node. */
export interface EscalationPort {
  /** The node's party: official tokens speak only for officials of this party. */
  readonly party: string;
  /** The escalation service of `agreementId`, if the node takes part in it. */
  service(agreementId: string): AgreementEscalation | undefined;
  /**
   * Records the automatic inputs of `agreementId` (incident signals and intel quality from
   * object metadata ingested since the last pass, up to `now`). Absent: evaluation uses only
   * the inputs already recorded.
   */
  automaticInputs?(agreementId: string, now: number): Promise<AutomaticInputsView>;
}
