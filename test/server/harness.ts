/**
 * A TAXII server over a fresh database of one dialect, the fixture agreement (plus a rule for
 * SCOs, so pseudonymous SCO ids are exercised), a real vault and real ingest. Seeded objects
 * come from two producers with TLPs, types and purposes that different agencies see
 * differently.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { NO_MINIMISATION, type Agreement } from '../../src/agreement/index.js';
import { deterministicScoId } from '../../src/intel/index.js';
import { ingestBundle } from '../../src/node/index.js';
import { compileAgreement } from '../../src/policy/index.js';
import type { DecisionState } from '../../src/policy/index.js';
import {
  buildServer,
  federationRoutes,
  memoryAuthStore,
  memoryWithdrawals,
  TAXII_MEDIA_TYPE,
} from '../../src/server/index.js';
import type {
  FederationPorts,
  MemoryAuthStore,
  ServerContext,
  ServerLimits,
  Withdrawals,
} from '../../src/server/index.js';
import { dataKeys, ledgerEntries, objects } from '../../src/store/index.js';
import type { Database } from '../../src/store/index.js';
import { AT, DAY, days, fixtureAgreement, ref } from '../policy/fixture-agreement.js';
import { makeVault } from '../vault/fixtures.js';
import type { VaultFixture } from '../vault/fixtures.js';

export { AT, DAY };
export const TAXII = TAXII_MEDIA_TYPE;
export const TLP = {
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
} as const;

/** The fixture agreement with a rule releasing SCOs (pseudonymised by the core) to all. */
export function serverAgreement(): Agreement {
  const a = fixtureAgreement();
  const [op, ...rest] = a.tiers;
  return {
    ...a,
    tiers: [
      {
        ...op!,
        rules: [
          ...op!.rules,
          {
            id: 'op-observables',
            tier: 'operational',
            types: ['ipv4-addr', 'email-addr', 'domain-name'],
            tlp: ['clear', 'green', 'amber'],
            purposes: ['incident-response'],
            personalData: ['none', 'pseudonymous', 'personal'],
            fromLevel: 0,
            untilLevel: 1,
            retention: days(30),
            minimise: NO_MINIMISATION,
            handling: { pap: 'green', onwardSharing: 'agreement-parties' },
            ref: ref('rule', 'op-observables', 52),
          },
        ],
      },
      ...rest,
    ],
  };
}

/** One server under test. */
export interface ServerUnderTest {
  readonly app: FastifyInstance;
  readonly db: Database;
  readonly vault: VaultFixture;
  readonly auth: MemoryAuthStore;
  readonly withdrawals: Withdrawals;
  /** Bearer tokens: `<agency>:<scopes>`, e.g. `ARV-CERT:rw`, `CAL-CSIRT:r`. */
  readonly tokens: Readonly<Record<string, string>>;
  readonly state: { current: DecisionState };
  /** Ingests a bundle directly as `producer` (bypassing HTTP). */
  seed(producer: string, objs: readonly Record<string, unknown>[]): Promise<void>;
  /** Counts of everything a request could have written. */
  snapshot(): Promise<unknown>;
}

