/**
 * An ingest worker thread (started by `ingest-workers.ts`): validates and prepares each bundle
 * it is sent, chunk by chunk, sealing the objects whose window's data key it has been handed,
 * and hands every chunk's buffers over without copying; then it sends the verdict. The writer
 * stores each chunk as it arrives; an invalid bundle is rolled back on the verdict, before its
 * commit. Bundles are worked on one at a time; between chunks the thread takes new messages,
 * so keys handed over mid-bundle serve its next chunks.
 */
import { parentPort } from 'node:worker_threads';
import { bundleValidation, validationResult } from '../intel/index.js';
import type { BundleValidation, StixIssue } from '../intel/index.js';
import type { SealingKey } from '../vault/index.js';
import {
  CHUNK_OBJECTS,
  bundleMarkingsOf,
  bundleObjects,
  errorMessage,
  prepareChunk,
} from './ingest-prepare.js';
import type { PreparedChunk } from './ingest-prepare.js';
import type { WorkerJob, WorkerMessage, WorkerReply } from './ingest-workers.js';

const port = parentPort;
if (port === null) throw new Error('ingest-worker runs as a worker thread');

function post(reply: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(reply, transfer);
}

function transferable(chunk: PreparedChunk): ArrayBuffer[] {
  const out = [chunk.content.buffer, chunk.hashes.buffer, chunk.ends.buffer];
  if (chunk.sealed !== undefined)
    out.push(chunk.sealed.ciphertext.buffer, chunk.sealed.nonces.buffer, chunk.sealed.tags.buffer);
  return out as ArrayBuffer[];
}

/** Keys by job, then by the end of their window; zeroed when the job ends. */
const keys = new Map<number, Map<number, SealingKey>>();
const queue: WorkerJob[] = [];
/** Jobs queued or in work: keys for any other job are zeroed on arrival. */
const live = new Set<number>();
let running = false;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function work(job: WorkerJob): Promise<void> {
  const { bundle, options } = job;
  // Chunk by chunk: validate, then prepare and send while the chunk is valid so far. The
  // verdict follows the last chunk, so the writer waits for no validation at the end.
  let validation: BundleValidation;
  try {
    validation = bundleValidation(bundle, options.validation);
  } catch (err) {
    post({ job: job.job, kind: 'failed', error: errorMessage(err) });
    post({ job: job.job, kind: 'verdict' });
    return;
  }
  if (validation.stop !== undefined) {
    post({ job: job.job, kind: 'verdict', verdict: validation.stop });
    return;
  }
  const objects = bundleObjects(bundle);
  const issues: StixIssue[] = [...validation.head];
  let valid = !issues.some((i) => i.severity === 'error');
  let preparing = valid;
  try {
    const markings = bundleMarkingsOf(objects);
    for (let from = 0; from < validation.count; from += CHUNK_OBJECTS) {
      // Messages that came meanwhile (keys for this bundle) are taken before each chunk.
      await turn();
      const to = Math.min(validation.count, from + CHUNK_OBJECTS);
      for (const found of validation.range(from, to)) {
        issues.push(found);
        if (found.severity === 'error') valid = false;
      }
      // An invalid bundle is refused whole: nothing more to prepare, only issues to list.
      if (!valid || !preparing) continue;
      try {
        const chunk = prepareChunk(objects, from, to, options, markings, keys.get(job.job));
        post({ job: job.job, kind: 'chunk', chunk }, transferable(chunk));
      } catch (err) {
        preparing = false;
        post({ job: job.job, kind: 'failed', error: errorMessage(err) });
      }
    }
  } catch (err) {
    post({ job: job.job, kind: 'failed', error: errorMessage(err) });
    post({ job: job.job, kind: 'verdict' });
    return;
  }
  post({ job: job.job, kind: 'verdict', verdict: validationResult(issues) });
}

async function drain(): Promise<void> {
  if (running) return;
  running = true;
  for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
    try {
      await work(job);
    } finally {
      for (const k of keys.get(job.job)?.values() ?? []) k.key.fill(0);
      keys.delete(job.job);
      live.delete(job.job);
    }
  }
  running = false;
}

port.on('message', (m: WorkerMessage) => {
  if (m.kind === 'keys') {
    if (!live.has(m.job)) {
      for (const k of m.keys) k.key.fill(0);
      return;
    }
    let held = keys.get(m.job);
    if (held === undefined) keys.set(m.job, (held = new Map()));
    for (const k of m.keys) held.set(k.windowEndMs, k);
    return;
  }
  live.add(m.job);
  if (m.keys.length > 0) keys.set(m.job, new Map(m.keys.map((k) => [k.windowEndMs, k])));
  queue.push(m);
  void drain();
});
