/**
 * Signed approvals: the exact message an official signs, signing and verifying it, and which
 * approvals count towards an `ApprovalRule`'s quorum. Ed25519 via node:crypto only.
 */
import { createHash, sign, verify } from 'node:crypto';
import { canonicalJson, loadPublicKey } from '../agreement/index.js';
import type { Agreement, ApprovalRule, KeyInput, Official } from '../agreement/index.js';
import { loadPrivateKey } from '../agreement/index.js';

/** The domain-separation tag that starts every signed escalation statement. */
export const APPROVAL_DOMAIN = 'concordat-escalation-v1';

/** What a signed statement does: approve a proposal or waiver, or lower a level by hand. */
export type ApprovalAction = 'approve-escalation' | 'approve-waiver' | 'lower';

/**
 * Public keys of officials the agreement does not pin, by official id (SPKI PEM each). An
 * official with a `publicKey` in the agreement is verified against that key only: a registry
 * entry can never override a pinned key.
 */
export type KeyRegistry = Readonly<Record<string, readonly string[]>>;

/**
 * SHA-256 (lowercase hex) of the RFC 8785 canonical JSON of an event, without its `signature`
 * member if it has one. What an approval binds: change any field of the subject and every
 * approval of it stops verifying.
 */
export function eventDigest(event: object): string {
  const copy: Record<string, unknown> = { ...(event as Record<string, unknown>) };
  delete copy['signature'];
  return createHash('sha256').update(canonicalJson(copy), 'utf8').digest('hex');
}

/**
 * The exact bytes an official signs: six lines joined by `\n`, no trailing newline — the domain
 * tag, the agreement id, its version, the action, the digest of the subject event (or, for
 * `lower`, of the lowering event itself) and the official's id. A signature therefore cannot be
 * moved to another agreement, version, action, subject or official.
 */
export function approvalMessage(
  agreement: Pick<Agreement, 'id' | 'version'>,
  action: ApprovalAction,
  digest: string,
  official: string,
): Buffer {
  return Buffer.from(
    [APPROVAL_DOMAIN, agreement.id, String(agreement.version), action, digest, official].join('\n'),
    'utf8',
  );
}

/**
 * Signs a statement as `official` (for officials' tools and tests; the node never holds an
 * official's private key). `subject` is the proposal or waiver request approved, or the
 * `level-lowered` event being signed. Returns base64url without padding.
 *
 * @throws ConcordatError `ERR_KEY_INVALID` when the key is not an Ed25519 private key.
 */
export function signApproval(
  privateKey: KeyInput,
  agreement: Pick<Agreement, 'id' | 'version'>,
  action: ApprovalAction,
  subject: object,
  official: string,
): string {
  const message = approvalMessage(agreement, action, eventDigest(subject), official);
  return sign(null, message, loadPrivateKey(privateKey, 'approval key')).toString('base64url');
}

/** Why one signed statement does not count. */
export type ApprovalProblem =
  'unknown-official' | 'role-not-held' | 'no-key' | 'bad-signature' | 'duplicate';

/**
 * Checks an official's signature and standing (not duplicates: see `countApprovals`). Returns
 * every problem; empty when the statement is valid.
 */
export function checkStatement(
  agreement: Agreement,
  rule: Pick<ApprovalRule, 'roles'>,
  keys: KeyRegistry,
  official: string,
  message: Buffer,
  signature: string,
): ApprovalProblem[] {
  const who: Official | undefined = agreement.officials.find((o) => o.id === official);
  if (who === undefined) return ['unknown-official'];
  const problems: ApprovalProblem[] = [];
  if (rule.roles.length > 0 && !who.roles.some((r) => rule.roles.includes(r)))
    problems.push('role-not-held');
  // The agreement's pinned key wins; the registry is consulted only for unpinned officials.
  const candidates = who.publicKey !== undefined ? [who.publicKey] : (keys[official] ?? []);
  if (candidates.length === 0) problems.push('no-key');
  else if (!candidates.some((pem) => verifies(pem, message, signature)))
    problems.push('bad-signature');
  return problems;
}

function verifies(pem: string, message: Buffer, signature: string): boolean {
  // Ed25519 signatures are 64 bytes: 86 base64url characters without padding.
  if (!/^[A-Za-z0-9_-]{86}$/.test(signature)) return false;
  try {
    return verify(null, message, loadPublicKey(pem), Buffer.from(signature, 'base64url'));
  } catch {
    // A malformed registry key verifies nothing.
    return false;
  }
}

/** An approval as the state records it. */
export interface RecordedApproval {
  /** The `approval` event id. */
  readonly id: string;
  readonly official: string;
  readonly party: string | undefined;
  readonly at: number;
  /** Empty when it counts. */
  readonly problems: readonly ApprovalProblem[];
}

/**
 * Whether valid approvals meet a rule: `quorum` distinct officials, from distinct parties when
 * `distinctParties` (then each party counts once). Invalid and duplicate approvals never count.
 */
export function quorumMet(rule: ApprovalRule, approvals: readonly RecordedApproval[]): boolean {
  if (rule.automatic) return true;
  const valid = approvals.filter((a) => a.problems.length === 0);
  const counted = new Set(valid.map((a) => (rule.distinctParties ? a.party : a.official)));
  return counted.size >= rule.quorum;
}
