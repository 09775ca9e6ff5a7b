/**
 * release/: the one door (DESIGN.md invariant 2). Pure: it reaches stored intel, state, the
 * clock and the ledger only through injected {@link ReleasePorts}. The module's only public
 * door.
 */
export { release } from './release.js';
export { attenuateOnward, onwardRule, withoutStamp } from './onward.js';
export type { OnwardVerdict } from './onward.js';
export { ReleaseCache } from './prepared-cache.js';
export type { PreparedEntry, PreparedView, ReleaseCacheOptions } from './prepared-cache.js';
export { releaseEntryBodies, releaseItem, RELEASE_ITEMS_PER_ENTRY } from './ledger-body.js';
export type { ReleaseRecord } from './ledger-body.js';
export type {
  Candidate,
  CandidatePage,
  CandidateQuery,
  OnwardContext,
  ReleaseAgreement,
  ReleaseChannel,
  ReleaseCursor,
  ReleaseFilter,
  ReleaseInput,
  ReleaseLedgerEntry,
  ReleasePorts,
  ReleaseResult,
  ReleasedObject,
  StixObject,
  VersionSelector,
} from './types.js';
