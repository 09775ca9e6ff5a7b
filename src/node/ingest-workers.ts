import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ConcordatError, ERROR_CODES } from '../core/index.js';
import type { ErrorCode } from '../core/index.js';
import type { StixValidation } from '../intel/index.js';
import type { SealingKey } from '../vault/index.js';
import { CHUNK_OBJECTS, bundleObjects, inlinePreparer } from './ingest-prepare.js';
import type {
  BundlePreparer,
  ErrorMessage,
  PrepareOptions,
  PreparedChunk,
  PreparedStream,
} from './ingest-prepare.js';

/**
 * Ingest workers: threads that prepare bundles (validation, metadata, canonical JSON, hashes,
 * and sealing once they hold the window's data key; `ingest-prepare.ts`) while the writer's
 * thread stores the chunks already prepared, all in the writer's one transaction. The store's
 * writes are serial anyway, so moving the rest off the writer's thread is what lets ingest use
 * a second core (docs/ingest.md). Small bundles are prepared inline: a message costs more than
 * it saves.
 */

/** Bundles with fewer objects are prepared on the writer's thread. */
export const WORKER_MIN_OBJECTS = 2 * CHUNK_OBJECTS;

/** Default pool size: one worker per core beside the writer's, at most four. */
export function defaultIngestWorkers(): number {
  return Math.max(0, Math.min(4, availableParallelism() - 1));
}

/** A bundle sent to a worker. */
export interface WorkerJob {
  readonly kind: 'job';
  readonly job: number;
  readonly bundle: unknown;
  readonly options: PrepareOptions;
  /** Data keys to seal with from the first chunk on. */
  readonly keys: readonly SealingKey[];
}

/** What the writer sends a worker: bundles, and data keys to seal a bundle's objects with. */
export type WorkerMessage =
  WorkerJob | { readonly kind: 'keys'; readonly job: number; readonly keys: readonly SealingKey[] };

/** What a worker sends back: chunks, a failure to prepare, then the verdict (absent if validation itself failed). */
export type WorkerReply =
  | { readonly job: number; readonly kind: 'chunk'; readonly chunk: PreparedChunk }
  | { readonly job: number; readonly kind: 'failed'; readonly error: ErrorMessage }
  | { readonly job: number; readonly kind: 'verdict'; readonly verdict?: StixValidation };

function rebuild(e: ErrorMessage): Error {
  return e.code !== undefined && Object.hasOwn(ERROR_CODES, e.code)
    ? new ConcordatError(e.code as ErrorCode, e.message, { details: e.details })
    : new ConcordatError('ERR_INTERNAL', `preparing the bundle failed: ${e.message}`);
}

/** One bundle in a worker: chunks queue up until the writer takes them. */
class JobStream implements PreparedStream {
  private readonly chunks: PreparedChunk[] = [];
  private waiter: { resolve(c: PreparedChunk | undefined): void; reject(e: Error): void } | null =
    null;
  private failure: Error | null = null;
  private ended = false;
  readonly verdict: Promise<StixValidation>;
  private settle!: { resolve(v: StixValidation): void; reject(e: Error): void };

  constructor(private readonly send: (keys: readonly SealingKey[]) => void) {
    this.verdict = new Promise<StixValidation>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // The writer may stop reading (its transaction failed first): no unhandled rejection.
    this.verdict.catch(() => undefined);
  }

  provideKeys(keys: readonly SealingKey[]): void {
    if (!this.ended && keys.length > 0) this.send(keys);
  }

  ready(): PreparedChunk | undefined {
    return this.chunks.shift();
  }

