/**
 * ARRAY functions (ksqlDB's udf/array and udf/list packages). Element equality and ordering
 * follow the Java objects ksqlDB holds: equals() for the set operations (BigDecimal equality is
 * scale-sensitive, Double.equals tells -0.0 from 0.0 and matches NaN with NaN) and the natural
 * order of Comparable for sorting (nulls last, arrays/maps/structs are not comparable).
 */
import { Decimal, formatDouble, type SqlType, type Struct } from '../schema/index.js';
import type { FunctionDefinition, ScalarVariant } from './types.js';

// ---------------------------------------------------------------------------------------------
// Java equality and natural order of SQL values

/**
 * A key that two values share exactly when Java's equals() says they are equal: the hash key of
 * HashSet/LinkedHashSet in ksqlDB's ARRAY_DISTINCT, ARRAY_UNION and friends. `type` is the
 * values' SQL type; without it the kind is read from the value (numbers then count as DOUBLE).
 */
export function equalityKey(type: SqlType | undefined): (value: unknown) => string {
  return (value) => keyOf(value, type);
}

function keyOf(value: unknown, type: SqlType | undefined): string {
  if (value === null || value === undefined) return 'n';
  switch (type?.kind ?? dynamicKind(value)) {
    case 'BOOLEAN':
      return value ? 'T' : 'F';
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      // Integral kinds: -0 and 0 are the same int.
      return `i${(value as number) + 0}`;
    case 'BIGINT':
      return `l${String(value)}`;
    case 'DOUBLE':
      // Double.equals compares bits: -0.0 != 0.0 and NaN equals NaN.
      return Object.is(value, -0) ? 'd-0' : `d${String(value)}`;
    case 'DECIMAL': {
      const d = value as Decimal;
      return `m${d.unscaled}e${d.scale}`;
    }
    case 'STRING':
      return `s${JSON.stringify(value)}`;
    case 'BYTES':
      return `y${Buffer.from(value as Uint8Array).toString('hex')}`;
    case 'ARRAY': {
      const item = type?.kind === 'ARRAY' ? type.item : undefined;
      return `[${(value as readonly unknown[]).map((v) => keyOf(v, item)).join(',')}]`;
    }
    case 'MAP': {
      const [k, v] = type?.kind === 'MAP' ? [type.key, type.value] : [undefined, undefined];
      // Map.equals ignores entry order.
      const entries = [...(value as ReadonlyMap<unknown, unknown>)].map(([mk, mv]) => `${keyOf(mk, k)}:${keyOf(mv, v)}`);
      return `{${entries.sort().join(',')}}`;
    }
    case 'STRUCT': {
      const s = value as Struct;
      const names = type?.kind === 'STRUCT' ? type.fields.map((f) => f.name) : Object.keys(s).sort();
      const fieldType = (name: string): SqlType | undefined =>
        type?.kind === 'STRUCT' ? type.fields.find((f) => f.name === name)?.type : undefined;
      return `(${names.map((n) => `${JSON.stringify(n)}=${keyOf(s[n] ?? null, fieldType(n))}`).join(',')})`;
    }
    default:
      return `?${String(value)}`;
  }
}

function dynamicKind(value: unknown): SqlType['kind'] {
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (typeof value === 'number') return 'DOUBLE';
  if (typeof value === 'bigint') return 'BIGINT';
  if (typeof value === 'string') return 'STRING';
  if (value instanceof Decimal) return 'DECIMAL';
  if (value instanceof Uint8Array) return 'BYTES';
  if (Array.isArray(value)) return 'ARRAY';
  if (value instanceof Map) return 'MAP';
  return 'STRUCT';
}

export type Comparator = (a: unknown, b: unknown) => number;

/**
 * Java's natural order (Comparable.compareTo) for non-null values of `type`. ARRAY, MAP and
 * STRUCT values are not Comparable in ksqlDB: comparing them fails, as the ClassCastException does.
 */
export function naturalOrder(type: SqlType | undefined): Comparator {
  return (a, b) => compareValues(a, b, type?.kind ?? dynamicKind(a));
}

function compareValues(a: unknown, b: unknown, kind: SqlType['kind']): number {
  switch (kind) {
    case 'BOOLEAN':
      return Number(a) - Number(b);
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      return Math.sign((a as number) - (b as number));
    case 'BIGINT':
      return a === b ? 0 : (a as bigint) < (b as bigint) ? -1 : 1;
    case 'DOUBLE':
      return compareDoubles(a as number, b as number);
    case 'DECIMAL':
      return (a as Decimal).compareTo(b as Decimal);
    case 'STRING':
      // String.compareTo compares UTF-16 code units, as JavaScript's relational operators do.
      return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
    case 'BYTES':
      return compareBytes(a as Uint8Array, b as Uint8Array);
    case 'ARRAY':
    case 'MAP':
    case 'STRUCT':
      throw new Error(`Values of type ${kind} are not comparable`);
    default: {
      const unreachable: never = kind;
      throw new Error(`Unknown SQL type ${String(unreachable)}`);
    }
  }
}

