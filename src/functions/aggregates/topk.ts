/**
 * TOPK and TOPKDISTINCT: the k greatest values, greatest first (Java's natural order; a stable
 * sort, so among equal values the earlier arrival comes first). Nulls are skipped. k is the last
 * argument, a literal INTEGER.
 *
 * TOPK(col, other1, ..., k) also carries other columns of the same rows: the result is then an
 * ARRAY<STRUCT<sort_col T, col0 ..., col1 ...>> sorted by sort_col.
 */
import { array, field, struct, type SqlType, type Struct, type StructType } from '../../schema/index.js';
import { equalityKey, naturalOrder, type Comparator } from '../arrays.js';
import type { AggregateVariant, Aggregator, FunctionDefinition } from '../types.js';
import { aggregate, aggregator, literalInt } from './aggregate.js';

type List = readonly unknown[];

const SORT_FIELD = 'sort_col';

/** STRUCT<sort_col T, col0 U, ...> for TOPK(col, others..., k): argTypes holds k's type last. */
function topkStruct(argTypes: readonly SqlType[]): StructType {
  return struct(argTypes.slice(0, -1).map((t, i) => field(i === 0 ? SORT_FIELD : `col${i - 1}`, t))) as StructType;
}

interface TopkOptions {
  readonly k: number;
  /** The type of one entry of the list. */
  readonly entryType: SqlType;
  /** Orders entries by their sort value. */
  readonly order: Comparator;
  readonly distinct: boolean;
  /** The entry a row's column arguments make, or null when its sort value is null. */
  readonly entryOf: (args: readonly unknown[]) => unknown;
}

/** TopkKudaf / TopkDistinctKudaf. */
function topk({ k, entryType, order, distinct, entryOf }: TopkOptions): Aggregator {
  const key = equalityKey(entryType);
  return aggregator<List>({
    intermediateType: array(entryType),
    initial: () => [],
    add: (acc, args) => {
      const entry = entryOf(args);
      if (entry === null || k <= 0) return acc;
      const size = acc.length;
      if (size === k && order(entry, acc[size - 1]) <= 0) return acc;
      if (distinct && acc.some((x) => key(x) === key(entry))) return acc;
      const out = size === k ? [...acc.slice(0, -1), entry] : [...acc, entry];
      // Array.prototype.sort is stable, as List.sort is.
      return out.sort((a, b) => order(b, a));
    },
    merge: (a, b) => {
      const out: unknown[] = [];
      let i = 0;
      let j = 0;
      while (out.length < k && (i < a.length || j < b.length)) {
        const c = i >= a.length ? -1 : j >= b.length ? 1 : order(a[i], b[j]);
        if (c > 0 || (c === 0 && !distinct)) {
          out.push(a[i++]);
        } else if (c < 0) {
          out.push(b[j++]);
        } else {
          // TOPKDISTINCT: equal heads are one value.
          out.push(a[i++]);
          j++;
        }
      }
      return out;
    },
    result: (acc) => acc,
  });
}

function singleValue(distinct: boolean) {
  return ([type]: readonly SqlType[], literals: readonly unknown[]): Aggregator =>
    topk({
      k: literalInt(literals, 0, `${distinct ? 'TOPKDISTINCT' : 'TOPK'} k`),
      entryType: type,
      order: naturalOrder(type),
      distinct,
      entryOf: (args) => args[0] ?? null,
    });
}

/** TOPK(col, k) and TOPK(col, others..., k) for one sort type. */
function topkVariants(param: string): AggregateVariant[] {
  return [
    {
      params: [param, 'INTEGER'],
      paramNames: ['val', 'k'],
      literalParams: 1,
      returns: `ARRAY<${param}>`,
      description: `Calculates the top k values for a ${param} column, per key.`,
      create: singleValue(false),
    },
    {
      params: [param, 'ANY', 'INTEGER'],
      paramNames: ['val', 'other', 'k'],
      variadic: 1,
      literalParams: 1,
      returns: (argTypes) => array(topkStruct(argTypes)),
      description: `Returns the top k values for a ${param} column and other values in those records.`,
      create: (argTypes, literals) => {
        const entryType = topkStruct(argTypes);
        const names = entryType.fields.map((f) => f.name);
        const valueOrder = naturalOrder(argTypes[0]);
        return topk({
          k: literalInt(literals, 0, 'TOPK k'),
          entryType,
          order: (a, b) => valueOrder((a as Struct)[SORT_FIELD], (b as Struct)[SORT_FIELD]),
          distinct: false,
          entryOf: (args) => {
            if (args[0] === null) return null;
            const entry: Struct = {};
            names.forEach((n, i) => (entry[n] = args[i] ?? null));
            return entry;
          },
        });
      },
    },
  ];
}

const TOPK = aggregate(
  'TOPK',
  'Returns the top k values for a column and other values in those records.',
  ['INTEGER', 'BIGINT', 'DOUBLE', 'STRING'].flatMap(topkVariants),
);

const TOPKDISTINCT = aggregate(
  'TOPKDISTINCT',
  'Computes the top k distinct values for a column, per key.',
  ['INTEGER', 'BIGINT', 'DOUBLE', 'STRING', 'DECIMAL', 'DATE', 'TIME', 'TIMESTAMP', 'BYTES'].map(
    (param): AggregateVariant => ({
      params: [param, 'INTEGER'],
      paramNames: ['val', 'k'],
      literalParams: 1,
      returns: param === 'DECIMAL' ? (argTypes) => array(argTypes[0]) : `ARRAY<${param}>`,
      description: `Calculates the top k distinct values for a ${param} column, per key.`,
      create: singleValue(true),
    }),
  ),
);

export const FUNCTIONS: FunctionDefinition[] = [TOPK, TOPKDISTINCT];
