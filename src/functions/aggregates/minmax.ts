/**
 * MIN and MAX over Java's natural order of the value type (Double.compareTo puts NaN above
 * everything and -0.0 below 0.0; BYTES compare as signed bytes; STRING by UTF-16 code units).
 * Nulls are skipped; the result is null until a non-null value arrives. Not undoable: ksqlDB
 * refuses MIN and MAX over a table source.
 */
import type { SqlType } from '../../schema/index.js';
import { naturalOrder } from '../arrays.js';
import type { AggregateVariant, FunctionDefinition } from '../types.js';
import { aggregate, aggregator, firstType } from './aggregate.js';

const TYPES = ['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'DATE', 'TIME', 'TIMESTAMP', 'STRING', 'BYTES'];

function extremum(sign: 1 | -1, type: SqlType) {
  const order = naturalOrder(type);
  // BaseComparableKudaf: aggregate(current, acc) keeps acc only when strictly better.
  const pick = (acc: unknown, current: unknown): unknown => {
    if (current === null) return acc;
    if (acc === null) return current;
    return sign * order(acc, current) > 0 ? acc : current;
  };
  return aggregator<unknown>({
    intermediateType: type,
    initial: () => null,
    add: (acc, [v]) => pick(acc, v),
    // Kafka Streams' merger calls aggregate(a, b): a is the value, b the aggregate.
    merge: (a, b) => pick(b, a),
    result: (acc) => acc,
  });
}

function variants(sign: 1 | -1, what: string): AggregateVariant[] {
  return TYPES.map((param) => ({
    params: [param],
    paramNames: ['val'],
    returns: param === 'DECIMAL' ? firstType : param,
    description: `Computes the ${what} value for a key.`,
    create: ([t]) => extremum(sign, t),
  }));
}

const MAX = aggregate('MAX', 'Computes the maximum value for a key.', variants(1, 'maximum'));
const MIN = aggregate('MIN', 'Computes the minimum value for a key.', variants(-1, 'minimum'));

export const FUNCTIONS: FunctionDefinition[] = [MAX, MIN];
