/**
 * Agreement versions: list, read (members and admins only), validate, load (validated and
 * signed by every party with the node's trusted keys → pending), activate (admin; ledgered as
 * a `governance` entry before the registry changes — an activation not on the ledger did not
 * happen). Agreements are not intel, but their existence between parties is not everyone's.
 */
import type { FastifyInstance } from 'fastify';
import {
  agreementDigest,
  canonicalJson,
  parseAgreement,
  verifyAgreementSignatures,
} from '../../agreement/index.js';
import type {
  Agreement,
  AgreementIssue,
  TrustedKeys,
  VerifyResult,
} from '../../agreement/index.js';
import { ConcordatError } from '../../core/index.js';
import type { Principal } from '../auth.js';
import { requireScope } from '../route-deps.js';
import type { StoredAgreementVersion } from './ports.js';
import { isAdmin, port, principal, restRoute, sendJson, type RestDeps } from './rest-deps.js';
import type { RouteSpec } from './route-spec.js';

const SPECS = {
  list: {
    method: 'GET',
    url: '/api/v1/agreements',
    operationId: 'listAgreements',
    summary:
      'agreement versions the agency belongs to, or that designate the official (all, for admin): ids, versions, digests, in force',
    tag: 'agreements',
    auth: 'any',
    responses: { '200': { description: 'agreement versions', schema: 'AgreementList' } },
    errorStatuses: [401, 406, 503],
  },
  get: {
    method: 'GET',
    url: '/api/v1/agreements/:id',
    operationId: 'getAgreement',
    summary: 'the canonical document, digest and signature status of one version',
    tag: 'agreements',
    auth: 'any',
    params: 'AgreementIdParams',
    query: 'AgreementVersionQuery',
    responses: { '200': { description: 'the agreement version', schema: 'AgreementDocument' } },
    errorStatuses: [400, 401, 404, 406, 503],
  },
  validate: {
    method: 'POST',
    url: '/api/v1/agreements/validate',
    operationId: 'validateAgreement',
    summary: 'validate agreement text (YAML or JSON): every issue with path and line:column',
    tag: 'agreements',
    auth: 'any',
    body: { kind: 'text', mediaTypes: ['application/yaml', 'text/yaml', 'application/json'] },
    responses: {
      '200': { description: 'the validation report (ok or not)', schema: 'ValidationReport' },
    },
    errorStatuses: [401, 406, 413, 415],
  },
  load: {
    method: 'POST',
    url: '/api/v1/agreements',
    operationId: 'loadAgreement',
    summary: 'load a new agreement version: validated, signed by every party → pending',
    tag: 'agreements',
    auth: 'admin',
    body: { kind: 'json', schema: 'AgreementLoad', mediaTypes: ['application/json'] },
    responses: { '201': { description: 'stored as pending', schema: 'AgreementLoaded' } },
    errorStatuses: [400, 401, 403, 406, 409, 413, 415, 422, 503],
  },
  activate: {
    method: 'POST',
    url: '/api/v1/agreements/:id/versions/:version/activate',
    operationId: 'activateAgreement',
    summary: 'activate a pending version (admin; ledgered as a governance event)',
    tag: 'agreements',
    auth: 'admin',
    params: 'AgreementVersionParams',
    responses: { '200': { description: 'active', schema: 'Activation' } },
    errorStatuses: [400, 401, 403, 404, 406, 409, 503],
  },
} as const satisfies Record<string, RouteSpec>;

function model(v: StoredAgreementVersion): Agreement | undefined {
  const parsed = parseAgreement(canonicalJson(v.document), { format: 'json' });
  return parsed.ok ? parsed.agreement : undefined;
}

/** Admin, an agency of the agreement, or an official it designates (who approves under it). */
function member(a: Agreement | undefined, p: Principal): boolean {
  if (isAdmin(p)) return true;
  if (a === undefined) return false;
  if (p.official !== undefined) return a.officials.some((o) => o.id === p.official);
  return a.agencies.some((x) => x.id === p.agency);
}

function inForce(v: StoredAgreementVersion, a: Agreement | undefined, now: number): boolean {
  return (
    v.status === 'active' &&
    a !== undefined &&
    a.effective.from <= now &&
    (a.effective.until === undefined || now < a.effective.until)
  );
}

function signatureStatus(r: VerifyResult): Record<string, unknown> {
  return {
    ok: r.ok,
    signed: r.signed,
    missing: r.missing,
    problems: [
      ...r.problems.map((p) => `${p.code}: ${p.message}`),
      ...r.signatures.flatMap((s) => (s.valid ? [] : [`signature ${s.index}: ${s.reason}`])),
    ],
  };
}

function verify(v: { document: unknown; signatures: unknown }, keys: TrustedKeys): VerifyResult {
  return verifyAgreementSignatures(v.document, v.signatures, keys);
}

function issueJson(i: AgreementIssue): AgreementIssue {
  return {
    code: i.code,
    severity: i.severity,
    message: i.message,
    path: i.path,
    line: i.line,
    column: i.column,
  };
}

