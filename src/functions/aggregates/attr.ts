/**
 * ATTR: the group's single value, or null when it has seen more than one distinct value (null
 * counts as a value). Keeps a count per distinct value, ARRAY<STRUCT<VALUE T, COUNT INT>>, so a
 * table aggregation can undo its way back to a single value.
 */
import { array, field, INTEGER, struct } from '../../schema/index.js';
import { equalityKey } from '../arrays.js';
import type { FunctionDefinition } from '../types.js';
import { aggregate, aggregator } from './aggregate.js';

interface Entry {
  readonly VALUE: unknown;
  readonly COUNT: number;
}

type Entries = readonly Entry[];

const ATTR = aggregate(
  'ATTR',
  'The ATTR() aggregation indicates there are multiple values, but only one was expected. For example, if ' +
    'aggregating against a table that semantically should have only one value for a column given a key, this ' +
    'aggregation enables users to indicate that they expect only a single value.\n\nIf the aggregation encounters ' +
    'more than a single value for the expected singular column, the entire aggregation will return null.',
  [
    {
      params: ['T'],
      returns: 'T',
      description: 'Collect as a singleton',
      create: ([type]) => {
        const key = equalityKey(type);
        // Attr.update: counts never drop below zero; a value is only added by a positive count.
        const update = (entries: Entries, value: unknown, n: number): Entries => {
          const k = key(value);
          let found = false;
          const out = entries.map((e) => {
            if (key(e.VALUE) !== k) return e;
            found = true;
            return { VALUE: e.VALUE, COUNT: Math.max(0, (e.COUNT + n) | 0) };
          });
          return found || n <= 0 ? out : [...out, { VALUE: value, COUNT: n }];
        };
        return aggregator<Entries>({
          intermediateType: array(struct([field('VALUE', type), field('COUNT', INTEGER)])),
          initial: () => [],
          add: (acc, [v]) => update(acc, v, 1),
          undo: (acc, [v]) => update(acc, v, -1),
          merge: (a, b) => b.reduce((out, e) => update(out, e.VALUE, e.COUNT), a),
          result: (acc) => {
            const live = acc.filter((e) => e.COUNT > 0);
            return live.length === 1 ? live[0].VALUE : null;
          },
        });
      },
    },
  ],
);

export const FUNCTIONS: FunctionDefinition[] = [ATTR];
