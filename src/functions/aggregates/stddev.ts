/**
 * STDDEV_SAMP and STDDEV_SAMPLE, ksqlDB's two sample-deviation UDAFs (Youngs-Cramer updates of a
 * STRUCT<SUM, COUNT, M2> whose SUM has the argument's type). They differ as ksqlDB's do:
 *  - STDDEV_SAMP returns M2 / (n - 1), the sample variance, and counts in an INT;
 *  - STDDEV_SAMPLE returns its square root, the sample standard deviation, and counts in a BIGINT.
 * Both return 0.0 below two values and skip nulls. The arithmetic is Java's, int and long
 * wrapping and integer division included (STDDEV_SAMP merges INT and BIGINT means with it).
 */
import { BIGINT, DOUBLE, field, INTEGER, struct, type SqlType } from '../../schema/index.js';
import type { AggregateVariant, Aggregator, FunctionDefinition } from '../types.js';
import { aggregate, aggregator, int32, int64 } from './aggregate.js';

interface State<S, C> {
  readonly SUM: S;
  readonly COUNT: C;
  readonly M2: number;
}

/** What differs between the argument types: Java's arithmetic on the SUM and on the count. */
interface SumOps<S, C> {
  readonly zero: S;
  /** newValue + sum. */
  readonly plus: (sum: S, v: S) => S;
  /** sum - valueToRemove. */
  readonly minus: (sum: S, v: S) => S;
  /** createDelta: newValue * (count + 1) - (sum + newValue). */
  readonly delta: (state: State<S, C>, v: S) => number;
  /** mergeInner: the difference of the two means. */
  readonly meanDifference: (a: State<S, C>, b: State<S, C>) => number;
}

/** What differs between the two functions: the count's type and the final mapping. */
interface CountOps<C> {
  readonly type: SqlType;
  readonly zero: C;
  readonly plus: (a: C, b: C) => C;
  readonly minus: (a: C, b: C) => C;
  readonly one: C;
  readonly toNumber: (c: C) => number;
  /** a * b in the count's Java type, as a double. */
  readonly product: (a: C, b: C) => number;
  readonly map: (m2: number, count: number) => number;
}

function youngsCramer<S, C>(sumType: SqlType, count: CountOps<C>, ops: SumOps<S, C>): Aggregator {
  const { one } = count;
  return aggregator<State<S, C>>({
    intermediateType: struct([field('SUM', sumType), field('COUNT', count.type), field('M2', DOUBLE)]),
    initial: () => ({ SUM: ops.zero, COUNT: count.zero, M2: 0 }),
    add: (acc, [v]) => {
      if (v === null) return acc;
      const newCount = count.plus(acc.COUNT, one);
      let m2 = 0;
      if (count.toNumber(count.minus(newCount, one)) > 0) {
        const delta = ops.delta(acc, v as S);
        m2 = (delta * delta) / count.product(newCount, count.minus(newCount, one));
      }
      return { SUM: ops.plus(acc.SUM, v as S), COUNT: newCount, M2: m2 + acc.M2 };
    },
    undo: (acc, [v]) => {
      if (v === null) return acc;
      const newCount = count.minus(acc.COUNT, one);
      let m2 = 0;
      if (count.toNumber(newCount) > 0) {
        const delta = ops.delta(acc, v as S);
        m2 = (delta * delta) / count.product(newCount, count.plus(newCount, one));
      }
      return { SUM: ops.minus(acc.SUM, v as S), COUNT: newCount, M2: acc.M2 - m2 };
    },
    merge: (a, b) => {
      const newCount = count.plus(a.COUNT, b.COUNT);
      let m2 = a.M2 + b.M2;
      if (count.toNumber(a.COUNT) !== 0 && count.toNumber(b.COUNT) !== 0) {
        const inner = ops.meanDifference(a, b);
        m2 += (count.product(a.COUNT, b.COUNT) * inner * inner) / count.toNumber(newCount);
      }
      return { SUM: ops.plus(a.SUM, b.SUM), COUNT: newCount, M2: m2 };
    },
    result: (acc) => {
      const n = count.toNumber(acc.COUNT);
      return n < 2 ? 0 : count.map(acc.M2, n);
    },
  });
}

// ---------------------------------------------------------------------------------------------
// STDDEV_SAMP: COUNT INT

const INT_COUNT: CountOps<number> = {
  type: INTEGER,
  zero: 0,
  one: 1,
  plus: (a, b) => int32(a + b),
  minus: (a, b) => int32(a - b),
  toNumber: (c) => c,
  product: (a, b) => Math.imul(a, b),
  map: (m2, n) => m2 / (n - 1),
};

