/**
 * The stream-stream join (WITHIN), as Kafka Streams' KStreamKStreamJoin does it:
 *
 * - Each side buffers its records per join key in a window store kept for
 *   before + after + grace; a record joins every buffered record of the other side
 *   with the same key whose timestamp lies in its window (left.ts - before <=
 *   right.ts <= left.ts + after; mirrored for RIGHT joins, as ksqlDB builds them),
 *   at the larger of the two timestamps.
 * - A window store only shows records newer than its own latest timestamp minus the
 *   retention, so a very late record still joins what is shown, and is not kept.
 * - Outer results (LEFT, RIGHT, FULL): without GRACE PERIOD (ksqlDB's legacy
 *   semantics, 24 h grace) a record that finds no match is emitted null-padded at
 *   once. With GRACE PERIOD (KIP-633) it waits until stream time (the largest
 *   timestamp of either side) passes its window end plus the grace and is emitted
 *   then, at its own timestamp, unless it matched meanwhile; a record whose window
 *   has already ended when it arrives is emitted at once. Waiting results are
 *   emitted when an in-order record arrives, before that record joins.
 *
 * Buffers, waiting results and times live in changelogged stores.
 */
import type { Row } from './row.js';
import type { KeyValueStore } from './state.js';
import { storedWindow, type JoinContext, type JoinSinks, type RowWindow } from './join-rows.js';

/** The grace of JoinWindows.of() (no GRACE PERIOD): 24 hours less the window. */
const LEGACY_GRACE_MS = 24 * 60 * 60 * 1000;

interface Buffered {
  readonly ts: number;
  readonly v: unknown[];
  readonly w?: RowWindow;
}

/** Records of one side, key and timestamp that found no match yet (KIP-633's outer-join store). */
interface Waiting {
  readonly side: 'L' | 'R';
  readonly ts: number;
  readonly k: string;
  readonly rows: { readonly v: unknown[]; readonly w?: RowWindow }[];
}

interface Side {
  readonly name: 'L' | 'R';
  readonly key: (values: unknown[]) => unknown;
  readonly buffer: KeyValueStore<Buffered[]>;
  /** The latest timestamp this side's window store has seen. */
  observed: number;
  readonly evictions: OrderedQueue<{ ts: number; k: string }>;
  /** Whether unmatched records of this side are emitted null-padded. */
  readonly outer: boolean;
  /** This side's record at t joins the other side's records in [t - lookBack, t + lookAhead]. */
  readonly lookBack: number;
  readonly lookAhead: number;
  readonly waiting: OrderedQueue<{ ts: number; k: string }>;
}

