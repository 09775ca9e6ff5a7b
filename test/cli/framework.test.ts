import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/run.js';
import { colorWanted, formatTable, wrapList } from '../../src/cli/style.js';
import { captureIo, cli, EXAMPLE, json, tempDir } from './harness.js';

function allCommands(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((c) => {
    const path = [...prefix, c.name()];
    return [path, ...allCommands(c, path)];
  });
}

describe('concordat (framework)', () => {
  const { io } = captureIo();
  const commands = allCommands(buildProgram(io, { exitCode: 0 }, '0.0.0'));

  it('has the commands of issue 2', () => {
    expect(commands.map((c) => c.join(' '))).toEqual(
      expect.arrayContaining([
        'agreement validate',
        'agreement explain',
        'agreement diff',
        'agreement digest',
        'agreement sign',
        'agreement verify',
        'key generate',
        'decide',
        'walkthrough',
      ]),
    );
  });

  it.each([[], ...commands])('prints help for `%s` with exit 0 on stdout', async (...path) => {
    const r = await cli([...path, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: concordat/);
    expect(r.stdout).toContain('--help');
    expect(r.stderr).toBe('');
  });

  it('prints the version from package.json', async () => {
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('turns an unknown command into ERR_USAGE, exit 2, with a hint', async () => {
    const r = await cli(['agreement', 'validat', EXAMPLE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ERR_USAGE');
    expect(r.stderr).toContain('Did you mean validate?');
    expect(r.stderr).toContain('concordat agreement --help');
  });

  it('turns a missing argument and an unknown option into ERR_USAGE, exit 2', async () => {
    expect((await cli(['agreement', 'explain'])).code).toBe(2);
    const r = await cli(['agreement', 'digest', EXAMPLE, '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--frobnicate'");
  });

  it('with --json, reports usage errors as { error } on stdout', async () => {
    const r = await cli(['--json', 'agreement', 'sign', EXAMPLE]);
    expect(r.code).toBe(2);
    const body = json(r) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('ERR_USAGE');
    expect(body.error.message).toContain('--party');
  });

  it('exits 2 when a group is called without a subcommand', async () => {
    const r = await cli(['agreement']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: concordat agreement');
  });

  it('reports a missing file as ERR_INPUT_UNREADABLE, exit 3', async () => {
    const r = await cli(['agreement', 'digest', 'no/such/file.yaml']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('ERR_INPUT_UNREADABLE');
    expect(r.stderr).toContain('`no/such/file.yaml`: no such file');
    const j = await cli(['agreement', 'validate', 'no/such/file.yaml', '--json']);
    expect(j.code).toBe(3);
    expect(json(j)).toEqual({
      error: {
        code: 'ERR_INPUT_UNREADABLE',
        message: 'cannot read `no/such/file.yaml`: no such file',
        details: { path: 'no/such/file.yaml', reason: 'ENOENT' },
      },
    });
  });

  it('reports a bad --at as ERR_INSTANT_INVALID, exit 2', async () => {
    const r = await cli(['agreement', 'explain', EXAMPLE, '--at', 'yesterday']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ERR_INSTANT_INVALID');
  });

  it('turns an unexpected exception into ERR_INTERNAL, exit 70, stack only with --debug', async () => {
    const clock = {
      now: (): number => {
        throw new Error('clock exploded');
      },
    };
    const r = await cli(['agreement', 'explain', EXAMPLE], { clock });
    expect(r.code).toBe(70);
    expect(r.stderr).toContain('ERR_INTERNAL');
    expect(r.stderr).toContain('clock exploded');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const d = await cli(['--debug', 'agreement', 'explain', EXAMPLE], { clock });
    expect(d.code).toBe(70);
    expect(d.stderr).toMatch(/\n\s+at /);
    const j = await cli(['--json', 'agreement', 'explain', EXAMPLE], { clock });
    expect((json(j) as { error: { code: string } }).error.code).toBe('ERR_INTERNAL');
  });
});

describe('style', () => {
  it('aligns columns by visible width, ignoring colour codes', () => {
    const lines = formatTable([
      ['\u001b[31ma\u001b[39m', 'x'],
      ['bbb', ['y1', 'y2']],
    ]);
    expect(lines).toEqual(['\u001b[31ma\u001b[39m    x', 'bbb  y1', '     y2']);
  });

  it('wraps lists at the width', () => {
    expect(wrapList(['alpha', 'beta', 'gamma'], 12)).toEqual(['alpha, beta,', 'gamma']);
  });

  it('colours only on a terminal, never with --no-color or NO_COLOR', () => {
    expect(colorWanted(true, {}, true)).toBe(true);
    expect(colorWanted(true, {}, false)).toBe(false);
    expect(colorWanted(false, {}, true)).toBe(false);
    expect(colorWanted(true, { NO_COLOR: '1' }, true)).toBe(false);
    expect(colorWanted(true, { FORCE_COLOR: '1' }, false)).toBe(true);
  });

  it('prints no escape codes when stdout is not a terminal', async () => {
    const r = await cli(['agreement', 'explain', EXAMPLE]);
    // eslint-disable-next-line no-control-regex
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });
});

describe('output modes', () => {
  it('colours with FORCE_COLOR and never with --no-color', async () => {
    const forced = await cli(['agreement', 'validate', EXAMPLE], { env: { FORCE_COLOR: '1' } });
    // eslint-disable-next-line no-control-regex
    expect(forced.stdout).toMatch(/\u001b\[32m✓/);
    const plain = await cli(['--no-color', 'agreement', 'validate', EXAMPLE], {
      env: { FORCE_COLOR: '1' },
    });
    // eslint-disable-next-line no-control-regex
    expect(plain.stdout).not.toMatch(/\u001b\[/);
  });

  it('refuses --json for the walkthrough rather than print prose as JSON', async () => {
    const r = await cli(['--json', 'walkthrough']);
    expect(r.code).toBe(2);
    expect(json(r)).toMatchObject({ error: { code: 'ERR_USAGE' } });
  });

  it('key generate --json names the files and the key id, never the key', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const r = await cli(['--json', 'key', 'generate', '--party', 'ARV', '--out', dir]);
      expect(r.code).toBe(0);
      const body = json(r);
      expect(body).toMatchObject({ party: 'ARV', privateKey: `${dir}/ARV.key.pem` });
      expect(body['keyId']).toMatch(/^[0-9a-f]{64}$/);
      expect(r.stdout).not.toContain('PRIVATE KEY');
    } finally {
      cleanup();
    }
  });
});
