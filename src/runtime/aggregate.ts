/**
 * The aggregation operator: rows in, one updated row per group (and window) out.
 *
 * - Stream sources add each row to its group. A table source's changes first go
 *   through its GROUP BY (buildTableGroupBy), which knows the row each update
 *   replaces and sends its retraction (undo) to that row's group, as Kafka
 *   Streams' KTable.groupBy does; the aggregation applies both.
 * - Windows (TUMBLING, HOPPING, SESSION) follow stream time (the largest
 *   timestamp seen); a record for a window closed more than the grace period ago
 *   is dropped and counted; state older than the retention is evicted.
 * - EMIT FINAL holds each window's latest result until the window closes.
 *
 * State lives in changelogged stores (state.ts), so a restarted query carries on.
 */
import type { Aggregator } from '../functions/index.js';
import type { AggregateStep, WindowPlan } from '../planner/plan.js';
import { compileExpr, type RowFn } from './compile.js';
import type { ProcessingLogger } from './processing-log.js';
import type { Row, RowSink } from './row.js';
import { keyString } from './keys.js';
import type { KeyValueStore, StateContext } from './state.js';

interface Entry {
  readonly key: unknown[];
  accs: unknown[];
  timestamp: number;
  start: number;
  end: number;
}

export interface AggregateOptions {
  readonly log: ProcessingLogger;
  readonly state: StateContext;
}

export interface TableGroupByOptions extends AggregateOptions {
  /** Indexes of the table's key columns in the input row. */
  readonly sourceKeyIndexes: readonly number[];
}

/**
 * The GROUP BY key of a row, or undefined when the row is not aggregated: a grouping value is
 * null (ksqlDB drops such rows) or fails (logged).
 */
export function compileGroupKey(groupBy: AggregateStep['groupBy'], log: ProcessingLogger): (values: unknown[]) => unknown[] | undefined {
  const groupFns = groupBy.map((e) => compileExpr(e));
  const keyCount = groupFns.length;
  return (values) => {
    const key = new Array(keyCount);
    for (let i = 0; i < keyCount; i++) {
      let v: unknown;
      try {
        v = (groupFns[i] as RowFn)(values);
      } catch (err) {
        log.error(`Error computing GROUP BY expression: ${(err as Error).message}`);
        return undefined;
      }
      if (v === null || v === undefined) return undefined;
      key[i] = v;
    }
    return key;
  };
}

/** Whether a table aggregation's input goes through buildTableGroupBy (windowed ones take the table's rows as they are). */
export function regroupsTable(step: AggregateStep): boolean {
  return step.tableSource && step.window === undefined;
}

/**
 * A table's changes regrouped, before they reach the aggregation (which may run in another
 * task, behind a repartition topic): an update whose group changed sends a retraction of the
 * row it replaces (old values, deleted) to the old group, then the new row to its group; an
 * update that stays in its group is one change carrying both. The rows each table key last
 * had live in this operator's store, keyed as the table is.
 */
export function buildTableGroupBy(step: AggregateStep, downstream: RowSink, options: TableGroupByOptions): RowSink {
  const groupKey = compileGroupKey(step.groupBy, options.log);
  const previous = options.state.store<{ group: string; values: unknown[] }>('groupby');
  const keyIndexes = options.sourceKeyIndexes;
  return (row) => {
    const sk = keyString(keyIndexes.map((i) => row.values[i]));
    const before = previous.get(sk);
    const key = row.deleted ? undefined : groupKey(row.values);
    const k = key ? keyString(key) : undefined;
    if (before && before.group !== k) downstream({ values: before.values, old: before.values, deleted: true, timestamp: row.timestamp });
    if (k === undefined) {
      if (before) previous.delete(sk);
      return;
    }
    previous.set(sk, { group: k, values: row.values });
    downstream({ values: row.values, ...(before && before.group === k ? { old: before.values } : {}), deleted: false, timestamp: row.timestamp });
  };
}

