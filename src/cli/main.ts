#!/usr/bin/env node
/**
 * The `concordat` bin: runs the CLI against the real process and sets the exit code.
 * Everything else lives in `run.ts`, which tests call in process.
 */
import { nodeIo } from './node-io.js';
import { run } from './run.js';

process.exitCode = await run(process.argv.slice(2), nodeIo());
