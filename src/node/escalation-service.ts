/**
 * The escalation service of one agreement at a node: every escalation event is a ledger entry
 * (kind `escalation`, body = the event and the agreement id: ids, metadata and signatures,
 * never intelligence), the live state is rebuilt at open by replaying those entries in ledger
 * order and kept current with `apply`, and past instants are answered by `replay`
 * (docs/spec/escalation.md). An event the fold would reject is refused before anything is
 * written, with every reason.
 */
import { randomUUID } from 'node:crypto';
import type { Agreement } from '../agreement/index.js';
import type { Clock } from '../core/index.js';
import {
  advance,
  apply,
  decisionState,
  evaluateTriggers,
  initialState,
  replay,
} from '../escalation/index.js';
import type {
  EscalationEvent,
  EscalationState,
  KeyRegistry,
  LevelTransition,
  TriggerEvaluation,
} from '../escalation/index.js';
import { assertNoContent } from '../ledger/index.js';
import type { JsonObject } from '../ledger/index.js';
import type { DecisionState } from '../policy/index.js';
import { ledgerEntries } from '../store/index.js';
import type { Queryable } from '../store/index.js';
import { checkInput, refused } from './escalation-checks.js';
import { ESCALATION_ENTRY_KIND, readEscalationEvents } from './escalation-read.js';
import { receiptsBetween } from './escalation-receipts.js';
import { Mutex } from '../core/index.js';

/** An event as a caller submits it: the service stamps `v`, `id` and `at`. */
export type EscalationInput = EscalationEvent extends infer E
  ? E extends EscalationEvent
    ? Omit<E, 'v' | 'id' | 'at'>
    : never
  : never;

/** What the service needs from the node. */
export interface EscalationContext {
  /** Where the ledger entries are read. */
  readonly db: Queryable;
  /** Appends one ledger entry (and signs a checkpoint): the node's ledger. */
  readonly ledger: {
    append(kind: string, body: JsonObject): Promise<{ readonly seq: number }>;
  };
  readonly clock: Clock;
  readonly agreement: Agreement;
  /** The file the agreement was read from, to locate the clauses refusals name. */
  readonly agreementFile: string;
  /** The node's party: the actor of the receipts and proposals the node writes itself. */
  readonly party: string;
  /** Keys of officials the agreement does not pin. */
  readonly keys?: KeyRegistry;
  /** Event ids (default: random UUIDs). */
  readonly newId?: () => string;
}

/** One event written, with its ledger position. */
export interface WrittenEvent {
  readonly seq: number;
  readonly event: EscalationEvent;
}

/** What `record` did. */
export interface RecordResult {
  /** The caller's event as written. */
  readonly event: EscalationEvent;
  /**
   * Everything written, in ledger order: receipts of changes due since the last event, the
   * event, its receipts (a raise, an active waiver), and proposals the node made for triggers
   * whose condition now holds with nothing raised or pending.
   */
  readonly written: readonly WrittenEvent[];
  /** The live state after them. */
  readonly state: EscalationState;
}

/** The escalation service of one agreement. Build it with {@link EscalationService.open}. */
export class EscalationService {
  readonly #ctx: EscalationContext;
  readonly #mutex = new Mutex();
  readonly #events: EscalationEvent[];
  readonly #ids: Set<string>;
  #live: EscalationState;
  /** Ledger entries below this index have been read. */
  #seen: number;

  private constructor(
    ctx: EscalationContext,
    events: EscalationEvent[],
    live: EscalationState,
    seen: number,
  ) {
    this.#ctx = ctx;
    this.#events = events;
    this.#ids = new Set(events.map((e) => e.id));
    this.#live = live;
    this.#seen = seen;
  }