// Window bounds repeat across records: their BIGINT values are made once.
const bigTimes = new Map<number, bigint>();
function bigTime(n: number): bigint {
  let b = bigTimes.get(n);
  if (b === undefined) {
    if (bigTimes.size > 100_000) bigTimes.clear();
    b = BigInt(n);
    bigTimes.set(n, b);
  }
  return b;
}

export function buildAggregate(step: AggregateStep, downstream: RowSink, options: AggregateOptions): RowSink {
  const aggs = step.aggregates.map((a) => ({
    aggregator: a.fn.create(a.literals) as Aggregator,
    args: a.args.map((e) => compileExpr(e)),
    text: a.text,
  }));
  const keyCount = step.groupBy.length;
  const window = step.window;
  const log = options.log;
  const store = options.state.store<Entry>('aggregate');
  const groupKey = compileGroupKey(step.groupBy, log);

  const argsOf = (values: unknown[]): unknown[][] =>
    aggs.map((a) => {
      const out = new Array(a.args.length);
      for (let i = 0; i < a.args.length; i++) {
        try {
          out[i] = (a.args[i] as RowFn)(values);
        } catch (err) {
          log.error(`Error computing an argument of ${a.text}: ${(err as Error).message}`);
          out[i] = null;
        }
      }
      return out;
    });

  const output = (e: Entry): Row => {
    const values = new Array(keyCount + (window ? 2 : 0) + aggs.length);
    for (let i = 0; i < keyCount; i++) values[i] = e.key[i];
    let j = keyCount;
    if (window) {
      values[j++] = bigTime(e.start);
      values[j++] = bigTime(e.end);
    }
    for (let i = 0; i < aggs.length; i++) values[j + i] = (aggs[i] as (typeof aggs)[number]).aggregator.result(e.accs[i]);
    return { values, timestamp: e.timestamp, deleted: false, window: window ? { start: e.start, end: e.end } : undefined };
  };

  const fresh = (key: unknown[], timestamp: number, start = 0, end = 0): Entry => ({
    key,
    accs: aggs.map((a) => a.aggregator.initial()),
    timestamp,
    start,
    end,
  });

  const add = (e: Entry, args: unknown[][]) => {
    for (let i = 0; i < aggs.length; i++) e.accs[i] = (aggs[i] as (typeof aggs)[number]).aggregator.add(e.accs[i], args[i] as unknown[]);
  };

  if (!window) {
    if (!step.tableSource) {
      return (row) => {
        // A stream record without a value is not aggregated.
        if (row.deleted) return;
        const key = groupKey(row.values);
        if (!key) return;
        const k = keyString(key);
        const e = store.get(k) ?? fresh(key, row.timestamp);
        add(e, argsOf(row.values));
        if (row.timestamp > e.timestamp) e.timestamp = row.timestamp;
        store.set(k, e);
        downstream(output(e));
      };
    }
    return tableAggregate(downstream, { groupKey, argsOf, output, fresh, add, store, aggs });
  }
  if (window.type === 'SESSION') {
    return sessionAggregate(window, step.emitFinal, downstream, log, options.state, { groupKey, argsOf, output, fresh, add, aggs });
  }
  return timeWindowAggregate(window, step.emitFinal, downstream, log, options.state, { groupKey, argsOf, output, fresh, add, store });
}

interface Parts {
  groupKey: (values: unknown[]) => unknown[] | undefined;
  argsOf: (values: unknown[]) => unknown[][];
  output: (e: Entry) => Row;
  fresh: (key: unknown[], timestamp: number, start?: number, end?: number) => Entry;
  add: (e: Entry, args: unknown[][]) => void;
}

