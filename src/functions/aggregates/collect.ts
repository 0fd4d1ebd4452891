/**
 * COLLECT_LIST and COLLECT_SET: every value (nulls included) in arrival order, or every distinct
 * value (Java equals(): DECIMAL scale matters, Double.equals tells -0.0 from 0.0, maps ignore
 * entry order) in order of first arrival. Values beyond ksql.functions.collect_list.limit /
 * collect_set.limit are dropped silently. A session merge keeps the first window's values, then
 * the second's, up to the limit.
 */
import { array } from '../../schema/index.js';
import { equalityKey } from '../arrays.js';
import type { FunctionDefinition } from '../types.js';
import { aggregate, aggregator, readLimit } from './aggregate.js';

export const COLLECT_LIST_LIMIT = 'ksql.functions.collect_list.limit';
export const COLLECT_SET_LIMIT = 'ksql.functions.collect_set.limit';

type List = readonly unknown[];

const COLLECT_LIST = aggregate(
  'collect_list',
  'Gather all of the values from an input grouping into a single Array field.\nAlthough this aggregate works on both ' +
    'Stream and Table inputs, the order of entries in the result array is not guaranteed when working on Table input ' +
    'data.\nYou may limit the size of the resultant Array to N entries, beyond which any further values will be ' +
    `silently ignored, by setting the ${COLLECT_LIST_LIMIT} configuration to N.`,
  [
    {
      params: ['T'],
      returns: 'ARRAY<T>',
      description: 'collect values of a field into a single Array',
      create: ([type], _literals, config) => {
        const limit = readLimit(config, COLLECT_LIST_LIMIT);
        const key = equalityKey(type);
        return aggregator<List>({
          intermediateType: array(type),
          initial: () => [],
          add: (acc, [v]) => (acc.length < limit ? [...acc, v] : acc),
          // The last equal value goes: which row put it there is not tracked (nor is it in ksqlDB).
          undo: (acc, [v]) => {
            const k = key(v);
            for (let i = acc.length - 1; i >= 0; i--) {
              if (key(acc[i]) === k) return [...acc.slice(0, i), ...acc.slice(i + 1)];
            }
            return acc;
          },
          merge: (a, b) => (a.length >= limit ? a : [...a, ...b.slice(0, limit - a.length)]),
          result: (acc) => acc,
        });
      },
    },
  ],
);

const COLLECT_SET = aggregate(
  'collect_set',
  'Gather all of the distinct values from an input grouping into a single Array.\nNot available for aggregating ' +
    'values from an input Table.\nYou may limit the size of the resultant Array to N entries, beyond which any ' +
    `further values will be silently ignored, by setting the ${COLLECT_SET_LIMIT} configuration to N.`,
  [
    {
      params: ['T'],
      returns: 'ARRAY<T>',
      description: 'collect distinct values of a field into a single Array',
      create: ([type], _literals, config) => {
        const limit = readLimit(config, COLLECT_SET_LIMIT);
        const key = equalityKey(type);
        const has = (list: List, k: string): boolean => list.some((x) => key(x) === k);
        return aggregator<List>({
          intermediateType: array(type),
          initial: () => [],
          add: (acc, [v]) => (acc.length < limit && !has(acc, key(v)) ? [...acc, v] : acc),
          merge: (a, b) => {
            const out = [...a];
            for (const v of b) {
              if (out.length >= limit) break;
              if (!has(out, key(v))) out.push(v);
            }
            return out;
          },
          result: (acc) => acc,
        });
      },
    },
  ],
);

export const FUNCTIONS: FunctionDefinition[] = [COLLECT_LIST, COLLECT_SET];