/** Double.compare: -0.0 sorts before 0.0, NaN after everything and equal to itself. */
export function compareDoubles(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return a !== 0 ? 0 : Object.is(a, -0) === Object.is(b, -0) ? 0 : Object.is(a, -0) ? -1 : 1;
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
}

/** ByteBuffer.compareTo: signed bytes, element by element, then the shorter first. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = ((a[i] << 24) >> 24) - ((b[i] << 24) >> 24);
    if (d !== 0) return Math.sign(d);
  }
  return Math.sign(a.length - b.length);
}

/** Comparator.nullsLast(order). */
function nullsLast(order: Comparator): Comparator {
  return (a, b) => {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
    return order(a, b);
  };
}

/** The element type of an ARRAY argument type, if known. */
export function itemType(type: SqlType | undefined): SqlType | undefined {
  return type?.kind === 'ARRAY' ? type.item : undefined;
}

/** Distinct values in order of first occurrence (LinkedHashSet semantics). */
function distinct(values: readonly unknown[], key: (v: unknown) => string): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const v of values) {
    const k = key(v);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(v);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Functions

type List = readonly unknown[];

const byElementKey =
  (body: (key: (v: unknown) => string) => (...args: any[]) => unknown) =>
  (argTypes: readonly SqlType[]) =>
    body(equalityKey(itemType(argTypes[0])));

const ARRAY_CONTAINS: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'ARRAY_CONTAINS',
  category: 'ARRAY',
  description: 'Returns true if the array is non-null and contains the supplied value.',
  variants: [
    {
      params: ['ARRAY<T>', 'T'],
      paramNames: ['array', 'val'],
      returns: 'BOOLEAN',
      nulls: 'pass',
      bind: byElementKey((key) => (array: List | null, value: unknown) => {
        if (array === null) return false;
        const wanted = key(value);
        return array.some((v) => key(v) === wanted);
      }),
    },
  ],
};

const ARRAY_DISTINCT: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'array_distinct',
  category: 'ARRAY',
  description:
    'Returns an array of all the distinct values, including NULL if present, from the input array. ' +
    'The output array elements will be in order of their first occurrence in the input. ' +
    'Returns NULL if the input array is NULL.',
  variants: [
    {
      params: ['ARRAY<T>'],
      paramNames: ['input'],
      returns: 'ARRAY<T>',
      bind: byElementKey((key) => (input: List) => distinct(input, key)),
    },
  ],
};

const ARRAY_EXCEPT: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'array_except',
  category: 'ARRAY',
  description:
    'Returns an array of all the elements in an array except for those also present in a second array. ' +
    'The order of entries in the first array is preserved although any duplicates are removed. ' +
    'Returns NULL if either input is NULL.',
  variants: [
    {
      params: ['ARRAY<T>', 'ARRAY<T>'],
      paramNames: ['left', 'right'],
      returns: 'ARRAY<T>',
      bind: byElementKey((key) => (left: List, right: List) => {
        const excluded = new Set(right.map(key));
        return distinct(left, key).filter((v) => !excluded.has(key(v)));
      }),
    },
  ],
};

const ARRAY_INTERSECT: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'array_intersect',
  category: 'ARRAY',
  description:
    'Returns an array of all the distinct elements from the intersection of both input arrays, ' +
    'or NULL if either input array is NULL. The order of entries in the output is the same as in the first input array.',
  variants: [
    {
      params: ['ARRAY<T>', 'ARRAY<T>'],
      paramNames: ['left', 'right'],
      returns: 'ARRAY<T>',
      bind: byElementKey((key) => (left: List, right: List) => {
        const kept = new Set(right.map(key));
        return distinct(left, key).filter((v) => kept.has(key(v)));
      }),
    },
  ],
};

const ARRAY_UNION: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'array_union',
  category: 'ARRAY',
  description: 'Returns an array of all the distinct elements from both input arrays, or NULL if either array is NULL.',
  variants: [
    {
      params: ['ARRAY<T>', 'ARRAY<T>'],
      paramNames: ['left', 'right'],
      returns: 'ARRAY<T>',
      bind: byElementKey((key) => (left: List, right: List) => distinct([...left, ...right], key)),
    },
  ],
};