/** Table source: the regrouped changes of buildTableGroupBy; a change retracts the row it replaces, then adds its own. */
function tableAggregate(downstream: RowSink, p: Parts & { store: KeyValueStore<Entry>; aggs: { aggregator: Aggregator }[] }): RowSink {
  return (row) => {
    const key = p.groupKey(row.values);
    if (!key) return;
    const k = keyString(key);
    let e = p.store.get(k);
    if (row.old && e) {
      const before = p.argsOf(row.old);
      for (let i = 0; i < p.aggs.length; i++) {
        const agg = (p.aggs[i] as { aggregator: Aggregator }).aggregator;
        if (agg.undo) e.accs[i] = agg.undo(e.accs[i], before[i] as unknown[]);
      }
    }
    if (!row.deleted) {
      e ??= p.fresh(key, row.timestamp);
      p.add(e, p.argsOf(row.values));
    }
    if (!e) return;
    if (row.timestamp > e.timestamp) e.timestamp = row.timestamp;
    p.store.set(k, e);
    downstream(p.output(e));
  };
}

/**
 * Windows ordered by a time (start for eviction, end for EMIT FINAL): created almost always in
 * order, so insertion is an append and the due ones come off the front.
 */
class TimeQueue {
  private items: { at: number; key: string }[] = [];
  private head = 0;

  push(at: number, key: string): void {
    const items = this.items;
    if (items.length === this.head || (items[items.length - 1] as { at: number }).at <= at) {
      items.push({ at, key });
      return;
    }
    // Out of order (a late record opened an old window): keep the queue sorted.
    let lo = this.head;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((items[mid] as { at: number }).at <= at) lo = mid + 1;
      else hi = mid;
    }
    items.splice(lo, 0, { at, key });
  }

  /** Removes and returns the keys whose time is before `limit` (or at it, when inclusive). */
  *due(limit: number, inclusive: boolean): Generator<string> {
    const items = this.items;
    while (this.head < items.length) {
      const first = items[this.head] as { at: number; key: string };
      if (inclusive ? first.at > limit : first.at >= limit) break;
      this.head += 1;
      yield first.key;
    }
    if (this.head > 1024 && this.head * 2 > items.length) {
      this.items = items.slice(this.head);
      this.head = 0;
    }
  }
}

/** TUMBLING and HOPPING windows. */
function timeWindowAggregate(
  w: WindowPlan,
  emitFinal: boolean,
  downstream: RowSink,
  log: ProcessingLogger,
  state: StateContext,
  p: Parts & { store: KeyValueStore<Entry> },
): RowSink {
  const meta = state.store<number>('meta');
  let streamTime = meta.get('streamTime') ?? -Infinity;
  // Windows awaiting their final result (EMIT FINAL), by key into the aggregate store.
  const pending = state.store<true>('pending');
  const byStart = new TimeQueue();
  const byEnd = new TimeQueue();
  // After a restore, the queues are rebuilt from the stores.
  for (const [k, e] of p.store.entries()) byStart.push(e.start, k);
  for (const [k] of pending.entries()) {
    const e = p.store.get(k);
    if (e) byEnd.push(e.end, k);
  }
  return (row) => {
    const ts = row.timestamp;
    if (ts > streamTime) {
      streamTime = ts;
      meta.set('streamTime', ts);
    }
    const key = row.deleted ? undefined : p.groupKey(row.values);
    if (key) {
      const args = p.argsOf(row.values);
      const base = keyString(key);
      // Every window [start, start + size) that holds ts, earliest first; starts are multiples of the advance.
      const first = Math.max(0, Math.floor((ts - w.sizeMs) / w.advanceMs + 1) * w.advanceMs);
      for (let start = first; start <= ts; start += w.advanceMs) {
        const end = start + w.sizeMs;
        if (end <= ts) continue;
        if (end + w.graceMs <= streamTime) {
          log.error(`Skipping record for expired window: window [${start}, ${end}) closed (grace ${w.graceMs} ms, stream time ${streamTime})`);
          continue;
        }
        const k = `${base}@${start}`;
        let e = p.store.get(k);
        if (!e) {
          e = p.fresh(key, ts, start, end);
          byStart.push(start, k);
        }
        p.add(e, args);
        if (ts > e.timestamp) e.timestamp = ts;
        p.store.set(k, e);
        if (emitFinal) {
          if (!pending.has(k)) {
            byEnd.push(end, k);
            pending.set(k, true);
          }
        } else downstream(p.output(e));
      }
    }
    // Windows past their retention leave the store (as Kafka Streams drops old segments);
    // with EMIT FINAL this happens before closed windows are emitted, so such windows are never emitted.
    for (const k of byStart.due(streamTime - w.retentionMs, false)) {
      p.store.delete(k);
      pending.delete(k);
    }
    if (emitFinal) {
      for (const k of byEnd.due(streamTime - w.graceMs, true)) {
        const e = pending.has(k) ? p.store.get(k) : undefined;
        pending.delete(k);
        if (e) downstream(p.output(e));
      }
    }
  };
}

