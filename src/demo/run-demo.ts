/**
 * `runDemo`: the three-nation demo as one call — start the three nodes under `dir`, choose how
 * intel crosses borders, play the timeline, and hand back the running cluster (its TAXII
 * servers stay up until the caller closes it) with the steps it reported.
 */
import { parseInstant } from '../core/index.js';
import { bearerCrossBorder } from './bearer-pull.js';
import type { CrossBorder } from './bearer-pull.js';
import { startCluster } from './cluster.js';
import type { DemoCluster } from './cluster.js';
import { demoClock } from './demo-clock.js';
import { federatedCrossBorder } from './mtls-pull.js';
import type { DemoClock } from './demo-clock.js';
import type { DemoStep } from './steps.js';
import { playTimeline } from './timeline.js';

/** The scripted instant the story starts at (the agreement is in force from 2026-01-01). */
export const DEMO_START = '2026-03-02T08:00:00Z';
/** The default seed of the synthetic feed. */
export const DEMO_SEED = 'concordat-demo';

/** What {@link runDemo} needs. */
export interface DemoOptions {
  /** Empty or missing directory for the three nodes. */
  readonly dir: string;
  /** The multilateral agreement (the North Sea compact). */
  readonly agreementFile: string;
  readonly seed?: string;
  /** Called with each step as soon as it is complete. */
  readonly onStep: (step: DemoStep) => void | Promise<void>;
  /** Awaited between steps. */
  readonly pause?: () => Promise<void>;
  /**
   * How intel crosses borders (default: each node's TAXII server with bearer tokens). The
   * federation module's mutual-TLS pulls plug in here.
   */
  readonly crossBorder?: (cluster: DemoCluster) => CrossBorder | Promise<CrossBorder>;
  /**
   * Peer the nodes over mutual TLS and pull through the federation module (default true);
   * false: each node's analyst listener with bearer tokens.
   */
  readonly federation?: boolean;
}

/** A finished timeline over a running cluster. */
export interface DemoRun {
  readonly cluster: DemoCluster;
  readonly clock: DemoClock;
  readonly steps: readonly DemoStep[];
  /** How intel crossed borders (and keeps crossing, with `live`). */
  readonly crossBorder: CrossBorder;
}

/**
 * Starts the cluster and plays the timeline. On failure every node started is closed again
 * and the error is rethrown; on success the caller owns `cluster` and must close it.
 */
export async function runDemo(options: DemoOptions): Promise<DemoRun> {
  const clock = demoClock(parseInstant(DEMO_START) ?? 0);
  const federation = options.federation ?? true;
  const cluster = await startCluster({
    dir: options.dir,
    agreementFile: options.agreementFile,
    clock,
    federation,
  });
  try {
    const crossBorder =
      options.crossBorder !== undefined
        ? await options.crossBorder(cluster)
        : federation
          ? await federatedCrossBorder(cluster)
          : bearerCrossBorder(cluster.agreementId);
    const steps = await playTimeline({
      cluster,
      clock,
      crossBorder,
      seed: options.seed ?? DEMO_SEED,
      onStep: options.onStep,
      ...(options.pause === undefined ? {} : { pause: options.pause }),
    });
    return { cluster, clock, steps, crossBorder };
  } catch (err) {
    await cluster.close();
    throw err;
  }
}
