/**
 * A FIFO lock for one SQLite connection. better-sqlite3 is synchronous, but a transaction whose
 * body awaits could interleave with another caller's statements on the same connection; every
 * use of the connection outside an open transaction therefore takes this lock first.
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
