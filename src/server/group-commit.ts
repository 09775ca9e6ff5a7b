/**
 * Group commit: jobs submitted while the event loop is busy are run together by one call of
 * `run` (for the door: the ledger entries of concurrent releases appended in one transaction,
 * so one durable commit — one fsync on SQLite — covers them all). Each submitter's promise
 * settles only when `run` has finished for its job, so nothing is acknowledged before it is
 * committed (DESIGN.md invariant 6).
 *
 * If a group fails and held more than one job, each job is retried alone, so one bad job
 * fails only its own submitter.
 */

/** Runs a group of jobs; returns one result per job, in order. */
export type GroupRunner<J, R> = (jobs: readonly J[]) => Promise<readonly R[]>;

interface Waiting<J, R> {
  readonly job: J;
  readonly resolve: (r: R) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * A submit function over `run`. The first job of a group waits one macrotask turn
 * (`setImmediate`) so that requests already being handled can join it.
 */
export function groupCommit<J, R>(run: GroupRunner<J, R>): (job: J) => Promise<R> {
  let waiting: Waiting<J, R>[] = [];
  let scheduled = false;

  async function runGroup(group: readonly Waiting<J, R>[]): Promise<void> {
    try {
      const results = await run(group.map((w) => w.job));
      if (results.length !== group.length)
        throw new Error(`group commit returned ${results.length} results for ${group.length}`);
      group.forEach((w, i) => w.resolve(results[i] as R));
    } catch (err) {
      if (group.length === 1) (group[0] as Waiting<J, R>).reject(err);
      else for (const w of group) await runGroup([w]);
    }
  }

  function flush(): void {
    scheduled = false;
    const group = waiting;
    waiting = [];
    void runGroup(group);
  }

  return (job) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ job, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
