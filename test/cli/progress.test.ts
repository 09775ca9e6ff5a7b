import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { bundle, EXAMPLE_AGREEMENT, indicator } from '../node/fixtures.js';
import { captureIo, cli, EXAMPLE } from './harness.js';

function fakeTty(): {
  stream: { isTTY: true; columns: number; write(t: string): boolean };
  text: () => string;
} {
  const chunks: string[] = [];
  return {
    stream: {
      isTTY: true,
      columns: 100,
      write: (t: string) => {
        chunks.push(t);
        return true;
      },
    },
    text: () => chunks.join(''),
  };
}

describe('progress bars', () => {
  it('draw on a terminal stderr while validating several files', async () => {
    const tty = fakeTty();
    const { io, out } = captureIo();
    const code = await run(['agreement', 'validate', EXAMPLE, EXAMPLE], {
      ...io,
      progressStream: tty.stream,
    });
    expect(code).toBe(0);
    expect(tty.text()).toContain('validating');
    expect(out.join('')).not.toContain('validating');
  });

  it('stay silent with --json, or when stderr is not a terminal', async () => {
    const tty = fakeTty();
    const { io } = captureIo();
    await run(['--json', 'agreement', 'validate', EXAMPLE, EXAMPLE], {
      ...io,
      progressStream: tty.stream,
    });
    expect(tty.text()).toBe('');
    const written: string[] = [];
    const pipe = { write: (t: string): boolean => written.push(t) > 0 };
    await run(['agreement', 'validate', EXAMPLE, EXAMPLE], { ...io, progressStream: pipe });
    expect(written).toEqual([]);
  });

  it('count the objects of a large bundle as they are stored, then the commit', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'concordat-progress-')), 'n');
    const init = await cli([
      'init',
      '--dir',
      dir,
      '--party',
      'ARV',
      '--agreement',
      EXAMPLE_AGREEMENT,
    ]);
    expect(init.code, init.stderr).toBe(0);
    const file = join(dir, 'big.json');
    writeFileSync(file, JSON.stringify(bundle(Array.from({ length: 1200 }, () => indicator()))));
    const tty = fakeTty();
    const { io } = captureIo();
    const code = await run(['ingest', file, '--config', join(dir, 'node.yaml')], {
      ...io,
      progressStream: tty.stream,
    });
    expect(code).toBe(0);
    // 1,200 objects and the commit (how often it redraws is cli-progress's business; the
    // chunk-by-chunk counts are checked in test/store/ingest-workers.test.ts).
    expect(tty.text()).toContain('ingest');
    expect(tty.text()).toContain('/1201');
  });
});
