/**
 * Group commit (the door's release ledger appends): jobs submitted together run in one group,
 * each submitter gets its own result only after the group ran, and a failing group is retried
 * job by job so one bad job fails only its own submitter.
 */
import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../src/server/group-commit.js';

describe('groupCommit', () => {
  it('runs jobs submitted in the same turn as one group, results in order', async () => {
    const groups: number[][] = [];
    const submit = groupCommit<number, string>(async (jobs) => {
      groups.push([...jobs]);
      return jobs.map((j) => `r${j}`);
    });
    const results = await Promise.all([1, 2, 3].map((j) => submit(j)));
    expect(results).toEqual(['r1', 'r2', 'r3']);
    expect(groups).toEqual([[1, 2, 3]]);
    expect(await submit(4)).toBe('r4');
    expect(groups).toEqual([[1, 2, 3], [4]]);
  });

  it('settles nobody before the group has run', async () => {
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const submit = groupCommit<number, number>(async (jobs) => {
      await gate;
      return jobs;
    });
    let settled = false;
    const p = submit(1).then(() => {
      settled = true;
    });
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    finish();
    await p;
    expect(settled).toBe(true);
  });

  it('retries a failed group job by job: only the bad job fails', async () => {
    const runs: number[][] = [];
    const submit = groupCommit<number, number>(async (jobs) => {
      runs.push([...jobs]);
      if (jobs.includes(2)) throw new Error('bad job');
      return jobs.map((j) => j * 10);
    });
    const results = await Promise.allSettled([1, 2, 3].map((j) => submit(j)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseFulfilledResult<number>).value).toBe(10);
    expect(runs).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('a runner that returns the wrong number of results fails its submitters', async () => {
    const submit = groupCommit<number, number>(async () => []);
    await expect(submit(1)).rejects.toThrow(/0 results for 1/);
  });
});
