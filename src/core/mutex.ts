/**
 * A FIFO lock for async work in one process: each holder runs only after every earlier one has
 * finished. The SQLite store takes it around every use of its one connection (a transaction
 * whose body awaits must not interleave with other statements); the node takes one so it signs
 * one checkpoint at a time.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `fn` once every earlier holder has finished; the lock is released even on error. */
  async lock<T>(fn: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.tail;
    this.tail = next;
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