export function buildStreamStreamJoin(ctx: JoinContext): JoinSinks {
  const { step, downstream, log } = ctx;
  const within = step.within;
  if (!within) throw new Error('A stream-stream join needs a WITHIN window');
  const joinType = step.joinType;
  // ksqlDB runs a RIGHT join as the right stream's LEFT join with the left one, with the same
  // JoinWindows: seen from the left, WITHIN (before, after) is mirrored.
  const beforeMs = joinType === 'RIGHT' ? within.afterMs : within.beforeMs;
  const afterMs = joinType === 'RIGHT' ? within.beforeMs : within.afterMs;
  const spuriousResultFix = within.graceMs !== undefined;
  const graceMs = within.graceMs ?? Math.max(LEGACY_GRACE_MS - 2 * within.beforeMs, 0);
  const retentionMs = beforeMs + afterMs + graceMs;

  const times = ctx.store<number>('time');
  const waitingStore = ctx.store<Waiting>('outer');
  let streamTime = times.get('stream') ?? -Infinity;

  const byTime = (a: { ts: number }, b: { ts: number }) => a.ts - b.ts;
  const byTimeAndKey = (a: { ts: number; k: string }, b: { ts: number; k: string }) => a.ts - b.ts || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0);
  const side = (name: 'L' | 'R'): Side => {
    const s: Side = {
      name,
      key: name === 'L' ? ctx.leftKey : ctx.rightKey,
      buffer: ctx.store<Buffered[]>(name === 'L' ? 'left' : 'right'),
      observed: times.get(name) ?? -Infinity,
      evictions: new OrderedQueue<{ ts: number; k: string }>(byTime),
      outer: name === 'L' ? joinType === 'LEFT' || joinType === 'FULL' : joinType === 'RIGHT' || joinType === 'FULL',
      lookBack: name === 'L' ? beforeMs : afterMs,
      lookAhead: name === 'L' ? afterMs : beforeMs,
      waiting: new OrderedQueue(byTimeAndKey),
    };
    // After a restore, the queues are rebuilt from the stores.
    for (const [k, list] of s.buffer.entries()) for (const e of list) s.evictions.push({ ts: e.ts, k });
    return s;
  };
  const left = side('L');
  const right = side('R');
  for (const [, w] of waitingStore.entries()) (w.side === 'L' ? left : right).waiting.push({ ts: w.ts, k: w.k });

  const waitingId = (s: 'L' | 'R', ts: number, k: string) => `${s}${ts}\u0000${k}`;

  const emit = (l: unknown[] | undefined, r: unknown[] | undefined, timestamp: number, window: RowWindow | undefined) => {
    downstream({ values: ctx.join(l, r), timestamp, deleted: false, window });
  };

  /** Emits the waiting records whose window closed (end + grace before stream time), oldest first. */
  const emitClosed = () => {
    const due: { s: Side; ts: number; k: string }[] = [];
    for (const s of [right, left]) {
      if (!s.outer) continue;
      for (let head = s.waiting.peek(); head && head.ts + s.lookAhead + graceMs < streamTime; head = s.waiting.peek()) {
        s.waiting.shift();
        due.push({ s, ts: head.ts, k: head.k });
      }
    }
    if (due.length === 0) return;
    // The outer-join store's order: timestamp, then right before left, then key.
    if (due.length > 1) due.sort((a, b) => a.ts - b.ts || (a.s === b.s ? 0 : a.s === right ? -1 : 1) || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
    for (const d of due) {
      const id = waitingId(d.s.name, d.ts, d.k);
      const w = waitingStore.get(id);
      if (!w) continue; // matched meanwhile
      waitingStore.delete(id);
      for (const r of w.rows) {
        if (d.s === left) emit(r.v, undefined, w.ts, storedWindow(r.w));
        else emit(undefined, r.v, w.ts, storedWindow(r.w));
      }
    }
  };

  const wait = (s: Side, k: string, row: Row) => {
    const id = waitingId(s.name, row.timestamp, k);
    const entry = { v: row.values, ...(row.window ? { w: row.window } : {}) };
    const w = waitingStore.get(id);
    if (w) {
      w.rows.push(entry);
      waitingStore.set(id, w);
      return;
    }
    waitingStore.set(id, { side: s.name, ts: row.timestamp, k, rows: [entry] });
    s.waiting.push({ ts: row.timestamp, k });
  };

  const keep = (s: Side, k: string, row: Row) => {
    const ts = row.timestamp;
    if (ts > s.observed) {
      s.observed = ts;
      times.set(s.name, ts);
    }
    const limit = s.observed - retentionMs;
    if (ts > limit) {
      const list = s.buffer.get(k) ?? [];
      let at = list.length;
      while (at > 0 && (list[at - 1] as Buffered).ts > ts) at--;
      list.splice(at, 0, { ts, v: row.values, ...(row.window ? { w: row.window } : {}) });
      s.buffer.set(k, list);
      s.evictions.push({ ts, k });
    } else {
      log.error(`Skipping record for expired join window: timestamp ${ts} is older than the retention (${retentionMs} ms) of the join's window store, which has seen ${s.observed}`);
    }
    // Records past the retention leave the store, as Kafka Streams drops old segments.
    for (let head = s.evictions.peek(); head && head.ts <= limit; head = s.evictions.peek()) {
      s.evictions.shift();
      const list = s.buffer.get(head.k);
      if (!list) continue;
      let n = 0;
      while (n < list.length && (list[n] as Buffered).ts <= limit) n++;
      if (n === list.length) s.buffer.delete(head.k);
      else if (n > 0) s.buffer.set(head.k, list.slice(n));
    }
  };

  const process = (self: Side, other: Side, row: Row) => {
    // A record without a value, or without a join key, is skipped (Kafka Streams 3.x).
    if (row.deleted) return;
    const key = self.key(row.values);
    if (key === null) return;
    const k = ctx.keyOf(key, row.window);
    const ts = row.timestamp;
    if (ts > streamTime) {
      streamTime = ts;
      times.set('stream', ts);
    }
    if (spuriousResultFix && ts === streamTime) emitClosed();

    const from = Math.max(0, ts - self.lookBack);
    const to = Math.max(0, ts + self.lookAhead);
    let matched = false;
    const candidates = other.buffer.get(k);
    if (candidates) {
      for (const o of candidates) {
        if (o.ts < from) continue;
        if (o.ts > to) break;
        matched = true;
        if (spuriousResultFix && other.outer) waitingStore.delete(waitingId(other.name, o.ts, k));
        const timestamp = Math.max(ts, o.ts);
        if (self === left) emit(row.values, o.v, timestamp, row.window ?? storedWindow(o.w));
        else emit(o.v, row.values, timestamp, storedWindow(o.w) ?? row.window);
      }
    }
    if (!matched && self.outer) {
      // Legacy semantics, or a window already over: the null-padded result goes out now.
      if (!spuriousResultFix || to < streamTime) {
        if (self === left) emit(row.values, undefined, ts, row.window);
        else emit(undefined, row.values, ts, row.window);
      } else {
        wait(self, k, row);
      }
    }
    keep(self, k, row);
  };

  return {
    left: (row) => process(left, right, row),
    right: (row) => process(right, left, row),
  };
}

/** Items kept in order; they arrive almost always in order, so an insertion is an append. */
class OrderedQueue<T> {
  private items: T[] = [];
  private head = 0;

  constructor(private readonly compare: (a: T, b: T) => number) {}

  push(item: T): void {
    const items = this.items;
    if (items.length === this.head || this.compare(items[items.length - 1] as T, item) <= 0) {
      items.push(item);
      return;
    }
    // Out of order (a late record): after every item that is not greater.
    let lo = this.head;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(items[mid] as T, item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    items.splice(lo, 0, item);
  }

  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
