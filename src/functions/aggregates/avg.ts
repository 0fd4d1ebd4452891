/**
 * AVG: sum / count as a DOUBLE, from a STRUCT<SUM, COUNT> accumulator whose SUM has the argument's
 * type (so an INT or BIGINT sum wraps like Java's). Nulls are skipped; an empty group averages to
 * 0.0. ksqlDB 0.29 offers AVG for INT, BIGINT and DOUBLE only.
 */
import { BIGINT, field, struct, type SqlType } from '../../schema/index.js';
import type { Aggregator, FunctionDefinition } from '../types.js';
import { aggregate, aggregator, int32, int64 } from './aggregate.js';

interface Avg<S> {
  readonly SUM: S;
  readonly COUNT: bigint;
}

function average<S>(
  sumType: SqlType,
  zero: S,
  plus: (a: S, b: S) => S,
  minus: (a: S, b: S) => S,
  toDouble: (sum: S) => number,
): Aggregator {
  return aggregator<Avg<S>>({
    intermediateType: struct([field('SUM', sumType), field('COUNT', BIGINT)]),
    initial: () => ({ SUM: zero, COUNT: 0n }),
    add: (acc, [v]) => (v === null ? acc : { SUM: plus(acc.SUM, v as S), COUNT: acc.COUNT + 1n }),
    undo: (acc, [v]) => (v === null ? acc : { SUM: minus(acc.SUM, v as S), COUNT: acc.COUNT - 1n }),
    merge: (a, b) => ({ SUM: plus(a.SUM, b.SUM), COUNT: a.COUNT + b.COUNT }),
    result: (acc) => (acc.COUNT === 0n ? 0 : toDouble(acc.SUM) / Number(acc.COUNT)),
  });
}

const AVG = aggregate(
  'avg',
  // ksqlDB's text, missing space included: DESCRIBE FUNCTION shows it.
  'Returns the average value of the column computed as the sum divided by thecount. Applicable only to numeric types.',
  [
    {
      params: ['BIGINT'],
      returns: 'DOUBLE',
      description: 'Compute average of column with type Long.',
      create: ([t]) => average<bigint>(t, 0n, (a, b) => int64(a + b), (a, b) => int64(a - b), Number),
    },
    {
      params: ['INTEGER'],
      returns: 'DOUBLE',
      description: 'Compute average of column with type Integer.',
      create: ([t]) => average<number>(t, 0, (a, b) => int32(a + b), (a, b) => int32(a - b), (s) => s),
    },
    {
      params: ['DOUBLE'],
      returns: 'DOUBLE',
      description: 'Compute average of column with type Double.',
      create: ([t]) => average<number>(t, 0, (a, b) => a + b, (a, b) => a - b, (s) => s),
    },
  ],
);

export const FUNCTIONS: FunctionDefinition[] = [AVG];
