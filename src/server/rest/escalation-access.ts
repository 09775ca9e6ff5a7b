/**
 * Who may act on escalation over REST (docs/escalation-api.md): a designated official of this
 * node's party, by a token bound to the official (`concordat token issue --official`), whose
 * party and roles are read from the agreement at each request. Agency credentials never reach
 * these endpoints (403); an `admin` credential (the node operator) may read and evaluate.
 * Officials of other parties act only through their signatures on approvals.
 */
import type { Agreement, Official } from '../../agreement/index.js';
import { ConcordatError } from '../../core/index.js';
import type { Principal } from '../auth.js';
import type { AgreementEscalation, EscalationPort } from './escalation-port.js';

/** The agreement's service and who is acting (`official` absent: an admin credential). */
export interface EscalationAccess {
  readonly service: AgreementEscalation;
  readonly official?: Official;
}

function forbidden(message: string, details?: object): ConcordatError {
  return new ConcordatError('ERR_FORBIDDEN', message, details === undefined ? {} : { details });
}

/**
 * `ERR_FORBIDDEN` unless the credential may reach an escalation route at all: an official's
 * token, or (for reads and evaluation) an `admin` credential. Checked before the body is
 * validated, so an agency learns nothing from these routes.
 */
export function assertEscalationCredential(p: Principal, adminMayRead: boolean): void {
  const admin = p.official === undefined && p.scopes.includes('admin');
  if (p.official === undefined && !(admin && adminMayRead))
    throw forbidden(
      admin
        ? 'escalation writes are made by designated officials: use an official’s token (`concordat token issue --official ID`)'
        : 'agency credentials cannot act on escalation: use an official’s token (`concordat token issue --official ID`)',
    );
}

/**
 * The service of `agreementId` and the acting official.
 *
 * @throws ConcordatError `ERR_FORBIDDEN` for an agency credential, an official the agreement
 *   does not name (or names for another party), or an admin credential on a write;
 *   `ERR_NOT_FOUND` when the node takes no part in the agreement.
 */
export function escalationAccess(
  port: EscalationPort,
  p: Principal,
  agreementId: string,
  options: { readonly adminMayRead: boolean },
): EscalationAccess {
  assertEscalationCredential(p, options.adminMayRead);
  const service = port.service(agreementId);
  if (service === undefined) throw new ConcordatError('ERR_NOT_FOUND', 'agreement not found');
  if (p.official === undefined) return { service };
  const official = service.agreement.officials.find((o) => o.id === p.official);
  if (official === undefined)
    throw forbidden(
      `agreement \`${service.agreement.id}\` version ${service.agreement.version} names no official \`${p.official}\`; the token no longer speaks for anyone here`,
      { official: p.official },
    );
  if (official.party !== port.party)
    throw forbidden(
      `official \`${official.id}\` is of party \`${official.party}\`, not this node’s party \`${port.party}\`; submit a signed approval instead`,
      { official: official.id },
    );
  return { service, official };
}

/** The acting official, or `ERR_FORBIDDEN` for an admin credential (writes need an official). */
export function actingOfficial(access: EscalationAccess): Official {
  if (access.official === undefined)
    throw forbidden('escalation writes are made by designated officials, not by `admin`');
  return access.official;
}

/**
 * `ERR_FORBIDDEN` naming the missing role unless `official` holds one of `roles` (an empty
 * list: any designated official). `clause` says which rule of the agreement requires it.
 */
export function requireRole(official: Official, roles: readonly string[], clause: string): void {
  if (roles.length === 0 || official.roles.some((r) => roles.includes(r))) return;
  const names = roles.map((r) => `\`${r}\``).join(', ');
  throw forbidden(
    `official \`${official.id}\` lacks the role ${roles.length === 1 ? names : `(one of ${names})`} that ${clause} requires`,
    { official: official.id, missingRole: roles, held: official.roles, clause },
  );
}

/** The approval roles of the proposal's trigger (`ERR_NOT_FOUND` for an unknown proposal). */
export function proposalRoles(
  agreement: Agreement,
  service: AgreementEscalation,
  proposalId: string,
): { roles: readonly string[]; clause: string } {
  const proposal = service.stateAt().proposals.find((p) => p.id === proposalId);
  if (proposal === undefined)
    throw new ConcordatError(
      'ERR_NOT_FOUND',
      `no escalation proposal \`${proposalId.slice(0, 64)}\``,
    );
  const trigger = agreement.triggers.find((t) => t.id === proposal.trigger);
  return {
    roles: trigger?.approval.roles ?? [],
    clause: `the approval of trigger \`${proposal.trigger}\``,
  };
}

/** The waiver policy's approval roles (`ERR_NOT_FOUND` for an unknown waiver). */
export function waiverRoles(
  agreement: Agreement,
  service: AgreementEscalation,
  waiverId: string,
): { roles: readonly string[]; clause: string } {
  if (!service.stateAt().waivers.some((w) => w.id === waiverId))
    throw new ConcordatError('ERR_NOT_FOUND', `no waiver \`${waiverId.slice(0, 64)}\``);
  return { roles: agreement.waivers?.approval.roles ?? [], clause: 'the waiver policy’s approval' };
}

/** The official an approval names, from the agreement (`ERR_FORBIDDEN` when not named). */
export function namedOfficial(agreement: Agreement, id: string): Official {
  const o = agreement.officials.find((x) => x.id === id);
  if (o === undefined)
    throw forbidden(`agreement \`${agreement.id}\` names no official \`${id.slice(0, 64)}\``, {
      official: id,
    });
  return o;
}
