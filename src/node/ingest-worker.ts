/**
 * An ingest worker thread (started by `ingest-workers.ts`): prepares each bundle it is sent,
 * chunk by chunk, handing every chunk's buffers over without copying, then validates the whole
 * bundle and sends the verdict. Preparing comes first so the writer can start storing while
 * the rest is prepared; an invalid bundle is rolled back on the verdict, before its commit.
 */
import { parentPort } from 'node:worker_threads';
import { validateStixBundle } from '../intel/index.js';
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
  const objects = bundleObjects(bundle);
  try {
    const markings = bundleMarkingsOf(objects);
    for (let from = 0; from < objects.length; from += CHUNK_OBJECTS) {
      const to = Math.min(objects.length, from + CHUNK_OBJECTS);
      const chunk = prepareChunk(objects, from, to, options.producer, markings);
      post({ job, kind: 'chunk', chunk }, [
        chunk.content.buffer as ArrayBuffer,
        chunk.hashes.buffer as ArrayBuffer,
        chunk.ends.buffer as ArrayBuffer,
      ]);
    }
  } catch (err) {
    post({ job, kind: 'failed', error: errorMessage(err) });
  }
  try {
    post({ job, kind: 'verdict', verdict: validateStixBundle(bundle, options.validation) });
  } catch (err) {
    post({ job, kind: 'failed', error: errorMessage(err) });
    post({ job, kind: 'verdict' });
  }
});
