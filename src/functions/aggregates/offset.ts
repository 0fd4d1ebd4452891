/**
 * EARLIEST_BY_OFFSET and LATEST_BY_OFFSET, with the optional literal n (the earliest / latest n
 * values, as an ARRAY) and ignoreNulls (default true) of ksqlDB 0.29.
 *
 * "By offset" is by the order of add() calls: the runtime must add a partition's rows in offset
 * order, which it does by consuming in order. Each value is stamped with a sequence number when it
 * is added (the SEQ of the STRUCT<SEQ BIGINT, VAL T> accumulator entries), so that merging two
 * session windows can tell which value came first. As in ksqlDB the sequence is process-wide, one
 * per function; it starts from the clock (microseconds) rather than zero so that values restored
 * from a changelog written by an earlier process still sort before new ones.
 *
 * Neither function can undo: ksqlDB refuses them over a table source.
 */
import { array, BIGINT, field, struct, type SqlType } from '../../schema/index.js';
import { FunctionError } from '../errors.js';
import type { AggregateVariant, Aggregator, FunctionDefinition } from '../types.js';
import { aggregate, aggregator, int64, literalBoolean, literalInt } from './aggregate.js';

interface Entry {
  readonly SEQ: bigint;
  readonly VAL: unknown;
}

type Comparator = (a: Entry, b: Entry) => number;

function sequence(): () => bigint {
  let next = BigInt(Date.now()) * 1000n;
  return () => {
    const seq = next;
    next = int64(next + 1n);
    return seq;
  };
}

/** KudafByOffsetUtils.INTERMEDIATE_STRUCT_COMPARATOR: a negative SEQ is one that wrapped, so later. */
const bySequence: Comparator = (a, b) => {
  if (a.SEQ < 0n && b.SEQ >= 0n) return 1;
  if (b.SEQ < 0n && a.SEQ >= 0n) return -1;
  return a.SEQ < b.SEQ ? -1 : a.SEQ > b.SEQ ? 1 : 0;
};

/** INTERMEDIATE_STRUCT_COMPARATOR_IGNORE_NULLS: an entry holding null sorts first. */
const bySequenceIgnoringNulls: Comparator = (a, b) => {
  if (a.VAL === null && b.VAL === null) return 0;
  if (a.VAL === null) return -1;
  if (b.VAL === null) return 1;
  return bySequence(a, b);
};

const entryType = (type: SqlType): SqlType => struct([field('SEQ', BIGINT), field('VAL', type)]);

type Kind = 'EARLIEST' | 'LATEST';

interface Options {
  readonly kind: Kind;
  readonly type: SqlType;
  readonly ignoreNulls: boolean;
  readonly next: () => bigint;
}

function single({ kind, type, ignoreNulls, next }: Options): Aggregator {
  const stamp = (v: unknown): Entry => ({ SEQ: next(), VAL: v });
  if (kind === 'EARLIEST') {
    return aggregator<Entry | null>({
      intermediateType: entryType(type),
      initial: () => null,
      add: (acc, [v]) => (acc !== null || (v === null && ignoreNulls) ? acc : stamp(v)),
      merge: (a, b) => (a === null ? b : b === null ? a : bySequence(a, b) < 0 ? a : b),
      result: (acc) => (acc === null ? null : acc.VAL),
    });
  }
  const order = ignoreNulls ? bySequenceIgnoringNulls : bySequence;
  return aggregator<Entry>({
    intermediateType: entryType(type),
    initial: () => stamp(null),
    add: (acc, [v]) => (v === null && ignoreNulls ? acc : stamp(v)),
    merge: (a, b) => (order(a, b) >= 0 ? a : b),
    result: (acc) => acc.VAL,
  });
}

function several({ kind, type, ignoreNulls, next }: Options, n: number): Aggregator {
  if (n <= 0) throw new FunctionError(`${kind.toLowerCase()}N must be 1 or greater`);
  return aggregator<readonly Entry[]>({
    intermediateType: array(entryType(type)),
    initial: () => [],
    add: (acc, [v]) => {
      if (v === null && ignoreNulls) return acc;
      if (kind === 'EARLIEST') return acc.length < n ? [...acc, { SEQ: next(), VAL: v }] : acc;
      const out = [...acc, { SEQ: next(), VAL: v }];
      return out.length > n ? out.slice(out.length - n) : out;
    },
    // Both keep the n entries with the lowest SEQ, LATEST too: ksqlDB's LatestByOffset merges so.
    merge: (a, b) => [...a, ...b].sort(bySequence).slice(0, n),
    result: (acc) => acc.map((e) => e.VAL),
  });
}

function byOffset(kind: Kind, description: string) {
  const next = sequence();
  const what = kind.toLowerCase();
  const variants: AggregateVariant[] = [
    {
      params: ['T'],
      paramNames: ['val'],
      returns: 'T',
      description: `return the ${what} value of a column`,
      create: ([type]) => single({ kind, type, ignoreNulls: true, next }),
    },
    {
      params: ['T', 'BOOLEAN'],
      paramNames: ['val', 'ignoreNulls'],
      literalParams: 1,
      returns: 'T',
      description: `return the ${what} value of a column`,
      create: ([type], literals) => single({ kind, type, ignoreNulls: literalBoolean(literals, 0, 'ignoreNulls'), next }),
    },
    {
      params: ['T', 'INTEGER'],
      paramNames: ['val', `${what}N`],
      literalParams: 1,
      returns: 'ARRAY<T>',
      description: `return the ${what} N values of a column`,
      create: ([type], literals) => several({ kind, type, ignoreNulls: true, next }, literalInt(literals, 0, `${what}N`)),
    },
    {
      params: ['T', 'INTEGER', 'BOOLEAN'],
      paramNames: ['val', `${what}N`, 'ignoreNulls'],
      literalParams: 2,
      returns: 'ARRAY<T>',
      description: `return the ${what} N values of a column`,
      create: ([type], literals) =>
        several(
          { kind, type, ignoreNulls: literalBoolean(literals, 1, 'ignoreNulls'), next },
          literalInt(literals, 0, `${what}N`),
        ),
    },
  ];
  return aggregate(`${kind}_BY_OFFSET`, description, variants);
}

const EARLIEST_BY_OFFSET = byOffset('EARLIEST', 'This function returns the oldest N values for the column, computed by offset.');
// ksqlDB's description of LATEST_BY_OFFSET says "oldest" too.
const LATEST_BY_OFFSET = byOffset('LATEST', 'This function returns the oldest N values for the column, computed by offset.');

export const FUNCTIONS: FunctionDefinition[] = [EARLIEST_BY_OFFSET, LATEST_BY_OFFSET];
