/** Shared fixtures for the intel tests: small valid STIX objects and the ../shared data. */
import { readdirSync, readFileSync } from 'node:fs';

export const SHARED = new URL('../../../shared/data/', import.meta.url);

export function readShared(path: string): unknown {
  return JSON.parse(readFileSync(new URL(path, SHARED), 'utf8'));
}

/** Every official OASIS example file, as `[relative path, parsed JSON]`. */
export function oasisExamples(): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const dir of ['cti-documentation', 'cti-stix2-json-schemas'])
    for (const f of readdirSync(new URL(`oasis-stix2.1-examples/${dir}/`, SHARED)).sort())
      if (f.endsWith('.json'))
        out.push([`${dir}/${f}`, readShared(`oasis-stix2.1-examples/${dir}/${f}`)]);
  return out;
}

export type Json = Record<string, unknown>;

export const IDENTITY: Json = {
  type: 'identity',
  spec_version: '2.1',
  id: 'identity--311b2d2d-f010-4473-83ec-1edf84858f4c',
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-01T00:00:00.000Z',
  name: 'Arvenia National CERT',
  identity_class: 'organization',
};

export const INDICATOR: Json = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created_by_ref: IDENTITY.id,
  created: '2024-03-01T10:15:30.123Z',
  modified: '2024-03-02T08:00:00.000Z',
  name: 'C2 beacon',
  indicator_types: ['malicious-activity'],
  pattern:
    "[ipv4-addr:value = '198.51.100.23'] OR [ipv6-addr:value = '2001:db8:85a3::8a2e:370:7334']",
  pattern_type: 'stix',
  valid_from: '2024-03-01T10:15:30.123Z',
  valid_until: '2024-06-01T00:00:00.000Z',
  confidence: 70,
  labels: ['rsit:malicious-code="c2-server"'],
  object_marking_refs: ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421'],
  external_references: [
    { source_name: 'arvenia-cert', description: 'internal case', external_id: 'ARV-2024-0042' },
    { source_name: 'capec', external_id: 'CAPEC-163' },
  ],
  x_arv_analyst: 'j.doe',
};

export const EMAIL: Json = {
  type: 'email-addr',
  spec_version: '2.1',
  id: 'email-addr--2d77a846-6264-5d51-b586-e43822ea1ea3',
  value: 'alice.phish@example.com',
  display_name: 'Alice Phish',
};

export const IPV4: Json = {
  type: 'ipv4-addr',
  spec_version: '2.1',
  id: 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd',
  value: '198.51.100.23',
};

export const USER: Json = {
  type: 'user-account',
  spec_version: '2.1',
  id: 'user-account--0d5b424b-93b8-5cd8-ac36-306e1789d63c',
  user_id: '1001',
  account_login: 'jdoe',
  account_type: 'unix',
  display_name: 'John Doe',
};

export const RELATIONSHIP: Json = {
  type: 'relationship',
  spec_version: '2.1',
  id: 'relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad',
  created: '2024-03-01T10:15:30.123Z',
  modified: '2024-03-01T10:15:30.123Z',
  relationship_type: 'indicates',
  source_ref: INDICATOR.id,
  target_ref: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b',
};

/** A valid bundle: identity, indicator, email, relationship, ipv4, user-account. */
export function baseBundle(): Json {
  return structuredClone({
    type: 'bundle',
    id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
    objects: [IDENTITY, INDICATOR, EMAIL, RELATIONSHIP, IPV4, USER],
  });
}
