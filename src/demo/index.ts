/**
 * demo/: the three-nation demo behind `npm start` (`concordat demo`). Three loopback nodes
 * (Arvenia, Borealia, Caldera) under one multilateral agreement, a deterministic synthetic
 * STIX feed, and a scripted timeline of the seed's story on a scripted clock. An adapter: it
 * composes node/, server/ and the escalation services; nothing pure imports it.
 */
export { runDemo, DEMO_SEED, DEMO_START } from './run-demo.js';
export type { DemoOptions, DemoRun } from './run-demo.js';
export { startCluster, DEMO_NODE_RETENTION } from './cluster.js';
export type { ClusterOptions, DemoCluster, DemoNode } from './cluster.js';
export { bearerCrossBorder, receivedCollection } from './bearer-pull.js';
export type { CrossBorder, PullResult } from './bearer-pull.js';
export { demoClock } from './demo-clock.js';
export type { DemoClock } from './demo-clock.js';
export { feedBatch, feedBundle } from './feed.js';
export type { BatchOptions, BatchShape, FeedObject } from './feed.js';
export { MALWARE_FAMILIES, THREAT_ACTORS } from './galaxy-names.js';
export type { GalaxyName } from './galaxy-names.js';
export { Governance } from './governance.js';
export { NATIONS, DEMO_PURPOSE } from './nations.js';
export type { Nation } from './nations.js';
export { pairKey } from './steps.js';
export type { DemoStep, DemoStepId, NodeView, ReceiptView, ShredView } from './steps.js';
export { federatedCrossBorder } from './mtls-pull.js';
export type { FederatedCrossBorder } from './mtls-pull.js';
export { playTimeline } from './timeline.js';
export { feedRounds, ROUND_SHAPE, WAIVER_ROUND_SHAPE } from './rounds.js';
export type { RoundResult } from './rounds.js';
export { views as nodeViews } from './node-views.js';
export type { TimelineOptions } from './timeline.js';
