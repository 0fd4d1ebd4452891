/**
 * COUNT and COUNT_DISTINCT.
 *
 * COUNT(col) counts the rows where col is not null; COUNT(*) and COUNT() reach the registry with
 * no argument and count every row (ksqlDB counts ROWTIME, which is never null). COUNT_DISTINCT is
 * ksqlDB's HyperLogLog estimate (see hyperloglog.ts), not an exact count.
 */
import { array, BIGINT, INTEGER } from '../../schema/index.js';
import type { FunctionDefinition } from '../types.js';
import { aggregate, aggregator } from './aggregate.js';
import { cardinality, emptySketch, javaObjectHash, mergeSketches, offer } from './hyperloglog.js';

const countRows = () =>
  aggregator<bigint>({
    intermediateType: BIGINT,
    initial: () => 0n,
    add: (acc, args) => (args.length === 0 || args[0] !== null ? acc + 1n : acc),
    undo: (acc, args) => (args.length === 0 || args[0] !== null ? acc - 1n : acc),
    merge: (a, b) => a + b,
    result: (acc) => acc,
  });

const COUNT = aggregate('COUNT', 'Counts records by key.', [
  { params: [], returns: 'BIGINT', description: 'Counts all records (COUNT(*)).', create: countRows },
  { params: ['ANY'], paramNames: ['key'], returns: 'BIGINT', create: countRows },
]);

const COUNT_DISTINCT = aggregate(
  'COUNT_DISTINCT',
  'This function returns the number of items found in a group. The implementation is probabilistic with a typical ' +
    'accuracy (standard error) of less than 1%.',
  [
    {
      params: ['T'],
      returns: 'BIGINT',
      description: 'Count distinct',
      create: ([type]) => {
        const hash = javaObjectHash(type);
        return aggregator<readonly number[]>({
          intermediateType: array(INTEGER),
          initial: emptySketch,
          add: (acc, [value]) => (value === null ? acc : offer(acc, hash(value))),
          merge: mergeSketches,
          result: cardinality,
        });
      },
    },
  ],
);

export const FUNCTIONS: FunctionDefinition[] = [COUNT, COUNT_DISTINCT];