const ARRAY_CONCAT: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'array_concat',
  category: 'ARRAY',
  description:
    'Concatenates two arrays, creating an array that contains all the elements in the first array ' +
    'followed by all the elements in the second array. Returns NULL if both input arrays are NULL. ' +
    'If only one argument is NULL, the result is the other argument. The two arrays must be of the same type.',
  variants: [
    {
      params: ['ARRAY<T>', 'ARRAY<T>'],
      paramNames: ['left', 'right'],
      returns: 'ARRAY<T>',
      nulls: 'pass',
      impl: (left: List | null, right: List | null) =>
        left === null && right === null ? null : [...(left ?? []), ...(right ?? [])],
    },
  ],
};

/** ARRAY_JOIN accepts only elements whose Java class is a ksqlDB primitive. */
const JOINABLE_KINDS = new Set<SqlType['kind']>(['BOOLEAN', 'INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING']);

function joinArray(array: List, delimiter: string, item: SqlType | undefined): string {
  const parts = array.map((e) => {
    if (e === null) return 'null';
    const kind = item?.kind ?? dynamicKind(e);
    if (!JOINABLE_KINDS.has(kind)) {
      throw new Error(`error: hit element of type ${kind} which is currently not supported`);
    }
    // Object.toString of the Java value: Double.toString, BigDecimal.toString.
    if (kind === 'DOUBLE') return formatDouble(e as number);
    if (kind === 'DECIMAL') return (e as Decimal).toJavaString();
    return String(e);
  });
  return parts.join(delimiter);
}

const ARRAY_JOIN: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'ARRAY_JOIN',
  category: 'ARRAY',
  description: 'joins the array elements into a flat string representation',
  variants: [
    {
      params: ['ARRAY<T>'],
      paramNames: ['array'],
      returns: 'STRING',
      bind: (argTypes) => (array: List) => joinArray(array, ',', itemType(argTypes[0])),
    },
    {
      params: ['ARRAY<T>', 'STRING'],
      paramNames: ['array', 'delimiter'],
      returns: 'STRING',
      nulls: 'pass',
      bind: (argTypes) => (array: List | null, delimiter: string | null) =>
        array === null ? null : joinArray(array, delimiter ?? '', itemType(argTypes[0])),
    },
  ],
};

const ARRAY_LENGTH: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'ARRAY_LENGTH',
  category: 'ARRAY',
  description: 'Returns the length on an array',
  variants: [{ params: ['ARRAY<T>'], paramNames: ['array'], returns: 'INTEGER', impl: (array: List) => array.length }],
};

function extremum(sign: 1 | -1): NonNullable<ScalarVariant['bind']> {
  return (argTypes) => {
    const order = naturalOrder(itemType(argTypes[0]));
    return (input: List) => {
      let candidate: unknown = null;
      for (const v of input) {
        if (v === null) continue;
        if (candidate === null || sign * order(v, candidate) > 0) candidate = v;
      }
      return candidate;
    };
  };
}

const ARRAY_MAX: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'array_max',
  category: 'ARRAY',
  description:
    'Return the maximum value from within an array of primitive values, according to their natural sort order. ' +
    'If the array is NULL, or contains only NULLs, return NULL.',
  variants: [{ params: ['ARRAY<T>'], paramNames: ['input'], returns: 'T', bind: extremum(1) }],
};

const ARRAY_MIN: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'array_min',
  category: 'ARRAY',
  description:
    'Return the minimum value from within an array of primitive values, according to their natural sort order. ' +
    'If the array is NULL, or contains only NULLs, return NULL.',
  variants: [{ params: ['ARRAY<T>'], paramNames: ['input'], returns: 'T', bind: extremum(-1) }],
};

const ARRAY_REMOVE: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'array_remove',
  category: 'ARRAY',
  description: 'Removes all the elements equal to a specific value from an array. Returns NULL if the input array is NULL.',
  variants: [
    {
      params: ['ARRAY<T>', 'T'],
      paramNames: ['array', 'victim'],
      returns: 'ARRAY<T>',
      nulls: 'pass',
      bind: byElementKey((key) => (array: List | null, victim: unknown) => {
        if (array === null) return null;
        const removed = key(victim);
        return array.filter((v) => key(v) !== removed);
      }),
    },
  ],
};

function sortArray(input: List, direction: string, order: Comparator): unknown[] | null {
  const upper = direction.toUpperCase();
  if (upper === 'ASC' || upper === 'ASCENDING') return [...input].sort(nullsLast(order));
  if (upper === 'DESC' || upper === 'DESCENDING') return [...input].sort(nullsLast((a, b) => order(b, a)));
  return null;
}

