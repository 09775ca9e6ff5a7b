/**
 * The real `CliIo`: process streams, `process.env`, the system clock and `node:fs`.
 * Only `main.ts` builds it; everything else receives a `CliIo`.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { systemClock } from '../core/index.js';
import type { CliFs, CliIo, Lifecycle } from './io.js';

/** `CliFs` over `node:fs/promises`. */
export function nodeFs(stdin: NodeJS.ReadableStream = process.stdin): CliFs {
  return {
    readText: (path) => readFile(path, 'utf8'),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of stdin) {
        chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      }
      return Buffer.concat(chunks).toString('utf8');
    },
    writeText: async (path, text, options) => {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text, {
        encoding: 'utf8',
        ...(options?.mode === undefined ? {} : { mode: options.mode }),
        flag: options?.exclusive === true ? 'wx' : 'w',
      });
    },
    readLines: (path) => createInterface({ input: createReadStream(path), crlfDelay: Infinity }),
    writeLines: async (path, lines) => {
      await mkdir(dirname(path), { recursive: true });
      const part = `${path}.part`;
      try {
        await pipeline(
          Readable.from(
            (async function* () {
              for await (const line of lines) yield `${line}\n`;
            })(),
          ),
          createWriteStream(part, { encoding: 'utf8' }),
        );
        await rename(part, path);
      } catch (err) {
        await rm(part, { force: true });
        throw err;
      }
    },
    listDir: (path) => readdir(path),
    kind: async (path) => {
      try {
        const s = await stat(path);
        return s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other';
      } catch {
        return undefined;
      }
    },
    makeTempDir: (prefix) => mkdtemp(join(tmpdir(), prefix)),
    removeTree: (path) => rm(path, { recursive: true, force: true }),
  };
}

/** The process's SIGINT and SIGTERM, for long-running commands (`serve`, `demo`). */
export const processLifecycle: Lifecycle = {
  onShutdown(handler) {
    const on = (signal: NodeJS.Signals): void => {
      off();
      handler(signal);
    };
    const off = (): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
    return off;
  },
};

/**
 * A reader that closed the pipe early (`concordat … | head`) wants no more output: exit quietly
 * as other command-line tools do, instead of crashing on EPIPE. Other stream errors still throw.
 */
const quieted = new WeakSet<NodeJS.WriteStream>();
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  if (quieted.has(stream)) return;
  quieted.add(stream);
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

/** The process's own streams, environment, clock, file system and signals. */
export function nodeIo(): CliIo {
  quietOnClosedPipe(process.stdout);
  return {
    stdout: (text) => {
      process.stdout.write(text);
    },
    stderr: (text) => {
      process.stderr.write(text);
    },
    env: process.env,
    clock: systemClock,
    fs: nodeFs(),
    cwd: process.cwd(),
    stdoutIsTTY: process.stdout.isTTY === true,
    ...(process.stderr.isTTY === true ? { progressStream: process.stderr } : {}),
    lifecycle: processLifecycle,
  };
}