  next(): Promise<PreparedChunk | undefined> {
    const chunk = this.chunks.shift();
    if (chunk !== undefined) return Promise.resolve(chunk);
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  private wake(): void {
    const w = this.waiter;
    if (w === null) return;
    this.waiter = null;
    const chunk = this.chunks.shift();
    if (chunk !== undefined) w.resolve(chunk);
    else if (this.failure !== null) w.reject(this.failure);
    else if (this.ended) w.resolve(undefined);
    else this.waiter = w;
  }

  chunk(c: PreparedChunk): void {
    this.chunks.push(c);
    this.wake();
  }

  fail(e: Error): void {
    this.failure ??= e;
    this.wake();
  }

  /** The verdict; `undefined` when validating threw (the failure says why). */
  end(v: StixValidation | undefined): void {
    this.ended = true;
    if (v === undefined) this.settle.reject(this.failure ?? rebuild({ message: 'no verdict' }));
    else this.settle.resolve(v);
    this.wake();
  }

  /** The worker died: whatever was not delivered never will be. */
  crash(e: Error): void {
    this.fail(e);
    this.ended = true;
    this.settle.reject(e);
    this.wake();
  }
}

/** A worker thread and the jobs it has not finished. */
interface Slot {
  worker: Worker;
  readonly jobs: Map<number, JobStream>;
}

/**
 * The worker: the compiled `ingest-worker.js` beside this module, or, when this module runs as
 * TypeScript source (tests, benchmarks), a bootstrap that registers tsx in the thread first
 * (Node 20 does not pass `--import` loaders on to workers).
 */
function startWorker(): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./ingest-worker.js', self));
  const source = JSON.stringify(new URL('./ingest-worker.ts', self).href);
  return new Worker(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${source}); })`,
    { eval: true },
  );
}

/** A pool of ingest workers; see the module comment. Close it with {@link IngestWorkers.close}. */
export class IngestWorkers implements BundlePreparer {
  private readonly slots: Slot[] = [];
  private nextJob = 0;
  private closed = false;

  private constructor(readonly size: number) {}

  /**
   * A pool of up to `size` workers (0: every bundle is prepared inline). Workers start on the
   * first bundle that needs one, so a node that only serves never pays for them.
   */
  static start(size: number = defaultIngestWorkers()): IngestWorkers {
    if (!Number.isSafeInteger(size) || size < 0)
      throw new ConcordatError(
        'ERR_USAGE',
        `ingest workers must be a whole number ≥ 0 (got \`${size}\`)`,
      );
    return new IngestWorkers(size);
  }

  private spawn(): Slot {
    const worker = startWorker();
    // An idle pool never keeps the process alive.
    worker.unref();
    const slot: Slot = { worker, jobs: new Map() };
    worker.on('message', (reply: WorkerReply) => {
      const stream = slot.jobs.get(reply.job);
      if (stream === undefined) return;
      if (reply.kind === 'chunk') stream.chunk(reply.chunk);
      else if (reply.kind === 'failed') stream.fail(rebuild(reply.error));
      else {
        slot.jobs.delete(reply.job);
        stream.end(reply.verdict);
      }
    });
    const lost = (why: string): void => {
      const err = new ConcordatError('ERR_INTERNAL', `an ingest worker ${why}`);
      for (const stream of slot.jobs.values()) stream.crash(err);
      slot.jobs.clear();
      // The next bundle starts a fresh worker in its place.
      const at = this.slots.indexOf(slot);
      if (at >= 0) this.slots.splice(at, 1);
    };
    worker.on('error', (err) => lost(`failed: ${err.message}`));
    worker.on('exit', (code) => {
      if (slot.jobs.size > 0 || !this.closed) lost(`exited with code ${code}`);
    });
    return slot;
  }

  open(bundle: unknown, options: PrepareOptions, keys: readonly SealingKey[] = []): PreparedStream {
    if (this.closed || this.size === 0 || bundleObjects(bundle).length < WORKER_MIN_OBJECTS)
      return inlinePreparer.open(bundle, options);
    // An idle worker, else a new one while the pool has room, else the least busy.
    let slot: Slot | undefined;
    for (const s of this.slots) if (slot === undefined || s.jobs.size < slot.jobs.size) slot = s;
    if (slot === undefined || (slot.jobs.size > 0 && this.slots.length < this.size)) {
      slot = this.spawn();
      this.slots.push(slot);
    }
    const job = this.nextJob++;
    const worker = slot.worker;
    const stream = new JobStream((keys) => {
      worker.postMessage({ kind: 'keys', job, keys } satisfies WorkerMessage);
    });
    try {
      worker.postMessage({ kind: 'job', job, bundle, options, keys } satisfies WorkerMessage);
    } catch {
      // Not plain data (a programmatic caller's class instance, say): prepared here instead.
      return inlinePreparer.open(bundle, options);
    }
    slot.jobs.set(job, stream);
    if (slot.jobs.size === 1) slot.worker.ref();
    const release = (): void => {
      if (slot.jobs.size === 0) slot.worker.unref();
    };
    stream.verdict.then(release, release);
    return stream;
  }

  /** Stops every worker; bundles still being prepared fail, and later ones are prepared inline. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
