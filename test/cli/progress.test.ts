import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { captureIo, EXAMPLE } from './harness.js';

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
});
