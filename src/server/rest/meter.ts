/**
 * Prometheus metrics (text exposition format 0.0.4). Counts only, with label values from closed
 * vocabularies — route templates (never request paths), methods, statuses, decision effects
 * and stages, release channels, ingest outcomes — so no label can carry intel, an id or a name
 * taken from a request. Decisions and releases are counted where they happen: inside the
 * door's decide function and on the door's release result.
 */
import type { IngestPort } from '../context.js';
import type { AgreementRoot } from '../context.js';
import type { Door } from '../door.js';

/** Counters of one server. */
export interface Meter {
  /** Counts a finished request under its route template. */
  request(route: string, method: string, status: number): void;
  /** `root` whose decide function counts every decision by effect and stage. */
  root(root: AgreementRoot): AgreementRoot;
  /** `door` whose releases count released objects by channel. */
  door(door: Door): Door;
  /** `ingest` counting ingested objects by outcome. */
  ingest(port: IngestPort): IngestPort;
  /** Counts a decision asked for through the REST API. */
  query(effect: string, stage: string): void;
  /** The exposition text; `gauges` are sampled by the caller at scrape time. */
  render(gauges: Readonly<Record<string, number>>): string;
}

type Counter = Map<string, number>;

function inc(c: Counter, labels: string, by = 1): void {
  c.set(labels, (c.get(labels) ?? 0) + by);
}

/** Prometheus label value escaping (exposition format: backslash, quote, newline). */
function esc(v: string): string {
  return v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

function labels(pairs: Readonly<Record<string, string>>): string {
  return Object.entries(pairs)
    .map(([k, v]) => `${k}="${esc(v)}"`)
    .join(',');
}

/**
 * `effect,stage` label strings, built once per pair: decisions are counted per released object,
 * and both vocabularies are closed (so the cache is bounded by their product).
 */
function effectStageLabels(): (effect: string, stage: string) => string {
  const byEffect = new Map<string, Map<string, string>>();
  return (effect, stage) => {
    let byStage = byEffect.get(effect);
    if (byStage === undefined) byEffect.set(effect, (byStage = new Map()));
    let l = byStage.get(stage);
    if (l === undefined) byStage.set(stage, (l = labels({ effect, stage })));
    return l;
  };
}

/** `channel` label strings, built once per channel (a closed vocabulary). */
const CHANNEL_LABELS = new Map<string, string>();
function channelLabel(channel: string): string {
  let l = CHANNEL_LABELS.get(channel);
  if (l === undefined) CHANNEL_LABELS.set(channel, (l = labels({ channel })));
  return l;
}

const INSERTED = labels({ status: 'inserted' });
const UNCHANGED = labels({ status: 'unchanged' });

interface Family {
  readonly name: string;
  readonly help: string;
  readonly counter: Counter;
}

/** A new meter. */
export function makeMeter(): Meter {
  const requests: Counter = new Map();
  const decisions: Counter = new Map();
  const queries: Counter = new Map();
  const releases: Counter = new Map();
  const ingests: Counter = new Map();
  const effectStage = effectStageLabels();
  const families: readonly Family[] = [
    {
      name: 'concordat_http_requests_total',
      help: 'HTTP requests by route template, method and status.',
      counter: requests,
    },
    {
      name: 'concordat_decisions_total',
      help: 'Release decisions taken by the door, by effect and deciding stage.',
      counter: decisions,
    },
    {
      name: 'concordat_decision_queries_total',
      help: 'Decisions asked for through POST /api/v1/decisions, by effect and stage.',
      counter: queries,
    },
    {
      name: 'concordat_released_objects_total',
      help: 'Objects released through the door, by channel.',
      counter: releases,
    },
    {
      name: 'concordat_ingested_objects_total',
      help: 'Objects accepted by ingest, by outcome.',
      counter: ingests,
    },
  ];
  return {
    request(route, method, status) {
      inc(requests, labels({ route, method, status: String(status) }));
    },
    root(root) {
      const decide = root.engine.decide;
      return {
        ...root,
        engine: {
          ...root.engine,
          decide: (request, state) => {
            const d = decide(request, state);
            inc(decisions, effectStage(d.effect, d.effect === 'allow' ? 'allow' : d.stage));
            return d;
          },
        },
      };
    },
    door(door) {
      return {
        ...door,
        async release(root, input) {
          const result = await door.release(root, input);
          if (result.items.length > 0)
            inc(releases, channelLabel(input.channel), result.items.length);
          return result;
        },
      };
    },
    ingest(port) {
      return async (bundle, target) => {
        const summary = await port(bundle, target);
        // Counted once per envelope, not per object; `status` has exactly these two values.
        let inserted = 0;
        for (const o of summary.objects) if (o.status === 'inserted') inserted++;
        const unchanged = summary.objects.length - inserted;
        if (inserted > 0) inc(ingests, INSERTED, inserted);
        if (unchanged > 0) inc(ingests, UNCHANGED, unchanged);
        return summary;
      };
    },
    query(effect, stage) {
      inc(queries, effectStage(effect, stage));
    },
    render(gauges) {
      const out: string[] = [];
      for (const f of families) {
        out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} counter`);
        for (const [l, v] of [...f.counter].sort(([a], [b]) => a.localeCompare(b)))
          out.push(`${f.name}{${l}} ${v}`);
      }
      for (const [name, v] of Object.entries(gauges))
        out.push(`# HELP ${name} Sampled at scrape time.`, `# TYPE ${name} gauge`, `${name} ${v}`);
      return `${out.join('\n')}\n`;
    },
  };
}