/** Registers the agreement routes (the validate route in its own text-parsing context). */
export function agreementRoutes(app: FastifyInstance, deps: RestDeps): void {
  restRoute(app, deps, SPECS.list, async (request, reply) => {
    const p = principal(request);
    const now = deps.clock.now();
    const out = [];
    for (const v of await port(deps, 'registry').list()) {
      const a = model(v);
      if (!member(a, p)) continue;
      out.push({
        id: v.id,
        version: v.version,
        digest: v.digest,
        status: v.status,
        inForce: inForce(v, a, now),
      });
    }
    return sendJson(reply, 200, { agreements: out });
  });

  restRoute(app, deps, SPECS.get, async (request, reply) => {
    const p = principal(request);
    const { id } = request.params as { id: string };
    const q = request.query as { version?: string };
    const all = (await port(deps, 'registry').list()).filter((v) => v.id === id);
    const v =
      q.version !== undefined
        ? all.find((x) => x.version === Number(q.version))
        : (all.find((x) => x.status === 'active') ?? all[all.length - 1]);
    const a = v === undefined ? undefined : model(v);
    // Not a member: the same 404 as an agreement this node does not hold.
    if (v === undefined || !member(a, p))
      throw new ConcordatError('ERR_NOT_FOUND', 'agreement not found');
    return sendJson(reply, 200, {
      id: v.id,
      version: v.version,
      digest: v.digest,
      status: v.status,
      inForce: inForce(v, a, deps.clock.now()),
      canonical: canonicalJson(v.document),
      signatures: signatureStatus(verify(v, port(deps, 'trustedKeys'))),
    });
  });

  app.register(async (text) => {
    text.removeAllContentTypeParsers();
    text.addContentTypeParser(
      ['application/yaml', 'text/yaml', 'application/json'],
      { parseAs: 'string', bodyLimit: deps.limits.maxContentLength },
      (_request, body, done) => done(null, body),
    );
    restRoute(text, deps, SPECS.validate, async (request, reply) => {
      const json = /^application\/json\b/i.test(request.headers['content-type'] ?? '');
      const parsed = parseAgreement(String(request.body ?? ''), { format: json ? 'json' : 'yaml' });
      return sendJson(reply, 200, {
        ok: parsed.ok,
        ...(parsed.ok
          ? {
              id: parsed.agreement.id,
              version: parsed.agreement.version,
              digest: agreementDigest(parsed.document),
            }
          : {}),
        issues: parsed.issues.map(issueJson),
      });
    });
  });

  restRoute(app, deps, SPECS.load, async (request, reply) => {
    requireScope(principal(request), 'admin');
    const registry = port(deps, 'registry');
    const keys = port(deps, 'trustedKeys');
    const body = request.body as { source: string; format?: 'yaml' | 'json'; signatures: unknown };
    const parsed = parseAgreement(body.source, { format: body.format ?? 'yaml' });
    if (!parsed.ok)
      throw new ConcordatError(
        'ERR_AGREEMENT_INVALID',
        'the agreement is invalid; every issue is listed',
        {
          details: { issues: parsed.issues.map(issueJson) },
        },
      );
    const verdict = verify({ document: parsed.document, signatures: body.signatures }, keys);
    if (!verdict.ok)
      throw new ConcordatError(
        'ERR_AGREEMENT_NOT_SIGNED',
        'the agreement is not validly signed by every party with this node’s trusted keys',
        { details: signatureStatus(verdict) },
      );
    const stored = await registry.putPending({
      id: parsed.agreement.id,
      version: parsed.agreement.version,
      digest: verdict.digest,
      document: parsed.document,
      signatures: body.signatures as StoredAgreementVersion['signatures'],
      loadedAt: deps.clock.now(),
    });
    if (!stored)
      throw new ConcordatError(
        'ERR_AGREEMENT_VERSION_CONFLICT',
        `agreement \`${parsed.agreement.id}\` version \`${parsed.agreement.version}\` is already loaded`,
      );
    return sendJson(reply, 201, {
      id: parsed.agreement.id,
      version: parsed.agreement.version,
      digest: verdict.digest,
      status: 'pending',
      signatures: signatureStatus(verdict),
      warnings: parsed.issues.map(issueJson),
    });
  });

  restRoute(app, deps, SPECS.activate, async (request, reply) => {
    const p = principal(request);
    requireScope(p, 'admin');
    const registry = port(deps, 'registry');
    const ledger = port(deps, 'ledger');
    const params = request.params as { id: string; version: string };
    const version = Number(params.version);
    const v = await registry.get(params.id, version);
    if (v === undefined) throw new ConcordatError('ERR_NOT_FOUND', 'agreement version not found');
    if (v.status !== 'pending')
      throw new ConcordatError(
        'ERR_AGREEMENT_VERSION_CONFLICT',
        `agreement \`${v.id}\` version \`${v.version}\` is \`${v.status}\`, not pending`,
      );
    const at = deps.clock.now();
    // Ledger first: ids and the digest only.
    const { seq } = await ledger.append('governance', {
      event: 'agreement-activated',
      agreementId: v.id,
      version: v.version,
      digest: v.digest,
      by: p.agency,
    });
    if (!(await registry.activate(v.id, v.version, at)))
      throw new ConcordatError(
        'ERR_AGREEMENT_VERSION_CONFLICT',
        `agreement \`${v.id}\` version \`${v.version}\` is no longer pending`,
      );
    return sendJson(reply, 200, {
      id: v.id,
      version: v.version,
      digest: v.digest,
      status: 'active',
      ledgerSeq: seq,
    });
  });
}

/** The agreements routes as the OpenAPI document describes them. */
export const AGREEMENTS_ROUTES: readonly RouteSpec[] = Object.values(SPECS);
