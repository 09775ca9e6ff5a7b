/**
 * Escalation over REST (docs/escalation-api.md): risk ratings, the level and its history,
 * trigger evaluation (with the automatic inputs from ingested metadata), waivers, pauses and
 * signed approvals, under `/api/v1/agreements/{id}/…`. Each write checks the role the agreement
 * requires (403 naming it), records the event through the escalation service — on the ledger,
 * with every receipt and proposal it entails — and answers the resulting state.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Match, PersonalData, RsitClass, Tlp } from '../../agreement/index.js';
import { ConcordatError, parseInstant } from '../../core/index.js';
import type { EscalationState } from '../../escalation/index.js';
import {
  actingOfficial,
  assertEscalationCredential,
  escalationAccess,
  namedOfficial,
  proposalRoles,
  requireRole,
  waiverRoles,
  type EscalationAccess,
} from './escalation-access.js';
import {
  evaluationView,
  levelStateView,
  ratingsView,
  recordedView,
  transitionView,
  pausesView,
  waiversView,
} from './escalation-views.js';
import { port, principal, restRoute, sendJson, type RestDeps } from './rest-deps.js';
import type { RouteSpec } from './route-spec.js';

const BASE = '/api/v1/agreements/:id';
const READ_ERRORS = [400, 401, 403, 404, 406, 503];
const WRITE_ERRORS = [400, 401, 403, 404, 406, 409, 413, 415, 503];
const json = ['application/json'];

const SPECS = {
  riskGet: {
    method: 'GET',
    url: `${BASE}/risk`,
    operationId: 'getRiskRatings',
    summary: 'every party’s latest national risk rating (official of this node, or admin)',
    tag: 'agreements',
    auth: 'any',
    params: 'EscalationParams',
    query: 'EscalationAtQuery',
    responses: { '200': { description: 'the ratings', schema: 'RiskRatings' } },
    errorStatuses: READ_ERRORS,
  },
  riskPut: {
    method: 'PUT',
    url: `${BASE}/risk`,
    operationId: 'setRiskRating',
    summary: 'publish the risk rating (0–5) of the official’s own party',
    tag: 'agreements',
    auth: 'any',
    params: 'EscalationParams',
    body: { kind: 'json', schema: 'RiskRatingSet', mediaTypes: json },
    responses: { '200': { description: 'recorded', schema: 'EscalationRecorded' } },
    errorStatuses: WRITE_ERRORS,
  },
  level: {
    method: 'GET',
    url: `${BASE}/level`,
    operationId: 'getLevel',
    summary: 'the cooperation level, its cause and sunset, and every proposal (with its digest)',
    tag: 'agreements',
    auth: 'any',
    params: 'EscalationParams',
    query: 'EscalationAtQuery',
    responses: { '200': { description: 'the level', schema: 'EscalationLevel' } },
    errorStatuses: READ_ERRORS,
  },
  history: {
    method: 'GET',
    url: `${BASE}/level/history`,
    operationId: 'getLevelHistory',
    summary: 'every level change (raised, renewed, lowered) and why',
    tag: 'agreements',
    auth: 'any',
    params: 'EscalationParams',
    query: 'EscalationAtQuery',
    responses: { '200': { description: 'the history', schema: 'LevelHistory' } },
    errorStatuses: READ_ERRORS,
  },
  evaluate: {
    method: 'POST',
    url: `${BASE}/triggers/evaluate`,
    operationId: 'evaluateTriggers',
    summary:
      'record the automatic inputs (incident signals, intel quality) and evaluate every trigger; with `at`, evaluate that past instant only',
    tag: 'agreements',
    auth: 'any',
    params: 'EscalationParams',
    query: 'EscalationAtQuery',
    responses: { '200': { description: 'each trigger', schema: 'TriggerEvaluations' } },
    errorStatuses: WRITE_ERRORS,
  },
  waivers: {
    method: 'GET',
    url: `${BASE}/waivers`,
    operationId: 'listWaivers',
    summary: 'every waiver request, its status, approvals and deadlines',
    tag: 'agreements',
    auth: 'any',
    params: 'EscalationParams',
    query: 'EscalationAtQuery',
    responses: { '200': { description: 'the waivers', schema: 'WaiverList' } },
    errorStatuses: READ_ERRORS,
  },
  waiverRequest: {
    method: 'POST',
    url: `${BASE}/waivers`,
    operationId: 'requestWaiver',
    summary: 'request a bounded waiver (refused with every clause that forbids it)',
    tag: 'agreements',
    auth: 'any',
    params: 'EscalationParams',
    body: { kind: 'json', schema: 'WaiverRequestBody', mediaTypes: json },
    responses: { '201': { description: 'requested', schema: 'EscalationRecorded' } },
    errorStatuses: WRITE_ERRORS,
  },
  waiverApprove: {
    method: 'POST',
    url: `${BASE}/waivers/:wid/approve`,
    operationId: 'approveWaiver',
    summary:
      'a signed approval of a waiver request (the approving official needs the policy’s role)',
    tag: 'agreements',
    auth: 'any',
    params: 'WaiverParams',
    body: { kind: 'json', schema: 'SignedApproval', mediaTypes: json },
    responses: { '200': { description: 'recorded', schema: 'EscalationRecorded' } },
    errorStatuses: WRITE_ERRORS,
  },
  waiverClose: {
    method: 'POST',
    url: `${BASE}/waivers/:wid/close`,
    operationId: 'closeWaiver',
    summary: 'end an active waiver early, or withdraw a pending request',
    tag: 'agreements',
    auth: 'any',
    params: 'WaiverParams',
    body: { kind: 'json', schema: 'ReasonBody', mediaTypes: json },
    responses: { '200': { description: 'recorded', schema: 'EscalationRecorded' } },
    errorStatuses: WRITE_ERRORS,
  },
  waiverReview: {
    method: 'POST',
    url: `${BASE}/waivers/:wid/review`,
    operationId: 'fileWaiverReview',
    summary: 'file the post-incident review of an ended waiver (by reference, never the document)',
    tag: 'agreements',
    auth: 'any',
    params: 'WaiverParams',
    body: { kind: 'json', schema: 'ReviewBody', mediaTypes: json },
    responses: { '200': { description: 'recorded', schema: 'EscalationRecorded' } },
    errorStatuses: WRITE_ERRORS,
  },
  pauses: {
    method: 'GET',
    url: `${BASE}/pauses`,
    operationId: 'listPauses',
    summary: 'every pause (in force or resumed, with its dispute) and every sanction',
    tag: 'agreements',
    auth: 'any',
    params: 'EscalationParams',
    query: 'EscalationAtQuery',
    responses: { '200': { description: 'the pauses and sanctions', schema: 'PauseList' } },
    errorStatuses: READ_ERRORS,
  },
  pause: {
    method: 'POST',
    url: `${BASE}/pauses`,
    operationId: 'pauseSharing',
    summary: 'pause (part of) this node’s party’s sharing, at once',
    tag: 'agreements',
    auth: 'any',
    params: 'EscalationParams',
    body: { kind: 'json', schema: 'PauseBody', mediaTypes: json },
    responses: { '201': { description: 'paused', schema: 'EscalationRecorded' } },
    errorStatuses: WRITE_ERRORS,
  },
  resume: {
    method: 'POST',
    url: `${BASE}/pauses/:pid/resume`,
    operationId: 'resumeSharing',
    summary: 'resume a pause of this node’s party',
    tag: 'agreements',
    auth: 'any',
    params: 'PauseParams',
    responses: { '200': { description: 'resumed', schema: 'EscalationRecorded' } },
    errorStatuses: WRITE_ERRORS,
  },
  approval: {
    method: 'POST',
    url: `${BASE}/approvals`,
    operationId: 'submitApproval',
    summary:
      'submit an official’s signed approval of a proposal or waiver (officials of any party; verified against pinned or configured keys)',
    tag: 'agreements',
    auth: 'any',
    params: 'EscalationParams',
    body: { kind: 'json', schema: 'ApprovalSubmission', mediaTypes: json },
    responses: { '200': { description: 'recorded', schema: 'EscalationRecorded' } },
    errorStatuses: WRITE_ERRORS,
  },
} as const satisfies Record<string, RouteSpec>;

function instantQuery(request: FastifyRequest): number | undefined {
  const at = (request.query as { at?: string } | undefined)?.at;
  if (at === undefined) return undefined;
  const t = parseInstant(at);
  if (t === undefined)
    throw new ConcordatError(
      'ERR_USAGE',
      `\`at\` \`${at.slice(0, 64)}\` is not an rfc 3339 instant (e.g. 2026-03-03T14:00:00Z)`,
    );
  return t;
}

/** Whether a route admits an `admin` credential (reads and evaluation). */
function adminMayUse(spec: RouteSpec): boolean {
  return spec.method === 'GET' || spec === SPECS.evaluate;
}