const ARRAY_SORT: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'array_sort',
  category: 'ARRAY',
  description:
    'Sort an array of primitive values, according to their natural sort order. Any NULLs in the array will be placed at the end.',
  variants: [
    {
      params: ['ARRAY<T>'],
      paramNames: ['input'],
      returns: 'ARRAY<T>',
      bind: (argTypes) => {
        const order = naturalOrder(itemType(argTypes[0]));
        return (input: List) => sortArray(input, 'ASC', order);
      },
    },
    {
      params: ['ARRAY<T>', 'STRING'],
      paramNames: ['input', 'direction'],
      returns: 'ARRAY<T>',
      bind: (argTypes) => {
        const order = naturalOrder(itemType(argTypes[0]));
        return (input: List, direction: string) => sortArray(input, direction, order);
      },
    },
  ],
};

function seriesInt(start: number, end: number, step: number): number[] {
  if (step === 0) throw new Error('GENERATE_SERIES step cannot be zero');
  const diff = (end - start) | 0;
  if ((diff > 0 && step < 0) || (diff < 0 && step > 0)) throw new Error('GENERATE_SERIES step has wrong sign');
  const size = (1 + Math.trunc(diff / step)) | 0;
  if (size < 0) throw new Error(`Illegal Capacity: ${size}`);
  const out = new Array<number>(size);
  let value = start;
  for (let i = 0; i < size; i++) {
    out[i] = value;
    value = (value + step) | 0;
  }
  return out;
}

function seriesLong(start: bigint, end: bigint, step: number): bigint[] {
  if (step === 0) throw new Error('GENERATE_SERIES step cannot be zero');
  const diff = BigInt.asIntN(64, end - start);
  if ((diff > 0n && step < 0) || (diff < 0n && step > 0)) throw new Error('GENERATE_SERIES step has wrong sign');
  const size = (1 + Number(BigInt.asIntN(32, diff / BigInt(step)))) | 0;
  if (size < 0) throw new Error(`Illegal Capacity: ${size}`);
  const out = new Array<bigint>(size);
  let value = start;
  for (let i = 0; i < size; i++) {
    out[i] = value;
    value = BigInt.asIntN(64, value + BigInt(step));
  }
  return out;
}

const GENERATE_SERIES: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'GENERATE_SERIES',
  category: 'ARRAY',
  description: 'Construct an array of a range of values',
  variants: [
    {
      params: ['INTEGER', 'INTEGER'],
      paramNames: ['start', 'end'],
      returns: 'ARRAY<INTEGER>',
      impl: (start: number, end: number) => seriesInt(start, end, end - start > 0 ? 1 : -1),
    },
    {
      params: ['INTEGER', 'INTEGER', 'INTEGER'],
      paramNames: ['start', 'end', 'step'],
      returns: 'ARRAY<INTEGER>',
      impl: seriesInt,
    },
    {
      params: ['BIGINT', 'BIGINT'],
      paramNames: ['start', 'end'],
      returns: 'ARRAY<BIGINT>',
      impl: (start: bigint, end: bigint) => seriesLong(start, end, BigInt.asIntN(64, end - start) > 0n ? 1 : -1),
    },
    {
      params: ['BIGINT', 'BIGINT', 'INTEGER'],
      paramNames: ['start', 'end', 'step'],
      returns: 'ARRAY<BIGINT>',
      impl: seriesLong,
    },
  ],
};

const SLICE: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'slice',
  category: 'ARRAY',
  description: 'slice of an ARRAY',
  variants: [
    {
      params: ['ARRAY<T>', 'INTEGER', 'INTEGER'],
      paramNames: ['in', 'from', 'to'],
      returns: 'ARRAY<T>',
      nulls: 'pass',
      impl: (input: List | null, from: number | null, to: number | null) => {
        if (input === null) return null;
        // 1-based and inclusive of `to`; out-of-range bounds give NULL (List.subList throws).
        const start = from === null ? 0 : from - 1;
        const end = to === null ? input.length : to;
        if (start < 0 || end > input.length || start > end) return null;
        return input.slice(start, end);
      },
    },
  ],
};

export const FUNCTIONS: FunctionDefinition[] = [
  ARRAY_CONCAT,
  ARRAY_CONTAINS,
  ARRAY_DISTINCT,
  ARRAY_EXCEPT,
  ARRAY_INTERSECT,
  ARRAY_JOIN,
  ARRAY_LENGTH,
  ARRAY_MAX,
  ARRAY_MIN,
  ARRAY_REMOVE,
  ARRAY_SORT,
  ARRAY_UNION,
  GENERATE_SERIES,
  SLICE,
];
