/**
 * What every aggregate family shares: the definition builder, the int/long arithmetic Java does
 * on accumulators, and the reading of ksql.functions.* limits.
 *
 * The contract with the runtime (types.ts has the interfaces):
 *  - `create(argTypes, literals, config)`: argTypes are the types of every argument of the call,
 *    literal ones included; literals are the values of the variant's trailing `literalParams`
 *    arguments (TOPK's k, EARLIEST_BY_OFFSET's n and ignoreNulls), coerced to their parameter
 *    types, in call order.
 *  - `add(acc, args)` / `undo(acc, args)`: args are the values of the other (column) arguments of
 *    one row, in call order, nulls included, a variadic run flattened. COUNT(*) / COUNT() passes [].
 *  - Accumulators are values of the aggregator's `intermediateType` in the runtime representation
 *    of src/schema/types.ts, and are never mutated: add, undo and merge return new values, so a
 *    state store may keep the old one (the previous row of a table aggregation).
 *  - An exception thrown by add, undo or merge (SUM's DECIMAL overflow) fails the query in ksqlDB
 *    (a StreamsException); it is not a per-record error.
 *  - `undo` is present exactly when ksqlDB's function is a TableUdaf: the others cannot aggregate a
 *    table source ("The aggregation functions ... cannot be applied to a table source, only to a
 *    stream source.").
 */
import type { SqlType } from '../../schema/index.js';
import { FunctionError } from '../errors.js';
import type {
  AggregateFunctionDefinition,
  AggregateVariant,
  Aggregator,
  FunctionConfig,
} from '../types.js';

export function aggregate(
  name: string,
  description: string,
  variants: AggregateVariant[],
  options: { readonly implicitCasts?: boolean } = {},
): AggregateFunctionDefinition {
  return { kind: 'AGGREGATE', name, category: 'AGGREGATE', description, variants, ...options };
}

/** Typed shorthand: the runtime sees Aggregator<unknown>. */
export function aggregator<A>(a: Aggregator<A>): Aggregator {
  return a as Aggregator;
}

/** The argument type a variant's `returns` or `create` sees first. */
export const firstType = (argTypes: readonly SqlType[]): SqlType => argTypes[0];

/** Java int arithmetic. */
export const int32 = (n: number): number => n | 0;

/** Java long arithmetic. */
export const int64 = (n: bigint): bigint => BigInt.asIntN(64, n);

/**
 * A ksql.functions.*.limit setting as ksqlDB's Configurable UDAFs read it: Integer.parseInt of
 * the text; absent or negative means no limit.
 */
export function readLimit(config: FunctionConfig, property: string): number {
  const text = config.property(property);
  if (text === undefined) return Number.MAX_SAFE_INTEGER;
  if (!/^[+-]?\d+$/.test(text) || Number(text) > 2147483647 || Number(text) < -2147483648) {
    throw new FunctionError(`Invalid value for ${property}: '${text}' is not an int`);
  }
  const limit = Number(text);
  return limit < 0 ? Number.MAX_SAFE_INTEGER : limit;
}

/** A literal parameter, checked once when the aggregator is built. */
export function literalInt(literals: readonly unknown[], index: number, what: string): number {
  const value = literals[index];
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new FunctionError(`${what} must be a non-null INTEGER literal`);
  }
  return value;
}

export function literalBoolean(literals: readonly unknown[], index: number, what: string): boolean {
  const value = literals[index];
  if (typeof value !== 'boolean') throw new FunctionError(`${what} must be a non-null BOOLEAN literal`);
  return value;
}