/**
 * Registers the escalation routes, in their own context whose `preValidation` hook refuses
 * agency credentials (403) before any body or parameter is looked at.
 */
export function escalationRoutes(parent: FastifyInstance, deps: RestDeps): void {
  parent.register(async (app) => {
    app.addHook('preValidation', async (request) => {
      const spec = (request.routeOptions.config as { spec?: RouteSpec }).spec;
      if (spec !== undefined) assertEscalationCredential(principal(request), adminMayUse(spec));
    });
    registerEscalationRoutes(app, deps);
  });
}

function registerEscalationRoutes(app: FastifyInstance, deps: RestDeps): void {
  const access = (request: FastifyRequest, adminMayRead: boolean): EscalationAccess => {
    const p = principal(request);
    const { id } = request.params as { id: string };
    return escalationAccess(port(deps, 'escalation'), p, id, { adminMayRead });
  };
  const reader = async (request: FastifyRequest): Promise<{ a: EscalationAccess; at: number }> => {
    const a = access(request, true);
    const at = instantQuery(request) ?? deps.clock.now();
    await a.service.refresh();
    return { a, at };
  };

  restRoute(app, deps, SPECS.riskGet, async (request, reply) => {
    const { a, at } = await reader(request);
    return sendJson(reply, 200, ratingsView(a.service.stateAt(at)));
  });

  restRoute(app, deps, SPECS.riskPut, async (request, reply) => {
    const a = access(request, false);
    const o = actingOfficial(a);
    const body = request.body as { party: string; rating: number; reason: string };
    // The agreement names no role for ratings: a party's own officials speak for it.
    if (o.party !== body.party)
      throw new ConcordatError(
        'ERR_FORBIDDEN',
        `official \`${o.id}\` speaks for party \`${o.party}\`, not \`${body.party.slice(0, 64)}\`; each party publishes its own rating`,
        { details: { official: o.id, party: body.party } },
      );
    const r = await a.service.record({
      type: 'risk-rating-published',
      actor: o.id,
      party: body.party,
      rating: body.rating,
      setBy: o.id,
      reason: body.reason,
    });
    return sendJson(reply, 200, recordedView(r));
  });

  restRoute(app, deps, SPECS.level, async (request, reply) => {
    const { a, at } = await reader(request);
    return sendJson(reply, 200, levelStateView(a.service.stateAt(at)));
  });

  restRoute(app, deps, SPECS.history, async (request, reply) => {
    const { a, at } = await reader(request);
    const agreement = a.service.agreement;
    return sendJson(reply, 200, {
      agreement: agreement.id,
      at: new Date(at).toISOString(),
      transitions: a.service.levelHistory(at).map((t) => transitionView(agreement, t)),
    });
  });

  restRoute(app, deps, SPECS.evaluate, async (request, reply) => {
    const a = access(request, true);
    const at = instantQuery(request);
    const now = deps.clock.now();
    const esc = port(deps, 'escalation');
    await a.service.refresh();
    // Automatic inputs are recorded now, never for a past instant (the ledger is append-only).
    const auto =
      at === undefined && esc.automaticInputs !== undefined
        ? await esc.automaticInputs(a.service.agreement.id, now)
        : undefined;
    const when = at ?? now;
    const file = a.service.agreementFile;
    return sendJson(reply, 200, {
      agreement: a.service.agreement.id,
      at: new Date(when).toISOString(),
      ...(auto === undefined
        ? {}
        : {
            automatic: {
              ...(auto.incidents === undefined
                ? {}
                : {
                    incidents: {
                      from: new Date(auto.incidents.from).toISOString(),
                      to: new Date(auto.incidents.to).toISOString(),
                      counts: auto.incidents.counts,
                    },
                  }),
              ...(auto.quality === undefined
                ? {}
                : {
                    quality: {
                      from: new Date(auto.quality.from).toISOString(),
                      to: new Date(auto.quality.to).toISOString(),
                      grades: auto.quality.grades,
                    },
                  }),
              written: auto.written.map((w) => ({
                seq: w.seq,
                id: w.event.id,
                type: w.event.type,
                at: new Date(w.event.at).toISOString(),
              })),
            },
          }),
      level: a.service.stateAt(when).current.level.id,
      triggers: a.service.evaluate(when).map((e) => evaluationView(e, file)),
    });
  });

  restRoute(app, deps, SPECS.waivers, async (request, reply) => {
    const { a, at } = await reader(request);
    return sendJson(reply, 200, waiversView(a.service.stateAt(at)));
  });

  restRoute(app, deps, SPECS.pauses, async (request, reply) => {
    const { a, at } = await reader(request);
    return sendJson(reply, 200, pausesView(a.service.stateAt(at)));
  });

  restRoute(app, deps, SPECS.waiverRequest, async (request, reply) => {
    const a = access(request, false);
    const o = actingOfficial(a);
    const body = request.body as {
      justification: string;
      duration: string;
      retention: string;
      scope: {
        agencies: string[];
        grants: {
          types: string[];
          tlp: string[];
          purposes: string[];
          personalData: string[];
          rsit?: string[];
        };
      };
    };
    const { grants } = body.scope;
    const r = await a.service.record({
      type: 'waiver-requested',
      actor: o.id,
      justification: body.justification,
      duration: body.duration,
      retention: body.retention,
      scope: {
        agencies: body.scope.agencies,
        grants: {
          types: grants.types,
          tlp: grants.tlp as Tlp[],
          purposes: grants.purposes,
          personalData: grants.personalData as PersonalData[],
          ...(grants.rsit === undefined ? {} : { rsit: grants.rsit as RsitClass[] }),
        },
      },
    });
    return sendJson(reply, 201, recordedView(r, waiverSubject(r.state, r.event.id)));
  });

  restRoute(app, deps, SPECS.waiverApprove, async (request, reply) => {
    const a = access(request, false);
    const o = actingOfficial(a);
    const { wid } = request.params as { wid: string };
    const body = request.body as { official?: string; signature: string };
    const agreement = a.service.agreement;
    await a.service.refresh();
    const approver = body.official === undefined ? o : namedOfficial(agreement, body.official);
    const { roles, clause } = waiverRoles(agreement, a.service, wid);
    requireRole(approver, roles, clause);
    const r = await a.service.record({
      type: 'approval',
      actor: approver.id,
      official: approver.id,
      subject: { kind: 'waiver', id: wid },
      signature: body.signature,
    });
    return sendJson(reply, 200, recordedView(r, waiverSubject(r.state, wid)));
  });

  restRoute(app, deps, SPECS.waiverClose, async (request, reply) => {
    const a = access(request, false);
    const o = actingOfficial(a);
    const { wid } = request.params as { wid: string };
    const agreement = a.service.agreement;
    await a.service.refresh();
    const { roles, clause } = waiverRoles(agreement, a.service, wid);
    // Those who may grant a waiver may end it; closing only narrows.
    requireRole(o, roles, clause);
    const r = await a.service.record({
      type: 'waiver-closed',
      actor: o.id,
      waiver: wid,
      reason: (request.body as { reason: string }).reason,
    });
    return sendJson(reply, 200, recordedView(r, waiverSubject(r.state, wid)));
  });

  restRoute(app, deps, SPECS.waiverReview, async (request, reply) => {
    const a = access(request, false);
    const o = actingOfficial(a);
    const { wid } = request.params as { wid: string };
    await a.service.refresh();
    // Any designated official of this node files the review: it only records that it exists.
    waiverRoles(a.service.agreement, a.service, wid);
    const r = await a.service.record({
      type: 'waiver-review-filed',
      actor: o.id,
      waiver: wid,
      reportRef: (request.body as { reportRef: string }).reportRef,
    });
    return sendJson(reply, 200, recordedView(r, waiverSubject(r.state, wid)));
  });

  restRoute(app, deps, SPECS.pause, async (request, reply) => {
    const a = access(request, false);
    const o = actingOfficial(a);
    const body = request.body as { scope: Match; reason: string; dispute?: { subject: string } };
    const r = await a.service.record({
      type: 'pause',
      actor: o.id,
      party: o.party,
      scope: body.scope,
      reason: body.reason,
      ...(body.dispute === undefined ? {} : { dispute: body.dispute }),
    });
    return sendJson(reply, 201, recordedView(r, pauseSubject(r.state, r.event.id)));
  });

  restRoute(app, deps, SPECS.resume, async (request, reply) => {
    const a = access(request, false);
    const o = actingOfficial(a);
    const { pid } = request.params as { pid: string };
    await a.service.refresh();
    if (!a.service.stateAt().pauses.some((p) => p.id === pid))
      throw new ConcordatError('ERR_NOT_FOUND', `no pause \`${pid.slice(0, 64)}\``);
    const r = await a.service.record({ type: 'resume', actor: o.id, party: o.party, pause: pid });
    return sendJson(reply, 200, recordedView(r, pauseSubject(r.state, pid)));
  });

  restRoute(app, deps, SPECS.approval, async (request, reply) => {
    const a = access(request, false);
    actingOfficial(a);
    const body = request.body as {
      subject: { kind: 'escalation' | 'waiver'; id: string };
      official: string;
      signature: string;
    };
    const agreement = a.service.agreement;
    await a.service.refresh();
    const approver = namedOfficial(agreement, body.official);
    const { roles, clause } =
      body.subject.kind === 'escalation'
        ? proposalRoles(agreement, a.service, body.subject.id)
        : waiverRoles(agreement, a.service, body.subject.id);
    requireRole(approver, roles, clause);
    const r = await a.service.record({
      type: 'approval',
      actor: approver.id,
      official: approver.id,
      subject: body.subject,
      signature: body.signature,
    });
    const subject =
      body.subject.kind === 'escalation'
        ? proposalSubject(r.state, body.subject.id)
        : waiverSubject(r.state, body.subject.id);
    return sendJson(reply, 200, recordedView(r, subject));
  });
}

type State = EscalationState;

function waiverSubject(s: State, id: string): Record<string, unknown> | undefined {
  const w = (waiversView(s).waivers as { id: string }[]).find((x) => x.id === id);
  return w === undefined ? undefined : { kind: 'waiver', ...w };
}

function proposalSubject(s: State, id: string): Record<string, unknown> | undefined {
  const p = (levelStateView(s).proposals as { id: string }[]).find((x) => x.id === id);
  return p === undefined ? undefined : { kind: 'proposal', ...p };
}

function pauseSubject(s: State, id: string): Record<string, unknown> | undefined {
  const p = s.pauses.find((x) => x.id === id);
  return p === undefined
    ? undefined
    : {
        kind: 'pause',
        id: p.id,
        party: p.party,
        scope: p.scope,
        reason: p.reason,
        since: new Date(p.since).toISOString(),
        ...(p.resumedAt === undefined ? {} : { resumedAt: new Date(p.resumedAt).toISOString() }),
        ...(p.dispute === undefined ? {} : { dispute: p.dispute }),
      };
}

/** The escalation routes as the OpenAPI document describes them. */
export const ESCALATION_ROUTES: readonly RouteSpec[] = Object.values(SPECS);
