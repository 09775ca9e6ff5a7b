/**
 * An ingest worker thread (started by `ingest-workers.ts`): validates and prepares each bundle
 * it is sent, chunk by chunk, handing every chunk's buffers over without copying, then sends
 * the verdict. The writer stores each chunk as it arrives; an invalid bundle is rolled back on
 * the verdict, before its commit.
 */
import { parentPort } from 'node:worker_threads';
import { bundleValidation, validationResult } from '../intel/index.js';
import type { BundleValidation, StixIssue } from '../intel/index.js';
import {
  CHUNK_OBJECTS,
  bundleMarkingsOf,
  bundleObjects,
  errorMessage,
  prepareChunk,
} from './ingest-prepare.js';
import type { WorkerJob, WorkerReply } from './ingest-workers.js';

const port = parentPort;
if (port === null) throw new Error('ingest-worker runs as a worker thread');

function post(reply: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(reply, transfer);
}

port.on('message', ({ job, bundle, options }: WorkerJob) => {
  // Chunk by chunk: validate, then prepare and send while the chunk is valid so far. The
  // verdict follows the last chunk, so the writer waits for no validation at the end.
  let validation: BundleValidation;
  try {
    validation = bundleValidation(bundle, options.validation);
  } catch (err) {
    post({ job, kind: 'failed', error: errorMessage(err) });
    post({ job, kind: 'verdict' });
    return;
  }
  if (validation.stop !== undefined) {
    post({ job, kind: 'verdict', verdict: validation.stop });
    return;
  }
  const objects = bundleObjects(bundle);
  const issues: StixIssue[] = [...validation.head];
  let valid = !issues.some((i) => i.severity === 'error');
  let preparing = valid;
  try {
    const markings = bundleMarkingsOf(objects);
    for (let from = 0; from < validation.count; from += CHUNK_OBJECTS) {
      const to = Math.min(validation.count, from + CHUNK_OBJECTS);
      for (const found of validation.range(from, to)) {
        issues.push(found);
        if (found.severity === 'error') valid = false;
      }
      // An invalid bundle is refused whole: nothing more to prepare, only issues to list.
      if (!valid || !preparing) continue;
      try {
        const chunk = prepareChunk(objects, from, to, options.producer, markings);
        post({ job, kind: 'chunk', chunk }, [
          chunk.content.buffer as ArrayBuffer,
          chunk.hashes.buffer as ArrayBuffer,
          chunk.ends.buffer as ArrayBuffer,
        ]);
      } catch (err) {
        preparing = false;
        post({ job, kind: 'failed', error: errorMessage(err) });
      }
    }
  } catch (err) {
    post({ job, kind: 'failed', error: errorMessage(err) });
    post({ job, kind: 'verdict' });
    return;
  }
  post({ job, kind: 'verdict', verdict: validationResult(issues) });
});
