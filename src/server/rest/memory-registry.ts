/**
 * An in-memory {@link AgreementRegistry} (tests, single process), like `memoryAuthStore`:
 * versions die with the process. The durable one belongs to the store.
 */
import type { AgreementRegistry, StoredAgreementVersion } from './ports.js';

/** A new in-memory registry holding `initial` (already active versions, for example). */
export function memoryAgreementRegistry(
  initial: readonly StoredAgreementVersion[] = [],
): AgreementRegistry {
  const versions = new Map<string, StoredAgreementVersion>();
  const key = (id: string, version: number): string => `${id}\n${version}`;
  for (const v of initial) versions.set(key(v.id, v.version), v);
  return {
    async list() {
      return [...versions.values()].sort(
        (a, b) => a.id.localeCompare(b.id) || a.version - b.version,
      );
    },
    async get(id, version) {
      return versions.get(key(id, version));
    },
    async putPending(v) {
      if (versions.has(key(v.id, v.version))) return false;
      versions.set(key(v.id, v.version), { ...v, status: 'pending' });
      return true;
    },
    async activate(id, version, at) {
      const target = versions.get(key(id, version));
      if (target === undefined || target.status !== 'pending') return false;
      for (const [k, v] of versions)
        if (v.id === id && v.status === 'active') versions.set(k, { ...v, status: 'superseded' });
      versions.set(key(id, version), { ...target, status: 'active', activatedAt: at });
      return true;
    },
  };
}
