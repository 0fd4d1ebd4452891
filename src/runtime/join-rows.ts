/**
 * What every join operator shares: how an input row is keyed, how joined rows are
 * assembled (left columns, then right columns, nulls for a missing side) and where
 * the operator keeps its state.
 */
import { sourcesOf, type JoinStep, type Step } from '../planner/plan.js';
import type { TypedExpr } from '../planner/typed.js';
import { compileExpr } from './compile.js';
import { keyString } from './keys.js';
import type { ProcessingLogger } from './processing-log.js';
import type { Row, RowSink } from './row.js';
import type { KeyValueStore, StateContext } from './state.js';

export type RowWindow = NonNullable<Row['window']>;

/** The two entry points of a join: rows of the left input and rows of the right input. */
export interface JoinSinks {
  readonly left: RowSink;
  readonly right: RowSink;
}

export interface JoinOptions {
  readonly log: ProcessingLogger;
  readonly state: StateContext;
  /** Prefix of the join's store names; default: from the aliases of the sources it joins (unique per join of a query). */
  readonly name?: string;
}

/** One join, compiled: what the operator builders work with. */
export interface JoinContext {
  readonly step: JoinStep;
  readonly downstream: RowSink;
  readonly log: ProcessingLogger;
  /** A store of this join (names are prefixed, so several joins of one query do not collide). */
  store<V>(name: string): KeyValueStore<V>;
  /** The join expression on a left / right row: null when it is null or fails (such a row never matches). */
  readonly leftKey: (values: unknown[]) => unknown;
  readonly rightKey: (values: unknown[]) => unknown;
  /** The state key of a join value (and the window of a windowed row). */
  readonly keyOf: (value: unknown, window: RowWindow | undefined) => string;
  /** The output row's values: the left row's columns then the right row's (nulls for a missing side), then the join value (key joins). */
  readonly join: (left: readonly unknown[] | undefined | null, right: readonly unknown[] | undefined | null) => unknown[];
}

export function joinContext(step: JoinStep, downstream: RowSink, options: JoinOptions): JoinContext {
  const prefix = options.name ?? `join(${sourcesOf(step).map((s) => s.alias).join(',')})`;
  const leftWidth = step.left.layout.columns.length;
  const rightWidth = step.right.layout.columns.length;
  const width = Math.max(leftWidth + rightWidth, step.layout.columns.length);
  const session = windowTypeOf(step.left) === 'SESSION' || windowTypeOf(step.right) === 'SESSION';
  const leftKey = compileJoinKey(step.leftKey, options.log);
  const rightKey = compileJoinKey(step.rightKey, options.log);
  const keyColumn = step.keyColumn;
  return {
    step,
    downstream,
    log: options.log,
    store: <V>(name: string) => options.state.store<V>(`${prefix}:${name}`),
    leftKey,
    rightKey,
    keyOf: (value, window) => {
      // BIGINT values are bigints and INT values numbers: equal numbers are one key.
      const base = typeof value === 'bigint' ? `n${value}` : keyString([value]);
      if (!window) return base;
      // A windowed key is the key and its window as Kafka serializes it: the start for time
      // windows (so a HOPPING window joins a TUMBLING one that starts with it), start and end for sessions.
      return session ? `${base}@${window.start}-${window.end}` : `${base}@${window.start}`;
    },
    join: (left, right) => {
      const out = new Array<unknown>(width);
      if (left) for (let i = 0; i < leftWidth; i++) out[i] = left[i];
      else for (let i = 0; i < leftWidth; i++) out[i] = null;
      if (right) for (let i = 0; i < rightWidth; i++) out[leftWidth + i] = right[i];
      else for (let i = 0; i < rightWidth; i++) out[leftWidth + i] = null;
      if (keyColumn !== undefined) {
        // The join value: whichever side is present gives it (they are equal when both are).
        let key = left ? leftKey(left as unknown[]) : null;
        if (key === null && right) key = rightKey(right as unknown[]);
        out[keyColumn] = key;
      }
      return out;
    },
  };
}

function compileJoinKey(expr: TypedExpr, log: ProcessingLogger): (values: unknown[]) => unknown {
  const fn = compileExpr(expr);
  return (values) => {
    try {
      const v = fn(values);
      return v === undefined ? null : v;
    } catch (err) {
      log.error(`Error computing join expression ${expr.text}: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  };
}

/** The window type of the rows a step produces, if they are windowed. */
export function windowTypeOf(step: Step): 'TUMBLING' | 'HOPPING' | 'SESSION' | undefined {
  switch (step.type) {
    case 'source':
      return step.source.window?.type;
    case 'aggregate':
      return step.window?.type;
    case 'join':
      return windowTypeOf(step.left);
    default:
      return windowTypeOf(step.input);
  }
}

/** The window of a row read back from a store (absent fields come back as null). */
export function storedWindow(w: RowWindow | null | undefined): RowWindow | undefined {
  return w ?? undefined;
}

/**
 * Orders key values as Kafka orders their serialized bytes for the common key formats
 * (numbers numerically, strings by code unit), which decides the order of a foreign-key
 * join's results for one right-side change.
 */
export function compareKeyValues(a: readonly unknown[], b: readonly unknown[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareKeyValue(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function compareKeyValue(x: unknown, y: unknown): number {
  const nx = typeof x === 'number' || typeof x === 'bigint';
  const ny = typeof y === 'number' || typeof y === 'bigint';
  if (nx && ny) return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  const sx = keyString([x]);
  const sy = keyString([y]);
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}

/** A 53-bit hash of a row's values (cyrb53): a foreign-key join's check that a response is not stale. */
export function valuesHash(values: readonly unknown[]): number {
  const text = keyString(values);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
