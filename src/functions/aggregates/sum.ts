/**
 * SUM and SUM_LIST, with Java's arithmetic: INT and BIGINT sums wrap on overflow, DOUBLE sums are
 * IEEE, and a DECIMAL sum keeps the argument's DECIMAL(p, s) and fails the query once its
 * absolute value reaches 10^(p - s) ("Numeric field overflow"), as ksqlDB's DecimalSumKudaf does.
 * Nulls are skipped; an empty group sums to zero.
 */
import { Decimal, type DecimalType, type SqlType } from '../../schema/index.js';
import { FunctionValueError } from '../errors.js';
import type { Aggregator, FunctionDefinition } from '../types.js';
import { aggregate, aggregator, firstType, int32, int64 } from './aggregate.js';

function numeric<A>(type: SqlType, zero: A, plus: (a: A, b: A) => A, minus: (a: A, b: A) => A): Aggregator {
  return aggregator<A>({
    intermediateType: type,
    initial: () => zero,
    add: (acc, [v]) => (v === null ? acc : plus(acc, v as A)),
    undo: (acc, [v]) => (v === null ? acc : minus(acc, v as A)),
    merge: plus,
    result: (acc) => acc,
  });
}

const intSum = (type: SqlType) => numeric<number>(type, 0, (a, b) => int32(a + b), (a, b) => int32(a - b));
const longSum = (type: SqlType) => numeric<bigint>(type, 0n, (a, b) => int64(a + b), (a, b) => int64(a - b));
const doubleSum = (type: SqlType) => numeric<number>(type, 0, (a, b) => a + b, (a, b) => a - b);

function decimalSum(type: DecimalType): Aggregator {
  const digits = type.precision - type.scale;
  const limit = new Decimal(1n, -digits);
  // BigDecimal.add(x, new MathContext(precision)).
  const plus = (a: Decimal, b: Decimal): Decimal => a.add(b).round(type.precision);
  return aggregator<Decimal>({
    intermediateType: type,
    initial: () => new Decimal(0n, type.scale),
    add: (acc, [v]) => {
      if (v === null) return acc;
      const sum = plus(acc, v as Decimal);
      if (sum.abs().compareTo(limit) >= 0) {
        throw new FunctionValueError(
          'SUM',
          `Numeric field overflow: A field with precision ${type.precision} and scale ${type.scale} must round to an ` +
            `absolute value less than 10^${digits}. Got ${sum.toPlainString()}`,
        );
      }
      return sum;
    },
    undo: (acc, [v]) => (v === null ? acc : acc.subtract(v as Decimal).round(type.precision)),
    merge: plus,
    result: (acc) => acc,
  });
}

const SUM = aggregate('SUM', 'Computes the sum for a key.', [
  { params: ['INTEGER'], paramNames: ['val'], returns: 'INTEGER', create: ([t]) => intSum(t) },
  { params: ['BIGINT'], paramNames: ['val'], returns: 'BIGINT', create: ([t]) => longSum(t) },
  { params: ['DOUBLE'], paramNames: ['val'], returns: 'DOUBLE', create: ([t]) => doubleSum(t) },
  { params: ['DECIMAL'], paramNames: ['val'], returns: firstType, create: ([t]) => decimalSum(t as DecimalType) },
]);

/** Sums each row's list (nulls in it skipped), then sums the rows. */
function listSum<A>(type: SqlType, zero: A, plus: (a: A, b: A) => A, minus: (a: A, b: A) => A): Aggregator {
  const sumList = (list: readonly unknown[]): A => {
    let sum = zero;
    for (const v of list) if (v !== null) sum = plus(sum, v as A);
    return sum;
  };
  return aggregator<A>({
    intermediateType: type,
    initial: () => zero,
    add: (acc, [list]) => (list === null ? acc : plus(acc, sumList(list as unknown[]))),
    undo: (acc, [list]) => (list === null ? acc : minus(acc, sumList(list as unknown[]))),
    merge: plus,
    result: (acc) => acc,
  });
}

const itemOf = (t: SqlType): SqlType => (t.kind === 'ARRAY' ? t.item : t);

const SUM_LIST = aggregate('sum_list', 'Returns the sum of elements contained in the list.', [
  {
    params: ['ARRAY<DOUBLE>'],
    returns: 'DOUBLE',
    description: 'sum double values in a list into a single double',
    create: ([t]) => listSum<number>(itemOf(t), 0, (a, b) => a + b, (a, b) => a - b),
  },
  {
    params: ['ARRAY<INTEGER>'],
    returns: 'INTEGER',
    description: 'sum int values in a list into a single int',
    create: ([t]) => listSum<number>(itemOf(t), 0, (a, b) => int32(a + b), (a, b) => int32(a - b)),
  },
  {
    params: ['ARRAY<BIGINT>'],
    returns: 'BIGINT',
    description: 'sum long values in a list into a single long',
    create: ([t]) => listSum<bigint>(itemOf(t), 0n, (a, b) => int64(a + b), (a, b) => int64(a - b)),
  },
]);

export const FUNCTIONS: FunctionDefinition[] = [SUM, SUM_LIST];
