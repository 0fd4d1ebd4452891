/**
 * Higher-order functions over collections (ksqlDB's udf/lambda package): TRANSFORM, FILTER and
 * REDUCE. Lambda arguments arrive as JS functions. An error thrown by a lambda is not caught:
 * it fails the whole call, as it does in ksqlDB.
 *
 * Map results are built as ksqlDB builds them with Collectors.toMap: a NULL value or a
 * duplicate key in the result is an error (and so the call evaluates to NULL).
 */
import type { SqlType } from '../schema/index.js';
import { equalityKey } from './arrays.js';
import type { FunctionDefinition } from './types.js';

type List = readonly unknown[];
type AnyMap = ReadonlyMap<unknown, unknown>;
type Fn = (...args: unknown[]) => unknown;

/** Collectors.toMap: rejects NULL values (HashMap.merge) and duplicate keys (equal as `keyType` values). */
function collectToMap(entries: Iterable<readonly [unknown, unknown]>, keyType: SqlType | undefined): Map<unknown, unknown> {
  const key = equalityKey(keyType);
  const seen = new Set<string>();
  const out = new Map<unknown, unknown>();
  for (const [k, v] of entries) {
    if (v === null || v === undefined) throw new Error('NullPointerException: map values cannot be null');
    const id = key(k);
    if (seen.has(id)) throw new Error(`Duplicate key ${String(k)} (attempted merging values)`);
    seen.add(id);
    out.set(k, v);
  }
  return out;
}

/** Function<T, Boolean>::apply used as a predicate: a NULL result cannot be unboxed. */
function test(result: unknown): boolean {
  if (result === null || result === undefined) throw new Error('NullPointerException: lambda returned NULL, not a BOOLEAN');
  return result === true;
}

const TRANSFORM: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'transform',
  category: 'LAMBDA',
  description: 'Apply a function to each element in a collection. The transformed collection is returned.',
  variants: [
    {
      params: ['ARRAY<T>', 'LAMBDA(T) => R'],
      paramNames: ['array', 'function'],
      returns: 'ARRAY<R>',
      description: 'When transforming an array, the function provided must have one argument. The transformed array is returned.',
      impl: (list: List, fn: Fn) => list.map((v) => fn(v)),
    },
    {
      params: ['MAP<K, V>', 'LAMBDA(K, V) => R', 'LAMBDA(K, V) => U'],
      paramNames: ['map', 'keyFunction', 'valueFunction'],
      returns: 'MAP<R, U>',
      description:
        'When transforming a map, two functions must be provided. For each map entry, the first function provided ' +
        'will be applied to the key and the second one applied to the value. Each function must have two arguments. ' +
        'The two arguments for each function are in order: the key and then the value. The transformed map is returned.',
      // The key lambda's entry in argTypes is its body's type: the result's key type.
      bind: (argTypes) => (map: AnyMap, keyFn: Fn, valueFn: Fn) =>
        collectToMap(
          [...map].map(([k, v]) => [keyFn(k, v), valueFn(k, v)] as const),
          argTypes[1],
        ),
    },
  ],
};

const FILTER: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'filter',
  category: 'LAMBDA',
  description: 'Filter the input collection through a given lambda function. The filtered collection is returned.',
  variants: [
    {
      params: ['ARRAY<T>', 'LAMBDA(T) => BOOLEAN'],
      paramNames: ['array', 'function'],
      returns: 'ARRAY<T>',
      description:
        'When filtering an array, the function provided must have a boolean result. ' +
        'The function is applied to each value in the array and a filtered array is returned.',
      impl: (list: List, fn: Fn) => list.filter((v) => test(fn(v))),
    },
    {
      params: ['MAP<K, V>', 'LAMBDA(K, V) => BOOLEAN'],
      paramNames: ['map', 'function'],
      returns: 'MAP<K, V>',
      description:
        'When filtering a map, the function provided must have a boolean result. For each map entry, the function ' +
        'will be applied to the key and value arguments in that order. The filtered map is returned.',
      bind: (argTypes) => {
        const mapType = argTypes[0];
        const keyType = mapType?.kind === 'MAP' ? mapType.key : undefined;
        return (map: AnyMap, fn: Fn) => collectToMap([...map].filter(([k, v]) => test(fn(k, v))), keyType);
      },
    },
  ],
};

const REDUCE: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'reduce',
  category: 'LAMBDA',
  description:
    'Reduce the input collection down to a single value using an initial state and a function. The initial state (s) ' +
    'is passed into the scope of the function. Each invocation returns a new value for s, which the next invocation ' +
    'will receive. The final value for s is returned.',
  variants: [
    {
      params: ['ARRAY<T>', 'S', 'LAMBDA(S, T) => S'],
      paramNames: ['array', 'initialState', 'function'],
      returns: 'S',
      nulls: 'pass',
      description:
        'When reducing an array, the reduce function must have two arguments. The two arguments for the reduce ' +
        'function are in order: the state and the array item. The final state is returned.',
      impl: (list: List | null, initial: unknown, fn: Fn) => {
        // A NULL state gives NULL; a NULL array leaves the initial state as it is.
        if (initial === null) return null;
        if (list === null) return initial;
        let state: unknown = initial;
        for (const item of list) state = fn(state, item);
        return state;
      },
    },
    {
      params: ['MAP<K, V>', 'S', 'LAMBDA(S, K, V) => S'],
      paramNames: ['map', 'initialState', 'function'],
      returns: 'S',
      nulls: 'pass',
      description:
        'When reducing a map, the reduce function must have three arguments. The three arguments for the reduce ' +
        'function are in order: the state, the key, and the value. The final state is returned.',
      impl: (map: AnyMap | null, initial: unknown, fn: Fn) => {
        if (initial === null) return null;
        if (map === null) return initial;
        let state: unknown = initial;
        for (const [k, v] of map) state = fn(state, k, v);
        return state;
      },
    },
  ],
};

export const FUNCTIONS: FunctionDefinition[] = [FILTER, REDUCE, TRANSFORM];
