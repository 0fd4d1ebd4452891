/**
 * MAP functions (ksqlDB's udf/map package, ENTRIES, and SPLIT_TO_MAP, which builds a map from
 * text). Maps keep insertion order; where ksqlDB overwrites a key (put) the key keeps its
 * first position, as in a LinkedHashMap.
 */
import { array, field, STRING, struct, type SqlType, type Struct } from '../schema/index.js';
import type { FunctionDefinition, ScalarVariant } from './types.js';

type AnyMap = ReadonlyMap<unknown, unknown>;

const MAP_KEYS: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'map_keys',
  category: 'MAP',
  description: 'Returns an array of all the keys from the specified map, or NULL if the input map is NULL.',
  variants: [{ params: ['MAP<STRING, T>'], paramNames: ['input'], returns: 'ARRAY<STRING>', impl: (m: AnyMap) => [...m.keys()] }],
};

const MAP_VALUES: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'map_values',
  category: 'MAP',
  description: 'Returns an array of all the values from the specified map, or NULL if the input map is NULL.',
  variants: [{ params: ['MAP<STRING, T>'], paramNames: ['input'], returns: 'ARRAY<T>', impl: (m: AnyMap) => [...m.values()] }],
};

const MAP_UNION: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'map_union',
  category: 'MAP',
  description:
    'Returns a new map containing the union of all entries from both input maps. If a key is present in both ' +
    'input maps then the value from map2 is the one which appears in the result. Returns NULL if all of the input maps are NULL.',
  variants: [
    {
      params: ['MAP<STRING, T>', 'MAP<STRING, T>'],
      paramNames: ['map1', 'map2'],
      returns: 'MAP<STRING, T>',
      nulls: 'pass',
      impl: (map1: AnyMap | null, map2: AnyMap | null) => {
        if (map1 === null && map2 === null) return null;
        const out = new Map<unknown, unknown>(map1 ?? []);
        for (const [k, v] of map2 ?? []) out.set(k, v);
        return out;
      },
    },
  ],
};

const AS_MAP: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'AS_MAP',
  category: 'MAP',
  description: 'Construct a map from a list of keys and a list of values',
  variants: [
    {
      params: ['ARRAY<STRING>', 'ARRAY<T>'],
      paramNames: ['keys', 'values'],
      returns: 'MAP<STRING, T>',
      impl: (keys: readonly unknown[], values: readonly unknown[]) => {
        const out = new Map<unknown, unknown>();
        // Keys without a value map to NULL; values without a key are dropped.
        keys.forEach((k, i) => out.set(k, i < values.length ? values[i] : null));
        return out;
      },
    },
  ],
};

function entries(map: ReadonlyMap<string, unknown>, sorted: boolean): Struct[] {
  const list = [...map];
  if (sorted) list.sort(([a], [b]) => (a === b ? 0 : a < b ? -1 : 1));
  return list.map(([K, V]) => ({ K, V }));
}

function entriesReturn(valueType: SqlType): SqlType {
  return array(struct([field('K', STRING), field('V', valueType)]));
}

/** ENTRIES has one signature per value type, as in ksqlDB; a struct value keeps its own type. */
const ENTRIES_VALUE_TYPES = ['INTEGER', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'STRING', 'STRUCT'] as const;

const ENTRIES: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'ENTRIES',
  category: 'MAP',
  description: 'Construct an array from the entries in a map.The array can be optionally sorted on the keys.',
  variants: ENTRIES_VALUE_TYPES.map(
    (valueType): ScalarVariant => ({
      params: [`MAP<STRING, ${valueType}>`, 'BOOLEAN'],
      paramNames: ['map', 'sorted'],
      returns: (argTypes) => {
        const mapType = argTypes[0];
        if (mapType?.kind !== 'MAP') throw new Error('ENTRIES expects a MAP argument');
        return entriesReturn(mapType.value);
      },
      impl: entries,
    }),
  ),
};

/** Guava's Splitter.on(delimiter).split(text): every occurrence splits, empty parts kept. */
function splitOn(text: string, delimiter: string): string[] {
  return text.split(delimiter);
}

const SPLIT_TO_MAP: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'split_to_map',
  category: 'STRING',
  description:
    "Splits a string into key-value pairs and creates a map from them. The 'entryDelimiter' splits the string " +
    "into key-value pairs which are then split by 'kvDelimiter'. If the same key is present multiple times in the " +
    'input, the latest value for that key is returned. Returns NULL if the input text or either of the delimiters is NULL.',
  variants: [
    {
      params: ['STRING', 'STRING', 'STRING'],
      paramNames: ['input', 'entryDelimiter', 'kvDelimiter'],
      returns: 'MAP<STRING, STRING>',
      impl: (input: string, entryDelimiter: string, kvDelimiter: string) => {
        if (entryDelimiter === '' || kvDelimiter === '' || entryDelimiter === kvDelimiter) return null;
        const out = new Map<string, string>();
        for (const entry of splitOn(input, entryDelimiter)) {
          if (entry === '' || !entry.includes(kvDelimiter)) continue;
          // The first two parts are the key and the value; any further parts are ignored.
          const [key, value] = splitOn(entry, kvDelimiter);
          out.set(key, value);
        }
        return out;
      },
    },
  ],
};

export const FUNCTIONS: FunctionDefinition[] = [AS_MAP, ENTRIES, MAP_KEYS, MAP_UNION, MAP_VALUES, SPLIT_TO_MAP];