  /** Replays the agreement's ledgered escalation events (in ledger order) into the live state. */
  static async open(ctx: EscalationContext): Promise<EscalationService> {
    const size = await ledgerEntries.size(ctx.db);
    const events = await readEscalationEvents(ctx.db, ctx.agreement.id, 0, size);
    return new EscalationService(ctx, events, EscalationService.#fold(ctx, events), size);
  }

  static #fold(ctx: EscalationContext, events: readonly EscalationEvent[]): EscalationState {
    let live = initialState(ctx.agreement, EscalationService.#options(ctx));
    for (const e of events) live = apply(live, e);
    return live;
  }

  /**
   * Applies escalation events another process (a CLI command beside the server) appended to
   * the ledger since this service last looked, in ledger order. `record` does this first.
   */
  refresh(): Promise<void> {
    return this.#mutex.lock(() => this.#refresh());
  }

  async #refresh(): Promise<void> {
    const size = await ledgerEntries.size(this.#ctx.db);
    if (size <= this.#seen) return;
    const fresh = await readEscalationEvents(
      this.#ctx.db,
      this.#ctx.agreement.id,
      this.#seen,
      size,
    );
    for (const e of fresh)
      if (!this.#ids.has(e.id)) {
        this.#ids.add(e.id);
        this.#events.push(e);
        this.#live = apply(this.#live, e);
      }
    this.#seen = size;
  }

  static #options(ctx: EscalationContext): { keys?: KeyRegistry } {
    return ctx.keys === undefined ? {} : { keys: ctx.keys };
  }

  /** The agreement. */
  get agreement(): Agreement {
    return this.#ctx.agreement;
  }

  /** The file the agreement was read from (clause locations are relative to it). */
  get agreementFile(): string {
    return this.#ctx.agreementFile;
  }

  /** Every escalation event of the agreement, in ledger order (receipts included). */
  get events(): readonly EscalationEvent[] {
    return this.#events;
  }

  /**
   * The state at `at` (default: the clock's now): the live state moved forward for `at` at or
   * after the last event, else a replay of the events up to `at`.
   *
   * @throws ConcordatError `ERR_USAGE` when `at` is before the agreement is in force.
   */
  stateAt(at: number = this.#ctx.clock.now()): EscalationState {
    if (at >= this.#live.at) return advance(this.#live, at);
    return replay(this.#ctx.agreement, this.#events, at, EscalationService.#options(this.#ctx));
  }

  /** The engine's runtime state at `at`: what the release door decides in. */
  decisionStateAt(at: number = this.#ctx.clock.now()): DecisionState {
    return decisionState(this.stateAt(at));
  }

  /** Every level change up to `at` (default now), oldest first. */
  levelHistory(at: number = this.#ctx.clock.now()): readonly LevelTransition[] {
    return this.stateAt(at).transitions;
  }

  /** Where each trigger stands at `at` (default now). */
  evaluate(at: number = this.#ctx.clock.now()): TriggerEvaluation[] {
    const base = at >= this.#live.at ? this.#live : this.stateAt(at);
    return evaluateTriggers(this.#ctx.agreement, base, at);
  }

  /** The event with this id, if any. */
  event(id: string): EscalationEvent | undefined {
    return this.#events.find((e) => e.id === id);
  }

  /**
   * Records one event now: checks it, applies it to the live state, and writes it — with the
   * receipts and proposals it entails — to the ledger. Nothing is written when it is refused.
   *
   * @throws ConcordatError `ERR_ESCALATION_EVENT_INVALID` (every structural problem) or
   *   `ERR_ESCALATION_REFUSED` (every reason the fold rejected it; for a waiver request every
   *   clause that forbids it, with its source location).
   * @param sign For a statement signed over the event itself (a manual `level-lowered`): called
   *   with the event once it has its `id` and `at`; returns its `signature` (the digest it signs
   *   leaves the `signature` member out, so the input's placeholder does not matter).
   */
  record(input: EscalationInput, sign?: (event: EscalationEvent) => string): Promise<RecordResult> {
    return this.#mutex.lock(() => this.#record(input, sign));
  }

  async #record(
    input: EscalationInput,
    sign: ((event: EscalationEvent) => string) | undefined,
  ): Promise<RecordResult> {
    await this.#refresh();
    const ctx = this.#ctx;
    const newId = ctx.newId ?? randomUUID;
    const now = Math.max(ctx.clock.now(), this.#live.at);
    const stamped = { ...input, v: 1, id: newId(), at: now } as EscalationEvent;
    const event =
      sign === undefined ? stamped : ({ ...stamped, signature: sign(stamped) } as EscalationEvent);
    checkInput(event, ctx.agreement, ctx.agreementFile);

    // Changes due since the last event (sunsets, completed holds) get their receipts first.
    const pending: EscalationEvent[] = [];
    let state = this.#live;
    const stamp = (e: object): EscalationEvent => ({ ...e, id: newId() }) as EscalationEvent;
    const moved = advance(state, now);
    for (const r of receiptsBetween(state, moved, ctx.party)) {
      const e = stamp(r);
      state = apply(state, e);
      pending.push(e);
    }
    const before = state;
    state = apply(state, event);
    const rejected = state.rejected.slice(before.rejected.length);
    if (rejected.length > 0)
      throw refused(
        `${event.type} refused`,
        rejected.flatMap((r) => r.reasons),
        { event: event.id },
      );
    if (event.type === 'approval') {
      // An approval that does not count is refused: it could never raise or activate anything.
      const list =
        event.subject.kind === 'escalation'
          ? state.proposals.find((p) => p.id === event.subject.id)?.approvals
          : state.waivers.find((w) => w.id === event.subject.id)?.approvals;
      const mine = list?.find((a) => a.id === event.id);
      if (mine !== undefined && mine.problems.length > 0)
        throw refused(
          `approval by \`${event.official}\` refused`,
          mine.problems.map((p) => `official \`${event.official}\`: ${p}`),
          { problems: mine.problems },
        );
    }
    pending.push(event);
    for (const r of receiptsBetween(before, state, ctx.party)) {
      const e = stamp(r);
      state = apply(state, e);
      pending.push(e);
    }
    // The node proposes for every trigger whose condition holds with nothing raised or pending.
    for (const t of evaluateTriggers(ctx.agreement, state, now))
      if (t.next === 'propose') {
        const e = stamp({
          v: 1,
          at: now,
          actor: ctx.party,
          type: 'escalation-proposed',
          trigger: t.trigger,
          toLevel: t.raisesTo,
        });
        const next = apply(state, e);
        if (next.rejected.length === state.rejected.length) {
          state = next;
          pending.push(e);
        }
      }

    const bodies = pending.map((e) => ({ ...e, agreement: ctx.agreement.id }) as JsonObject);
    // Every body passes the ledger's no-content guard before the first is written.
    for (const b of bodies) assertNoContent(b);
    const written: WrittenEvent[] = [];
    const known = this.#events.length;
    let next = this.#seen;
    let interleaved = false;
    try {
      for (const [i, body] of bodies.entries()) {
        const { seq } = await ctx.ledger.append(ESCALATION_ENTRY_KIND, body);
        if (seq !== next) interleaved = true;
        next = seq + 1;
        const e = pending[i] as EscalationEvent;
        this.#events.push(e);
        this.#ids.add(e.id);
        written.push({ seq, event: e });
      }
    } catch (err) {
      // INVARIANT: the live state is the fold of exactly what the ledger holds, even when a
      // write fails half-way (receipts and proposals written, or not, before the failure).
      this.#live = EscalationService.#fold(ctx, this.#events);
      throw err;
    }
    const stored = interleaved
      ? await readEscalationEvents(ctx.db, ctx.agreement.id, this.#seen, next)
      : pending;
    if (stored.map((e) => e.id).join() !== pending.map((e) => e.id).join()) {
      // Another process appended escalation events between our look and our writes: the
      // ledger's order is the order of record.
      this.#events.splice(known, this.#events.length - known, ...stored);
      for (const e of stored) this.#ids.add(e.id);
      this.#live = EscalationService.#fold(ctx, this.#events);
    } else this.#live = state;
    this.#seen = next;
    return { event, written, state: this.#live };
  }
}