const SAMP_INT: SumOps<number, number> = {
  zero: 0,
  plus: (sum, v) => int32(v + sum),
  minus: (sum, v) => int32(sum - v),
  delta: (s, v) => int32(Math.imul(v, int32(s.COUNT + 1)) - int32(s.SUM + v)),
  // int / int: truncating division.
  meanDifference: (a, b) => int32(int32(a.SUM / a.COUNT) - int32(b.SUM / b.COUNT)),
};

const SAMP_LONG: SumOps<bigint, number> = {
  zero: 0n,
  plus: (sum, v) => int64(v + sum),
  minus: (sum, v) => int64(sum - v),
  delta: (s, v) => Number(int64(int64(v * BigInt(int32(s.COUNT + 1))) - int64(s.SUM + v))),
  meanDifference: (a, b) => Number(int64(a.SUM / BigInt(a.COUNT) - b.SUM / BigInt(b.COUNT))),
};

const SAMP_DOUBLE: SumOps<number, number> = {
  zero: 0,
  plus: (sum, v) => v + sum,
  minus: (sum, v) => sum - v,
  delta: (s, v) => v * int32(s.COUNT + 1) - (s.SUM + v),
  meanDifference: (a, b) => a.SUM / a.COUNT - b.SUM / b.COUNT,
};

// ---------------------------------------------------------------------------------------------
// STDDEV_SAMPLE: COUNT BIGINT

const LONG_COUNT: CountOps<bigint> = {
  type: BIGINT,
  zero: 0n,
  one: 1n,
  plus: (a, b) => int64(a + b),
  minus: (a, b) => int64(a - b),
  toNumber: Number,
  product: (a, b) => Number(int64(a * b)),
  map: (m2, n) => Math.sqrt(m2 / (n - 1)),
};

const SAMPLE_INT: SumOps<number, bigint> = {
  zero: 0,
  plus: (sum, v) => int32(v + sum),
  minus: (sum, v) => int32(sum - v),
  delta: (s, v) => Number(int64(int64(BigInt(v) * int64(s.COUNT + 1n)) - BigInt(int32(s.SUM + v)))),
  meanDifference: (a, b) => a.SUM / Number(a.COUNT) - b.SUM / Number(b.COUNT),
};

const SAMPLE_LONG: SumOps<bigint, bigint> = {
  zero: 0n,
  plus: (sum, v) => int64(v + sum),
  minus: (sum, v) => int64(sum - v),
  delta: (s, v) => Number(int64(int64(v * int64(s.COUNT + 1n)) - int64(s.SUM + v))),
  meanDifference: (a, b) => Number(a.SUM) / Number(a.COUNT) - Number(b.SUM) / Number(b.COUNT),
};

const SAMPLE_DOUBLE: SumOps<number, bigint> = {
  zero: 0,
  plus: (sum, v) => v + sum,
  minus: (sum, v) => sum - v,
  delta: (s, v) => v * Number(int64(s.COUNT + 1n)) - (s.SUM + v),
  meanDifference: (a, b) => a.SUM / Number(a.COUNT) - b.SUM / Number(b.COUNT),
};

function variants<C>(
  count: CountOps<C>,
  ops: { readonly INTEGER: SumOps<number, C>; readonly BIGINT: SumOps<bigint, C>; readonly DOUBLE: SumOps<number, C> },
): AggregateVariant[] {
  const variant = (param: 'BIGINT' | 'INTEGER' | 'DOUBLE', javaType: string): AggregateVariant => ({
    params: [param],
    paramNames: ['val'],
    returns: 'DOUBLE',
    description: `Compute sample standard deviation of column with type ${javaType}.`,
    create: ([t]) => youngsCramer<unknown, C>(t, count, ops[param] as SumOps<unknown, C>),
  });
  return [variant('BIGINT', 'Long'), variant('INTEGER', 'Integer'), variant('DOUBLE', 'Double')];
}

const DESCRIPTION = 'Returns the sample standard deviation of the column. Applicable only to numeric types.';

const STDDEV_SAMP = aggregate(
  'stddev_samp',
  DESCRIPTION,
  variants(INT_COUNT, { INTEGER: SAMP_INT, BIGINT: SAMP_LONG, DOUBLE: SAMP_DOUBLE }),
);

const STDDEV_SAMPLE = aggregate(
  'stddev_sample',
  DESCRIPTION,
  variants(LONG_COUNT, { INTEGER: SAMPLE_INT, BIGINT: SAMPLE_LONG, DOUBLE: SAMPLE_DOUBLE }),
);

export const FUNCTIONS: FunctionDefinition[] = [STDDEV_SAMP, STDDEV_SAMPLE];