/** SESSION windows: a record joins (and merges) the sessions within the gap of it. */
function sessionAggregate(
  w: WindowPlan,
  emitFinal: boolean,
  downstream: RowSink,
  log: ProcessingLogger,
  state: StateContext,
  p: Parts & { aggs: { aggregator: Aggregator }[] },
): RowSink {
  const meta = state.store<number>('meta');
  let streamTime = meta.get('streamTime') ?? -Infinity;
  const sessions = state.store<Entry[]>('sessions');
  const pending = state.store<Entry>('pending');
  const id = (base: string, e: Entry) => `${base}@${e.start}-${e.end}`;
  return (row) => {
    const ts = row.timestamp;
    if (ts > streamTime) {
      streamTime = ts;
      meta.set('streamTime', ts);
    }
    // Sessions past their retention leave the store before the record looks for sessions to join.
    for (const [base, list] of [...sessions.entries()]) {
      const kept = list.filter((s) => s.end >= streamTime - w.retentionMs);
      if (kept.length === 0) sessions.delete(base);
      else if (kept.length !== list.length) sessions.set(base, kept);
    }
    const key = row.deleted ? undefined : p.groupKey(row.values);
    if (key) {
      const base = keyString(key);
      const list = sessions.get(base) ?? [];
      const overlapping = list.filter((s) => s.end + w.gapMs >= ts && s.start - w.gapMs <= ts);
      const start = Math.min(ts, ...overlapping.map((s) => s.start));
      const end = Math.max(ts, ...overlapping.map((s) => s.end));
      // A session closes once stream time passes its end plus the gap and the grace.
      if (end + w.gapMs + w.graceMs < streamTime) {
        log.error(`Skipping record for expired session: [${start}, ${end}] closed (grace ${w.graceMs} ms, stream time ${streamTime})`);
      } else {
        const merged = p.fresh(key, ts, start, end);
        for (const s of overlapping) {
          for (let i = 0; i < p.aggs.length; i++) {
            const agg = (p.aggs[i] as { aggregator: Aggregator }).aggregator;
            merged.accs[i] = agg.merge ? agg.merge(merged.accs[i], s.accs[i]) : s.accs[i];
          }
          if (s.timestamp > merged.timestamp) merged.timestamp = s.timestamp;
          // The merged-away session is deleted downstream.
          pending.delete(id(base, s));
          if (!emitFinal) downstream({ ...p.output(s), deleted: true });
        }
        p.add(merged, p.argsOf(row.values));
        const rest = list.filter((s) => !overlapping.includes(s));
        rest.push(merged);
        sessions.set(base, rest);
        if (emitFinal) pending.set(id(base, merged), merged);
        else downstream(p.output(merged));
      }
    }
    if (emitFinal) {
      for (const [k, e] of [...pending.entries()]) {
        if (e.end + w.gapMs + w.graceMs < streamTime) {
          pending.delete(k);
          downstream(p.output(e));
        }
      }
    }
  };
}
