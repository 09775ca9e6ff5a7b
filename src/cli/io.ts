/**
 * Everything the CLI touches outside itself, injected so that tests run the CLI in process:
 * output writers, environment, clock and file system. `main.ts` builds the real one
 * (`nodeIo`); tests build one that captures output.
 */
import type { Clock } from '../core/index.js';

/** Writes text exactly as given (callers add the newlines). */
export type Writer = (text: string) => void;

/** The file-system operations the commands need, nothing more. */
export interface CliFs {
  /** Reads a UTF-8 text file. Rejects with the Node error (its `code` is kept). */
  readText(path: string): Promise<string>;
  /** Reads all of standard input as UTF-8 (`-` as a file name). */
  readStdin(): Promise<string>;
  /** Writes a UTF-8 text file, creating parent directories; `mode` for secrets (0o600). */
  writeText(
    path: string,
    text: string,
    options?: { mode?: number; exclusive?: boolean },
  ): Promise<void>;
  /** Reads a UTF-8 text file line by line (without line ends), streaming: for large files. */
  readLines(path: string): AsyncIterable<string>;
  /**
   * Writes `lines` to a file, each followed by `\n`, streaming, creating parent directories;
   * the file appears under `path` only once it is complete (written beside it, then renamed).
   */
  writeLines(path: string, lines: AsyncIterable<string>): Promise<void>;
  /** Names of the entries of a directory. */
  listDir(path: string): Promise<string[]>;
  /** `'file'`, `'directory'`, or `undefined` when nothing is there. */
  kind(path: string): Promise<'file' | 'directory' | 'other' | undefined>;
  /** Creates a fresh private temporary directory. */
  makeTempDir(prefix: string): Promise<string>;
  /** Removes a directory tree (the walkthrough cleans its throwaway keys). */
  removeTree(path: string): Promise<void>;
}

/** A stream `cli-progress` can draw on (a TTY stderr), when there is one. */
export interface ProgressStream {
  write(text: string): boolean;
  readonly isTTY?: boolean;
}

/** Process lifecycle, for long-running commands (`concordat serve`). */
export interface Lifecycle {
  /** Calls `handler` once on SIGINT or SIGTERM; returns a function that unsubscribes. */
  onShutdown(handler: (signal: string) => void): () => void;
}

/** The CLI's whole view of the world. */
export interface CliIo {
  readonly stdout: Writer;
  readonly stderr: Writer;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: Clock;
  readonly fs: CliFs;
  /** The working directory, to show paths relative to it. */
  readonly cwd: string;
  /** Whether stdout is a terminal (colour by default only then). */
  readonly stdoutIsTTY: boolean;
  /** The stream progress bars draw on; absent when stderr is not a terminal. */
  readonly progressStream?: ProgressStream;
  /** Shutdown signals (default: the process's SIGINT and SIGTERM). */
  readonly lifecycle?: Lifecycle;
}
