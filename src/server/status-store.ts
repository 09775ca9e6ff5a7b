/**
 * TAXII 2.1 status resources (§4.3), kept in memory per server: an ingest here completes
 * before the 202 is sent, so every status is `complete`. A status is visible only to the
 * agency that created it, under the root it was created in (anyone else gets 404).
 */

/** One object's outcome in a status resource. */
export interface StatusDetail {
  readonly id: string;
  readonly version: string;
  readonly message?: string;
}

/** TAXII 2.1 status resource. */
export interface StatusResource {
  readonly id: string;
  readonly status: 'complete' | 'pending';
  readonly request_timestamp: string;
  readonly total_count: number;
  readonly success_count: number;
  readonly successes: readonly StatusDetail[];
  readonly failure_count: number;
  readonly failures: readonly StatusDetail[];
  readonly pending_count: number;
  readonly pendings: readonly StatusDetail[];
}

/** Status resources by id, bounded. */
export interface StatusStore {
  put(root: string, agency: string, status: StatusResource): void;
  get(root: string, agency: string, id: string): StatusResource | undefined;
}

/** An in-memory {@link StatusStore} keeping the newest `max` statuses. */
export function memoryStatusStore(max: number): StatusStore {
  const map = new Map<string, { root: string; agency: string; status: StatusResource }>();
  return {
    put(root, agency, status) {
      map.set(status.id, { root, agency, status });
      while (map.size > max) {
        const oldest = map.keys().next();
        if (oldest.done === true) break;
        map.delete(oldest.value);
      }
    },
    get(root, agency, id) {
      const e = map.get(id);
      return e !== undefined && e.root === root && e.agency === agency ? e.status : undefined;
    },
  };
}
