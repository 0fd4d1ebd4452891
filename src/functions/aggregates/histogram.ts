/**
 * HISTOGRAM: how many times each string occurs, as a MAP<STRING, BIGINT> of at most 1000 entries
 * (values first seen once the map is full are not counted). A null value is counted under a null
 * key, as Java's HashMap does. Undo drops an entry whose count reaches zero.
 */
import { BIGINT, map, STRING } from '../../schema/index.js';
import type { FunctionDefinition } from '../types.js';
import { aggregate, aggregator } from './aggregate.js';

const LIMIT = 1000;

type Counts = ReadonlyMap<string | null, bigint>;

function addOne(counts: Counts, key: string | null): Counts {
  const current = counts.get(key);
  if (current === undefined && counts.size >= LIMIT) return counts;
  return new Map(counts).set(key, (current ?? 0n) + 1n);
}

const HISTOGRAM = aggregate(
  'histogram',
  'Returns a map of each distinct String from the input Stream or Table and how many times each occurs. \nThis ' +
    'version limits the size of the resultant Map to 1000 entries. Any entries added beyond this limit will be ignored.',
  [
    {
      params: ['STRING'],
      returns: 'MAP<STRING, BIGINT>',
      description: 'Build a value-to-count histogram of input Strings',
      create: () =>
        aggregator<Counts>({
          intermediateType: map(STRING, BIGINT),
          initial: () => new Map(),
          add: (acc, [v]) => addOne(acc, v as string | null),
          undo: (acc, [v]) => {
            const current = acc.get(v as string | null);
            if (current === undefined) return acc;
            const out = new Map(acc);
            if (current - 1n < 1n) out.delete(v as string | null);
            else out.set(v as string | null, current - 1n);
            return out;
          },
          merge: (a, b) => {
            const out = new Map(a);
            for (const [k, n] of b) {
              const current = out.get(k);
              if (current !== undefined || out.size < LIMIT) out.set(k, (current ?? 0n) + n);
            }
            return out;
          },
          result: (acc) => acc,
        }),
    },
  ],
);

export const FUNCTIONS: FunctionDefinition[] = [HISTOGRAM];
