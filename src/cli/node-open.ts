/**
 * Opening the node a command works on: `--config PATH`, else `$CONCORDAT_CONFIG`, else
 * `./.concordat/node.yaml`; the node gets the CLI's injected clock and environment, and is
 * closed when the command ends, whatever happens.
 */
import type { Command } from 'commander';
import { isAbsolute, resolve } from 'node:path';
import { isConcordatError } from '../core/index.js';
import type { Clock } from '../core/index.js';
import { loadNodeConfig, openNode } from '../node/index.js';
import type { Node } from '../node/index.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './io.js';

/** Where `concordat init` puts a node by default, and where commands look for it. */
export const DEFAULT_NODE_DIR = '.concordat';

/** The `--config` option every node command takes. */
export function addConfigOption(command: Command): Command {
  return command.option(
    '--config <path>',
    `node config file (default $CONCORDAT_CONFIG, else ./${DEFAULT_NODE_DIR}/node.yaml)`,
  );
}

/** The config path a command uses, absolute. */
export function configPath(io: CliIo, option: string | undefined): string {
  const chosen = option ?? io.env['CONCORDAT_CONFIG'] ?? `${DEFAULT_NODE_DIR}/node.yaml`;
  return isAbsolute(chosen) ? chosen : resolve(io.cwd, chosen);
}

/**
 * Loads the config, opens the node, runs `fn` and closes the node. `clock` overrides the
 * CLI's clock (`shred --at`).
 */
export async function withNode<T>(
  io: CliIo,
  option: string | undefined,
  fn: (node: Node) => Promise<T>,
  clock: Clock = io.clock,
): Promise<T> {
  const path = configPath(io, option);
  let node: Node;
  try {
    node = await openNode(await loadNodeConfig(path), { clock, env: io.env });
  } catch (err) {
    if (isConcordatError(err, 'ERR_INPUT_UNREADABLE') && err.message.includes(path))
      throw new CliError('ERR_INPUT_UNREADABLE', err.message, {
        details: err.details,
        hint: `create a node with \`concordat init --party P\`, or pass \`--config\` / set CONCORDAT_CONFIG`,
      });
    throw err;
  }
  try {
    return await fn(node);
  } finally {
    await node.close();
  }
}

/** Lowercase hex of bytes. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Standard base64 of bytes (as C2SP checkpoints write hashes). */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}
