/**
 * State stores with a changelog. An operator keeps its state in named
 * key-value stores; every write is also recorded for the query's changelog
 * topic (a compacted internal topic), which the query writes together with its
 * outputs before it commits, and reads back to restore the stores when it
 * starts again — after a restart, or on another process.
 */
import { Decimal } from '../schema/index.js';

/** A store's writes, as they go to the changelog: value undefined is a delete. */
export interface StoreChange {
  readonly store: string;
  readonly key: string;
  readonly value: unknown;
}

export interface KeyValueStore<V> {
  get(key: string): V | undefined;
  has(key: string): boolean;
  /** Writes the value (and logs it). Mutating a stored value in place needs another set() to be logged. */
  set(key: string, value: V): void;
  delete(key: string): boolean;
  entries(): IterableIterator<[string, V]>;
  readonly size: number;
}

/** Where a query's operators get their stores. */
export interface StateContext {
  store<V>(name: string): KeyValueStore<V>;
}

/**
 * Stores that log every change to `changes`, restorable from a list of changes.
 * One instance per task: a task's stores hold the state of its partition only.
 */
export class LoggedState implements StateContext {
  private readonly stores = new Map<string, Map<string, unknown>>();
  /** Keys written since the last take(), per store, with their last value (undefined: deleted). */
  private readonly dirty = new Map<string, Map<string, unknown>>();

  /**
   * `namespace` prefixes every store name (as the changelog records it), so that the
   * stores of several sub-topologies of one query can share its changelog topic.
   */
  constructor(
    private readonly logging = true,
    private readonly namespace = '',
  ) {}

  store<V>(shortName: string): KeyValueStore<V> {
    const name = this.namespace + shortName;
    let map = this.stores.get(name);
    if (!map) {
      map = new Map();
      this.stores.set(name, map);
    }
    const m = map as Map<string, V>;
    let dirty = this.dirty.get(name);
    if (!dirty) {
      dirty = new Map();
      this.dirty.set(name, dirty);
    }
    const d = dirty;
    const logging = this.logging;
    const log = (key: string, value: unknown) => {
      if (logging) d.set(key, value);
    };
    return {
      get: (key) => m.get(key),
      has: (key) => m.has(key),
      set: (key, value) => {
        m.set(key, value);
        log(key, value);
      },
      delete: (key) => {
        const had = m.delete(key);
        if (had) log(key, undefined);
        return had;
      },
      entries: () => m.entries(),
      get size() {
        return m.size;
      },
    };
  }

  /** The changes since the last call: the last write of each key. */
  take(): StoreChange[] {
    const out: StoreChange[] = [];
    for (const [store, keys] of this.dirty) {
      for (const [key, value] of keys) out.push({ store, key, value });
      keys.clear();
    }
    return out;
  }

  /** Whether this state's changes were logged (a persistent query) or are thrown away. */
  get logged(): boolean {
    return this.logging;
  }

  /** Whether a changelog record of this store name belongs here (its namespace, not a nested one). */
  owns(store: string): boolean {
    if (this.namespace !== '') return store.startsWith(this.namespace);
    return !store.startsWith(NAMESPACE_MARK);
  }

  /** Applies a changelog, without logging: only the changes of this state's namespace. */
  restore(changes: Iterable<StoreChange>): void {
    for (const c of changes) {
      if (!this.owns(c.store)) continue;
      let map = this.stores.get(c.store);
      if (!map) {
        map = new Map();
        this.stores.set(c.store, map);
      }
      if (c.value === undefined) map.delete(c.key);
      else map.set(c.key, c.value);
    }
  }
}

/** What every non-empty namespace starts with: the stores without one are sub-topology 0's. */
export const NAMESPACE_MARK = '#';

/** The store namespace of a query's sub-topology: none for the first (compatible with one-sub-topology changelogs). */
export function storeNamespace(subTopology: number): string {
  return subTopology === 0 ? '' : `${NAMESPACE_MARK}${subTopology}/`;
}

// ---------------------------------------------------------------- changelog records

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A changelog record's key: the store name and the key within it. */
export function changelogKey(c: { store: string; key: string }): Uint8Array {
  return encoder.encode(`${c.store}\u0000${c.key}`);
}

export function encodeChange(c: StoreChange): { key: Uint8Array; value: Uint8Array | null } {
  return { key: changelogKey(c), value: c.value === undefined ? null : encoder.encode(JSON.stringify(toTaggedJson(c.value))) };
}

export function decodeChange(key: Uint8Array, value: Uint8Array | null): StoreChange | undefined {
  const text = decoder.decode(key);
  const at = text.indexOf('\u0000');
  if (at < 0) return undefined;
  return { store: text.slice(0, at), key: text.slice(at + 1), value: value === null ? undefined : fromTaggedJson(JSON.parse(decoder.decode(value))) };
}

/** Runtime values (bigint, DECIMAL, MAP, BYTES, structs) as tagged JSON: ksqlite's internal value format. */
export function toTaggedJson(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'bigint':
      return { $b: v.toString() };
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0) ? v : { $n: Object.is(v, -0) ? '-0' : String(v) };
    case 'string':
    case 'boolean':
      return v;
    default:
      break;
  }
  if (Array.isArray(v)) return v.map(toTaggedJson);
  if (v instanceof Decimal) return { $d: v.toString() };
  if (v instanceof Map) return { $m: [...v.entries()].map(([k, x]) => [toTaggedJson(k), toTaggedJson(x)]) };
  if (v instanceof Uint8Array) return { $y: Buffer.from(v).toString('base64') };
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = toTaggedJson(x);
  return { $o: out };
}

/** The runtime value of tagged JSON (toTaggedJson's inverse). */
export function fromTaggedJson(j: unknown): unknown {
  if (j === null) return null;
  if (Array.isArray(j)) return j.map(fromTaggedJson);
  if (typeof j !== 'object') return j;
  const o = j as Record<string, unknown>;
  if ('$b' in o) return BigInt(o.$b as string);
  if ('$n' in o) return o.$n === '-0' ? -0 : Number(o.$n);
  if ('$d' in o) return Decimal.parse(o.$d as string);
  if ('$m' in o) return new Map((o.$m as [unknown, unknown][]).map(([k, x]) => [fromTaggedJson(k), fromTaggedJson(x)]));
  if ('$y' in o) return new Uint8Array(Buffer.from(o.$y as string, 'base64'));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries((o.$o ?? {}) as Record<string, unknown>)) out[k] = fromTaggedJson(x);
  return out;
}