export async function makeServer(
  db: Database,
  limits: Partial<ServerLimits> = {},
  /** Registers the federation endpoints over these ports, as `startNodeServers` does. */
  federation?: FederationPorts,
): Promise<ServerUnderTest> {
  const vault = await makeVault();
  vault.clock.set(AT);
  const agreement = serverAgreement();
  const auth = memoryAuthStore();
  const withdrawals = memoryWithdrawals();
  const state = {
    current: { level: 'baseline', waivers: [], pauses: [], revocations: [] } as DecisionState,
  };
  const tokens: Record<string, string> = {};
  for (const agency of ['ARV-CERT', 'BOR-CERT', 'CAL-CSIRT']) {
    tokens[`${agency}:rw`] = auth.issue(agency, ['read', 'write']).token;
    tokens[`${agency}:r`] = auth.issue(agency, ['read']).token;
    tokens[`${agency}:w`] = auth.issue(agency, ['write']).token;
  }
  tokens['NOBODY:rw'] = auth.issue('NOBODY', ['read', 'write']).token;
  const ctx: ServerContext = {
    ...contextCore(db, vault, agreement),
    state: () => state.current,
    auth,
    withdrawals,
    limits,
  };
  const app = buildServer(ctx);
  if (federation !== undefined) federationRoutes(app, federation);
  await app.ready();
  return {
    app,
    db,
    vault,
    auth,
    withdrawals,
    tokens,
    state,
    async seed(producer, objs) {
      await ingestBundle(
        { type: 'bundle', id: `bundle--${randomUUID()}`, objects: objs },
        {
          db,
          vault: vault.vault,
          clock: vault.clock,
          producer,
          collection: agreement.id,
          retention: { untilMs: AT + 60 * DAY },
        },
      );
    },
    async snapshot() {
      return {
        objects: await objects.count(db),
        ledger: await ledgerEntries.size(db),
        keys: (await dataKeys.list(db)).length,
      };
    },
  };
}

let counter = 0;

/** A STIX indicator marked `tlp`. */
export function indicator(
  tlp: keyof typeof TLP = 'green',
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  const n = ++counter;
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2026-02-01T00:00:00.000Z',
    modified: '2026-02-01T00:00:00.000Z',
    pattern: `[domain-name:value = 'host${n}.example']`,
    pattern_type: 'stix',
    valid_from: '2026-02-01T00:00:00Z',
    object_marking_refs: [TLP[tlp]],
    ...over,
  };
}

/** A threat actor (released only through the ARV–BOR attribution cell). */
export function threatActor(tlp: keyof typeof TLP = 'green'): Record<string, unknown> {
  return {
    type: 'threat-actor',
    spec_version: '2.1',
    id: `threat-actor--${randomUUID()}`,
    created: '2026-02-01T00:00:00.000Z',
    modified: '2026-02-01T00:00:00.000Z',
    name: `actor ${++counter}`,
    object_marking_refs: [TLP[tlp]],
  };
}

/** An IPv4 SCO (its id is pseudonymised on release: the core coarsens IPv4 to /24). */
export function ipv4(n: number): Record<string, unknown> {
  return {
    type: 'ipv4-addr',
    spec_version: '2.1',
    id: deterministicScoId('ipv4-addr', {
      value: `198.51.${Math.floor(n / 250) % 250}.${n % 250}`,
    }),
    value: `198.51.${Math.floor(n / 250) % 250}.${n % 250}`,
    object_marking_refs: [TLP.green],
  };
}

/** Headers of a TAXII GET with a bearer token. */
export function get(token: string | undefined): Record<string, string> {
  return token === undefined
    ? { accept: TAXII }
    : { accept: TAXII, authorization: `Bearer ${token}` };
}

/**
 * What every in-process server test's `ServerContext` holds alike: the store and vault, one
 * agreement compiled with a fresh pseudonym key, and ingest into that store. The caller adds
 * the decision state, credentials and the rest.
 */
export function contextCore(
  db: Database,
  vault: VaultFixture,
  agreement: Agreement,
): Pick<ServerContext, 'db' | 'vault' | 'clock' | 'agreements' | 'ingest'> {
  return {
    db,
    vault: vault.vault,
    clock: vault.clock,
    agreements: [
      {
        agreement,
        engine: compileAgreement(agreement),
        pseudonymKey: { pseudonymKey: randomBytes(32), agreementId: agreement.id },
      },
    ],
    ingest: (bundle, t) =>
      ingestBundle(bundle, {
        db,
        vault: vault.vault,
        clock: vault.clock,
        producer: t.producer,
        collection: t.collection,
        retention: { untilMs: t.retainUntilMs },
      }),
  };
}
