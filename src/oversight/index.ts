/**
 * oversight/: what an independent oversight body reads about a node — compliance indicators
 * computed from the ledger alone (`indicators.ts`) and the quarterly transparency report built
 * from them (`report.ts`). Pure: no I/O; the node reads the ledger and hands the entries in.
 * This file is the module's only public door (STYLE.md).
 */
export type {
  BurdenRow,
  ContributionRow,
  EscalationIndicators,
  FederationRow,
  FindingRow,
  GovernanceIndicators,
  Indicators,
  LevelTime,
  Period,
  ReleaseRow,
  RetentionIndicators,
  TimelinessRow,
} from './types.js';
export { periodFrom, previousQuarter, quarterOf, quarterPeriod } from './period.js';
export { IndicatorFold } from './indicators.js';
export type { IndicatorOptions } from './indicators.js';
export { escalationIndicators } from './escalation-indicators.js';
export { renderTransparencyReport, reportVerification, type ReportOptions } from './report.js';
export { LedgerIndicators, verifiedIndicators } from './ledger-indicators.js';
export type {
  AgreementInForce,
  LedgerIndicatorOptions,
  VerifiedIndicators,
} from './ledger-indicators.js';
/** The report's one inline stylesheet (a page that opens the report may admit it by hash). */
export { REPORT_CSS } from './report-style.js';
export { checkSeen, witnessCheckpoint } from './witness.js';
export type { WitnessInput, WitnessRefusal, WitnessVerdict, WitnessedHead } from './witness.js';
