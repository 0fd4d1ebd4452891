/**
 * The join operators, fed rows directly. Most cases are ksqlDB's own QTT vectors
 * (../shared/qtt: joins.json, fk-join.json, fk-n-way-join.json, multi-joins.json),
 * written here as full joined rows: [left columns..., right columns...].
 */
import type { DataSource, WindowInfo } from '../../src/planner/metastore.js';
import type { ColumnOrigin, JoinStep, JoinType, SourceStep, Step } from '../../src/planner/plan.js';
import type { TypedExpr } from '../../src/planner/typed.js';
import { buildJoin } from '../../src/runtime/join.js';
import type { ProcessingLogger } from '../../src/runtime/processing-log.js';
import type { Row, RowSink } from '../../src/runtime/row.js';
import { decodeChange, encodeChange, LoggedState, type StoreChange } from '../../src/runtime/state.js';
import { INTEGER, STRING, type SqlType } from '../../src/schema/index.js';

// ------------------------------------------------------------------ plans

type Col = [name: string, type?: SqlType, origin?: ColumnOrigin];

function source(alias: string, kind: 'STREAM' | 'TABLE', cols: Col[], window?: WindowInfo): SourceStep {
  const ds = {
    name: alias,
    kind,
    topic: alias.toLowerCase(),
    keyFormat: { format: 'KAFKA', properties: {} },
    valueFormat: { format: 'JSON', properties: {} },
    keyFeatures: [],
    valueFeatures: [],
    ...(window ? { window } : {}),
    isSource: false,
    sql: '',
  } as unknown as DataSource;
  const columns = cols.map(([name, type, origin], i) => ({ name, qualifier: alias, type: type ?? (i === 0 ? INTEGER : STRING), origin: origin ?? (i === 0 ? 'KEY' : 'VALUE') }));
  return { type: 'source', source: ds, alias, layout: { columns } };
}

function column(step: Step, index: number): TypedExpr {
  const c = step.layout.columns[index];
  if (!c) throw new Error(`no column ${index}`);
  return { kind: 'column', type: c.type, index, text: `${c.qualifier ?? ''}.${c.name}` };
}

function join(
  kind: JoinStep['kind'],
  joinType: JoinType,
  left: Step,
  right: Step,
  on: [left: number, right: number],
  extra: Partial<Pick<JoinStep, 'within' | 'leftPrimaryKey' | 'rightPrimaryKey'>> = {},
): JoinStep {
  return {
    type: 'join',
    kind,
    joinType,
    left,
    right,
    leftKey: column(left, on[0]),
    rightKey: column(right, on[1]),
    leftPrimaryKey: extra.leftPrimaryKey ?? [0],
    rightPrimaryKey: extra.rightPrimaryKey ?? [0],
    ...(extra.within ? { within: extra.within } : {}),
    layout: { columns: [...left.layout.columns, ...right.layout.columns] },
  };
}

const seconds = (n: number) => n * 1000;
const within = (beforeMs: number, afterMs = beforeMs, graceMs?: number): JoinStep['within'] => ({ beforeMs, afterMs, ...(graceMs === undefined ? {} : { graceMs }) });

// ------------------------------------------------------------------ running

interface Input {
  readonly side: 'L' | 'R';
  readonly values: unknown[];
  readonly ts: number;
  readonly deleted?: boolean;
  readonly window?: { start: number; end: number };
}

/** A record of the left / right input: its columns, key first. */
const L = (ts: number, key: unknown, ...rest: unknown[]): Input => ({ side: 'L', ts, values: [key, ...rest] });
const R = (ts: number, key: unknown, ...rest: unknown[]): Input => ({ side: 'R', ts, values: [key, ...rest] });
/** A record without a value: a table tombstone (key columns set, the rest null), or a stream record without value. */
const Ldel = (ts: number, ...key: unknown[]): Input => ({ side: 'L', ts, values: key, deleted: true });
const Rdel = (ts: number, ...key: unknown[]): Input => ({ side: 'R', ts, values: key, deleted: true });
const windowed = (i: Input, start: number, end: number): Input => ({ ...i, window: { start, end } });

interface Run {
  readonly out: Row[];
  readonly logs: string[];
  readonly state: LoggedState;
  feed(...inputs: Input[]): void;
}

function run(step: JoinStep, state = new LoggedState()): Run {
  const out: Row[] = [];
  const logs: string[] = [];
  const log: ProcessingLogger = { deserializationError: (m) => logs.push(m), error: (m) => logs.push(m) };
  const sinks = buildJoin(step, (row) => out.push(row), { log, state });
  return {
    out,
    logs,
    state,
    feed(...inputs) {
      for (const i of inputs) {
        const width = (i.side === 'L' ? step.left : step.right).layout.columns.length;
        const values = i.deleted ? [...i.values, ...new Array(width - i.values.length).fill(null)] : i.values;
        (i.side === 'L' ? sinks.left : sinks.right)({ values, timestamp: i.ts, deleted: i.deleted ?? false, ...(i.window ? { window: i.window } : {}) });
      }
    },
  };
}

/** Output rows as `ts [values]`, tombstones as `ts DELETE key` with the key the projection would compute. */
function show(rows: readonly Row[], key: (values: unknown[]) => unknown = (v) => v[0]): string[] {
  return rows.map((r) => `${r.timestamp} ${r.deleted ? `DELETE ${JSON.stringify(key(r.values))}` : JSON.stringify(r.values)}${r.window ? ` w[${r.window.start},${r.window.end}]` : ''}`);
}
const o = (ts: number, ...values: unknown[]) => `${ts} ${JSON.stringify(values)}`;
const del = (ts: number, key: unknown) => `${ts} DELETE ${JSON.stringify(key)}`;
const N3 = [null, null, null];
const N2 = [null, null];

// ------------------------------------------------------------------ stream-stream

describe('stream-stream joins', () => {
  const testSource = source('T', 'STREAM', [['ID'], ['NAME'], ['VALUE', INTEGER]]);
  const testStream = source('TT', 'STREAM', [['ID'], ['F1'], ['F2', INTEGER]]);
  // joins.json: the inputs shared by the WITHIN 11 SECONDS cases.
  const inputs = [
    L(0, 0, 'zero', 0),
    R(10000, 0, 'blah', 50),
    L(11000, 10, '100', 5),
    L(13000, 0, 'foo', 100),
    R(15000, 0, 'a', 10),
    R(16000, 100, 'newblah', 150),
    L(17000, 90, 'ninety', 90),
    L(30000, 0, 'bar', 99),
  ];

  test('LEFT without GRACE PERIOD emits a non-matching record at once, and its later matches (stream stream left join)', () => {
    const r = run(join('STREAM_STREAM', 'LEFT', testSource, testStream, [0, 0], { within: within(seconds(11)) }));
    r.feed(...inputs);
    expect(show(r.out)).toEqual([
      o(0, 0, 'zero', 0, ...N3),
      o(10000, 0, 'zero', 0, 0, 'blah', 50),
      o(11000, 10, '100', 5, ...N3),
      o(13000, 0, 'foo', 100, 0, 'blah', 50),
      o(15000, 0, 'foo', 100, 0, 'a', 10),
      o(17000, 90, 'ninety', 90, ...N3),
      o(30000, 0, 'bar', 99, ...N3),
    ]);
  });

  test('RIGHT pads the left side (stream stream right join)', () => {
    const r = run(join('STREAM_STREAM', 'RIGHT', testSource, testStream, [0, 0], { within: within(seconds(11)) }));
    r.feed(...inputs);
    expect(show(r.out)).toEqual([
      o(10000, 0, 'zero', 0, 0, 'blah', 50),
      o(13000, 0, 'foo', 100, 0, 'blah', 50),
      o(15000, 0, 'foo', 100, 0, 'a', 10),
      o(16000, ...N3, 100, 'newblah', 150),
    ]);
  });

  test('FULL OUTER pads either side (stream stream outer join)', () => {
    const r = run(join('STREAM_STREAM', 'FULL', testSource, testStream, [0, 0], { within: within(seconds(11)) }));
    r.feed(
      L(0, 0, 'zero', 0),
      R(10000, 0, 'blah', 50),
      L(11000, 10, '100', 5),
      L(13000, 0, 'foo', 100),
      R(15000, 0, 'a', 10),
      L(30000, 0, 'bar', 99),
      L(17000, 90, 'ninety', 90),
      R(20000, 100, 'newblah', 150),
    );
    expect(show(r.out)).toEqual([
      o(0, 0, 'zero', 0, ...N3),
      o(10000, 0, 'zero', 0, 0, 'blah', 50),
      o(11000, 10, '100', 5, ...N3),
      o(13000, 0, 'foo', 100, 0, 'blah', 50),
      o(15000, 0, 'foo', 100, 0, 'a', 10),
      o(30000, 0, 'bar', 99, ...N3),
      o(17000, 90, 'ninety', 90, ...N3),
      o(20000, ...N3, 100, 'newblah', 150),
    ]);
  });

  test('INNER joins late records with everything still in the window, at the later timestamp (inner join with out of order messages)', () => {
    const r = run(join('STREAM_STREAM', 'INNER', testSource, testStream, [0, 0], { within: within(seconds(10)) }));
    r.feed(
      L(0, 0, 'zero', 0),
      R(9999, 0, 'blah', 50),
      L(11000, 10, '100', 5),
      L(13000, 0, 'foo', 100),
      R(15000, 0, 'a', 10),
      R(16000, 100, 'newblah', 150),
      L(17000, 90, 'ninety', 90),
      L(30000, 0, 'bar', 99),
      L(6000, 0, 'late-message', 10000),
    );
    expect(show(r.out)).toEqual([
      o(9999, 0, 'zero', 0, 0, 'blah', 50),
      o(13000, 0, 'foo', 100, 0, 'blah', 50),
      o(15000, 0, 'foo', 100, 0, 'a', 10),
      o(9999, 0, 'late-message', 10000, 0, 'blah', 50),
      o(15000, 0, 'late-message', 10000, 0, 'a', 10),
    ]);
  });

  const leftStream = source('T', 'STREAM', [['ID'], ['L1']]);
  const rightStream = source('TT', 'STREAM', [['ID'], ['L2']]);
  const minute = seconds(60);

  test('LEFT with GRACE PERIOD: a record whose window is over is padded at once; a store forgets what is older than its retention (left join with out of order and custom grace period)', () => {
    const r = run(join('STREAM_STREAM', 'LEFT', leftStream, rightStream, [0, 0], { within: within(minute, minute, minute) }));
    r.feed(L(0, 0, 'A'), R(60000, 0, 'a'), L(330000, 1, 'B'), L(90000, 2, 'C'), R(90000, 2, 'c'), L(60000, 3, 'D'), R(60000, 3, 'd'));
    expect(show(r.out)).toEqual([o(60000, 0, 'A', 0, 'a'), o(90000, 2, 'C', ...N2), o(60000, 3, 'D', ...N2)]);
    // C and D are older than the left store's retention (3 minutes before 330000): not kept, so c and d find nothing.
    expect(r.logs.filter((m) => m.includes('expired join window'))).toHaveLength(2);
  });

  test('RIGHT with GRACE PERIOD: each window store keeps time by its own records (right join with out of order and custom grace period)', () => {
    const r = run(join('STREAM_STREAM', 'RIGHT', leftStream, rightStream, [0, 0], { within: within(minute, minute, minute) }));
    r.feed(L(0, 0, 'A'), R(60000, 0, 'a'), L(330000, 1, 'B'), L(90000, 2, 'C'), R(90000, 2, 'c'), R(60000, 3, 'd'), L(90000, 3, 'D'));
    // d (60000) is still in the right store, whose latest record is at 90000, so the late D joins it.
    expect(show(r.out)).toEqual([o(60000, 0, 'A', 0, 'a'), o(90000, ...N2, 2, 'c'), o(60000, ...N2, 3, 'd'), o(90000, 3, 'D', 3, 'd')]);
  });

  test('with GRACE PERIOD a non-matching record waits until stream time passes its window end plus the grace, and goes out at its own timestamp', () => {
    const r = run(join('STREAM_STREAM', 'LEFT', leftStream, rightStream, [0, 0], { within: within(seconds(10), seconds(10), seconds(5)) }));
    r.feed(L(0, 1, 'a'), L(10, 2, 'b'));
    expect(r.out).toEqual([]);
    r.feed(R(12, 2, 'x')); // b matched: it will never be padded
    expect(show(r.out)).toEqual([o(12, 2, 'b', 2, 'x')]);
    r.feed(L(15000, 3, 'c')); // 0 + 10 s + 5 s = 15000 is not past stream time 15000
    expect(show(r.out)).toHaveLength(1);
    r.feed(L(15001, 4, 'd')); // now it is: a is emitted before d is processed
    expect(show(r.out).slice(1)).toEqual([o(0, 1, 'a', ...N2)]);
    r.feed(R(14000, 3, 'y')); // out of order: joins c, emits nothing waiting
    expect(show(r.out).slice(2)).toEqual([o(15000, 3, 'c', 3, 'y')]);
    r.feed(R(40002, 9, 'z')); // a record of either side triggers the emission of closed windows
    expect(show(r.out).slice(3)).toEqual([o(15001, 4, 'd', ...N2)]);
  });

  test('with GRACE PERIOD closed records go out oldest first, the right side before the left at one timestamp', () => {
    const r = run(join('STREAM_STREAM', 'FULL', leftStream, rightStream, [0, 0], { within: within(100, 100, 0) }));
    r.feed(L(100, 1, 'a'), R(100, 2, 'b'), L(50, 4, 'old'), R(300, 3, 'c'));
    expect(show(r.out)).toEqual([o(50, 4, 'old', ...N2), o(100, ...N2, 2, 'b'), o(100, 1, 'a', ...N2)]);
  });

  test('WITHIN (before, after) bounds are inclusive, seen from either side', () => {
    const step = join('STREAM_STREAM', 'INNER', leftStream, rightStream, [0, 0], { within: within(100, 200) });
    const a = run(step);
    a.feed(L(1000, 1, 'l'), R(899, 1, 'too early'), R(900, 1, 'first'), R(1200, 1, 'last'), R(1201, 1, 'too late'));
    expect(show(a.out)).toEqual([o(1000, 1, 'l', 1, 'first'), o(1200, 1, 'l', 1, 'last')]);
    const b = run(step);
    b.feed(R(899, 1, 'too early'), R(900, 1, 'first'), R(1200, 1, 'last'), R(1201, 1, 'too late'), L(1000, 1, 'l'));
    expect(show(b.out)).toEqual([o(1000, 1, 'l', 1, 'first'), o(1200, 1, 'l', 1, 'last')]);
  });

  test('a RIGHT join mirrors WITHIN (before, after), as ksqlDB runs it as right LEFT JOIN left with the same window', () => {
    const r = run(join('STREAM_STREAM', 'RIGHT', leftStream, rightStream, [0, 0], { within: within(100, 200) }));
    r.feed(L(1000, 1, 'l'), R(799, 1, 'too early'), R(800, 1, 'first'), R(1100, 1, 'last'), R(1101, 1, 'unmatched'));
    // Right records match left ones in [right.ts - 100, right.ts + 200]: the left at 1000 takes rights in [800, 1100].
    expect(show(r.out)).toEqual([o(799, ...N2, 1, 'too early'), o(1000, 1, 'l', 1, 'first'), o(1100, 1, 'l', 1, 'last'), o(1101, ...N2, 1, 'unmatched')]);
  });

  test('records without a value or without a join key are skipped (stream to stream unwrapped single field value schema)', () => {
    const r = run(join('STREAM_STREAM', 'LEFT', leftStream, rightStream, [0, 0], { within: within(seconds(1)) }));
    r.feed(L(0, 0, 'a'), R(10, 0, 'b'), Ldel(20, 0), Rdel(30, 0), L(40, null, 'no key'));
    expect(show(r.out)).toEqual([o(0, 0, 'a', ...N2), o(10, 0, 'a', 0, 'b')]);
  });

  test('time-windowed sources join on key and window start (matching time-windowed)', () => {
    const s1 = source('S1', 'STREAM', [['ID'], ['V', INTEGER]], { type: 'HOPPING', sizeMs: 5000 });
    const s2 = source('S2', 'STREAM', [['ID'], ['V', INTEGER]], { type: 'TUMBLING', sizeMs: 2000 });
    const r = run(join('STREAM_STREAM', 'INNER', s1, s2, [0, 0], { within: within(minute) }));
    r.feed(
      windowed(L(0, 1, 1), 0, 5000),
      windowed(L(1000, 1, 2), 1000, 6000),
      windowed(L(2000, 1, 3), 2000, 7000),
      windowed(R(0, 1, 4), 0, 2000),
      windowed(R(2000, 1, 5), 2000, 4000),
    );
    expect(show(r.out)).toEqual([`${o(0, 1, 1, 1, 4)} w[0,5000]`, `${o(2000, 1, 3, 1, 5)} w[2000,7000]`]);
  });

  test('session-windowed sources join on key, window start and end (matching session-windowed)', () => {
    const s1 = source('S1', 'STREAM', [['ID'], ['V', INTEGER]], { type: 'SESSION' });
    const s2 = source('S2', 'STREAM', [['ID'], ['V', INTEGER]], { type: 'SESSION' });
    const r = run(join('STREAM_STREAM', 'INNER', s1, s2, [0, 0], { within: within(minute) }));
    r.feed(windowed(L(765, 1, 1), 234, 765), windowed(R(567, 1, 2), 234, 567), windowed(R(765, 1, 3), 234, 765));
    expect(show(r.out)).toEqual([`${o(765, 1, 1, 1, 3)} w[234,765]`]);
  });

  test('a join on a value expression matches equal values of INT and BIGINT', () => {
    const l = source('L', 'STREAM', [['ID', STRING], ['X', INTEGER]]);
    const rr = source('R', 'STREAM', [['ID', STRING], ['X', INTEGER]]);
    const r = run(join('STREAM_STREAM', 'INNER', l, rr, [1, 1], { within: within(seconds(11)) }));
    r.feed(L(0, 'a', 10), R(10000, 'b', 10n));
    expect(r.out.map((x) => x.timestamp)).toEqual([10000]);
    expect(r.out[0]?.values).toEqual(['a', 10, 'b', 10n]);
  });
});

// ------------------------------------------------------------------ stream-table

describe('stream-table joins', () => {
  const stream = source('T', 'STREAM', [['ID'], ['NAME'], ['VALUE', INTEGER]]);
  const table = source('TT', 'TABLE', [['ID'], ['F1'], ['F2', INTEGER]]);

  test('LEFT: every stream row, with the table row current at the time (stream table left join)', () => {
    const r = run(join('STREAM_TABLE', 'LEFT', stream, table, [0, 0]));
    r.feed(
      R(0, 0, 'zero', 0),
      R(10000, 10, '100', 5),
      L(10000, 0, 'blah', 50),
      L(10000, 0, 'foo', 100),
      R(15000, 0, 'a', 10),
      L(15000, 0, 'bar', 99),
      L(15000, 90, 'ninety', 90),
    );
    expect(show(r.out)).toEqual([
      o(10000, 0, 'blah', 50, 0, 'zero', 0),
      o(10000, 0, 'foo', 100, 0, 'zero', 0),
      o(15000, 0, 'bar', 99, 0, 'a', 10),
      o(15000, 90, 'ninety', 90, ...N3),
    ]);
  });

  test('INNER: only matches, at the stream row\'s timestamp; table tombstones delete (stream to table wrapped single field value schema)', () => {
    const s = source('S', 'STREAM', [['ID'], ['NAME']]);
    const t = source('T', 'TABLE', [['ID'], ['NAME']]);
    const r = run(join('STREAM_TABLE', 'INNER', s, t, [0, 0]));
    // NAME null is a value whose column is null; Rdel is the table's tombstone.
    r.feed(R(0, 0, 'b'), L(10, 0, 'a'), L(20, 0, null), R(30, 0, null), L(40, 0, null), Rdel(50, 0), L(60, 0, 'a'));
    expect(show(r.out)).toEqual([o(10, 0, 'a', 0, 'b'), o(20, 0, null, 0, 'b'), o(40, 0, null, 0, null)]);
  });

  test('stream rows without a join key are skipped, even by LEFT', () => {
    const r = run(join('STREAM_TABLE', 'LEFT', stream, table, [0, 0]));
    r.feed(L(1, null, 'x', 1));
    expect(r.out).toEqual([]);
  });
});

// ------------------------------------------------------------------ table-table

describe('table-table joins', () => {
  const t = source('T', 'TABLE', [['ID'], ['NAME'], ['VALUE', INTEGER]]);
  const tt = source('TT', 'TABLE', [['ID'], ['F1'], ['F2', INTEGER]]);
  const base = [L(0, 0, 'zero', 0), R(10000, 0, 'blah', 50), L(11000, 10, '100', 5), L(13000, 0, 'foo', 100), R(15000, 0, 'a', 10)];

  test('LEFT (table table left join)', () => {
    const r = run(join('TABLE_TABLE', 'LEFT', t, tt, [0, 0]));
    r.feed(...base, L(16000, 0, 'bar', 99), L(17000, 90, 'ninety', 90));
    expect(show(r.out)).toEqual([
      o(0, 0, 'zero', 0, ...N3),
      o(10000, 0, 'zero', 0, 0, 'blah', 50),
      o(11000, 10, '100', 5, ...N3),
      o(13000, 0, 'foo', 100, 0, 'blah', 50),
      o(15000, 0, 'foo', 100, 0, 'a', 10),
      o(16000, 0, 'bar', 99, 0, 'a', 10),
      o(17000, 90, 'ninety', 90, ...N3),
    ]);
  });

  test('RIGHT (table table right join)', () => {
    const r = run(join('TABLE_TABLE', 'RIGHT', t, tt, [0, 0]));
    r.feed(...base, L(16000, 0, 'bar', 99), L(17000, 90, 'ninety', 90), R(18000, 7, 'b', 20));
    expect(show(r.out)).toEqual([
      o(10000, 0, 'zero', 0, 0, 'blah', 50),
      o(13000, 0, 'foo', 100, 0, 'blah', 50),
      o(15000, 0, 'foo', 100, 0, 'a', 10),
      o(16000, 0, 'bar', 99, 0, 'a', 10),
      o(18000, ...N3, 7, 'b', 20),
    ]);
  });

  test('INNER (table table inner join)', () => {
    const r = run(join('TABLE_TABLE', 'INNER', t, tt, [0, 0]));
    r.feed(...base, R(15500, 15, 'c', 20), L(16000, 0, 'bar', 99), L(17000, 90, 'ninety', 90));
    expect(show(r.out)).toEqual([
      o(10000, 0, 'zero', 0, 0, 'blah', 50),
      o(13000, 0, 'foo', 100, 0, 'blah', 50),
      o(15000, 0, 'foo', 100, 0, 'a', 10),
      o(16000, 0, 'bar', 99, 0, 'a', 10),
    ]);
  });

  test('FULL OUTER (table table outer join)', () => {
    const r = run(join('TABLE_TABLE', 'FULL', t, tt, [0, 0]));
    r.feed(...base, R(15500, 15, 'c', 20), L(16000, 0, 'bar', 99));
    expect(show(r.out)).toEqual([
      o(0, 0, 'zero', 0, ...N3),
      o(10000, 0, 'zero', 0, 0, 'blah', 50),
      o(11000, 10, '100', 5, ...N3),
      o(13000, 0, 'foo', 100, 0, 'blah', 50),
      o(15000, 0, 'foo', 100, 0, 'a', 10),
      o(15500, ...N3, 15, 'c', 20),
      o(16000, 0, 'bar', 99, 0, 'a', 10),
    ]);
  });

  const t1 = source('T1', 'TABLE', [['ID'], ['NAME']]);
  const t2 = source('T2', 'TABLE', [['ID'], ['NAME']]);

  test('INNER: a delete emits a tombstone while the other side has a row, nothing otherwise (table to table wrapped single field value schema)', () => {
    const r = run(join('TABLE_TABLE', 'INNER', t1, t2, [0, 0]));
    r.feed(L(0, 0, 'a'), R(10, 0, 'b'), L(20, 0, null), R(30, 0, null), L(40, 0, null), Ldel(50, 0), Rdel(60, 0));
    expect(show(r.out)).toEqual([o(10, 0, 'a', 0, 'b'), o(20, 0, null, 0, 'b'), o(30, 0, null, 0, null), o(40, 0, null, 0, null), del(50, 0)]);
  });

  test('INNER: deletes where the other side has no row emit nothing (table to table unwrapped single field value schema)', () => {
    const r = run(join('TABLE_TABLE', 'INNER', t1, t2, [0, 0]));
    r.feed(L(0, 0, 'a'), R(10, 0, 'b'), Ldel(20, 0), Rdel(30, 0), Ldel(40, 0));
    expect(show(r.out)).toEqual([o(10, 0, 'a', 0, 'b'), del(20, 0)]);
  });

  test('LEFT: a right delete pads, a left delete emits a tombstone, a right row without a left one emits nothing (table-table - SR-enabled key format - with nulls)', () => {
    const r = run(join('TABLE_TABLE', 'LEFT', t1, t2, [0, 0]));
    r.feed(L(1, 0, 'zero'), R(2, 0, 'blah'), Rdel(3, 0), Ldel(4, 0), R(5, 0, 'foo'), L(6, 0, 'goo'));
    expect(show(r.out)).toEqual([o(1, 0, 'zero', ...N2), o(2, 0, 'zero', 0, 'blah'), o(3, 0, 'zero', ...N2), del(4, 0), o(6, 0, 'goo', 0, 'foo')]);
  });

  test('FULL: tombstones once neither side has a row, keyed by the side that was deleted; deletes of unknown keys emit nothing', () => {
    const r = run(join('TABLE_TABLE', 'FULL', t1, t2, [0, 0]));
    r.feed(L(1, 1, 'a'), Ldel(2, 1), Ldel(3, 2), R(4, 1, 'b'), Rdel(5, 1));
    expect(show(r.out, (v) => v[0] ?? v[2])).toEqual([o(1, 1, 'a', ...N2), del(2, 1), o(4, ...N2, 1, 'b'), del(5, 1)]);
    // The tombstone carries the deleted side's key column for the projection.
    expect(r.out[3]?.values).toEqual([null, null, 1, null]);
  });

  test('the result timestamp is the later of the change and the other side\'s row', () => {
    const r = run(join('TABLE_TABLE', 'INNER', t1, t2, [0, 0]));
    r.feed(L(100, 1, 'a'), R(50, 1, 'b'), R(60, 1, 'c'), Ldel(70, 1));
    expect(show(r.out)).toEqual([o(100, 1, 'a', 1, 'b'), o(100, 1, 'a', 1, 'c'), del(70, 1)]);
  });
});

// ------------------------------------------------------------------ join value

describe('the join value column', () => {
  /** The join with a column after both inputs' for the join value, as the planner lays key joins out. */
  const keyed = (step: JoinStep): JoinStep => ({
    ...step,
    keyColumn: step.layout.columns.length,
    layout: { columns: [...step.layout.columns, { name: 'ROWKEY', type: INTEGER, origin: 'KEY' }] },
  });
  const t1 = source('T1', 'TABLE', [['ID'], ['NAME']]);
  const t2 = source('T2', 'TABLE', [['ID'], ['NAME']]);

  test('FULL table-table: from whichever side has a row, tombstones included', () => {
    const r = run(keyed(join('TABLE_TABLE', 'FULL', t1, t2, [0, 0])));
    r.feed(L(1, 1, 'a'), R(2, 2, 'b'), R(3, 1, 'c'), Ldel(4, 1), Rdel(5, 1));
    expect(r.out.map((row) => [row.values[4], row.deleted])).toEqual([
      [1, false],
      [2, false],
      [1, false],
      [1, false],
      [1, true],
    ]);
  });

  test('stream-stream on expressions: the left expression, else the right one', () => {
    const l = source('L', 'STREAM', [['ID'], ['V', INTEGER]]);
    const rs = source('R', 'STREAM', [['ID'], ['V', INTEGER]]);
    const step = keyed(join('STREAM_STREAM', 'FULL', l, rs, [0, 0], { within: within(seconds(1)) }));
    const negate = (e: TypedExpr): TypedExpr => ({ kind: 'negate', type: INTEGER, operand: e, text: `-${e.text}` });
    const r = run({ ...step, leftKey: negate(step.leftKey), rightKey: negate(step.rightKey) });
    r.feed(L(0, 1, 10), R(100, 1, 20), R(200, 3, 30));
    expect(r.out.map((row) => row.values[4])).toEqual([-1, -1, -3]);
  });
});

// ------------------------------------------------------------------ foreign key

describe('foreign-key joins', () => {
  const leftTable = source('LEFT_TABLE', 'TABLE', [['L_ID'], ['NAME'], ['FOREIGN_KEY', INTEGER]]);
  const rightTable = source('RIGHT_TABLE', 'TABLE', [['R_ID'], ['F1'], ['F2', INTEGER]]);
  const fk = (joinType: JoinType) => join('FOREIGN_KEY', joinType, leftTable, rightTable, [2, 0], { leftPrimaryKey: [0] });

  test('INNER (Should support inner join with left value-column expression)', () => {
    const r = run(fk('INNER'));
    r.feed(R(0, 0, 'blah', 4), L(10000, 1, 'zero', 0), L(13000, 0, 'foo', 100), R(15000, 0, 'a', 10), L(16000, 10, 'bar', 0), Rdel(17000, 0), Ldel(18000, 1));
    expect(show(r.out)).toEqual([
      o(10000, 1, 'zero', 0, 0, 'blah', 4),
      o(15000, 1, 'zero', 0, 0, 'a', 10),
      o(16000, 10, 'bar', 0, 0, 'a', 10),
      del(17000, 1),
      del(17000, 10),
      del(18000, 1),
    ]);
  });

  test('LEFT with a multi-column left key (Should support left join with left key-column expression)', () => {
    const l = source('LEFT_TABLE', 'TABLE', [['L_ID'], ['L_ID_2_FOREIGN_KEY', INTEGER, 'KEY'], ['NAME'], ['VALUE', INTEGER]]);
    const step = join('FOREIGN_KEY', 'LEFT', l, rightTable, [1, 0], { leftPrimaryKey: [0, 1] });
    const r = run(step);
    const Lk = (ts: number, id: number, fkv: number, ...rest: unknown[]): Input => ({ side: 'L', ts, values: [id, fkv, ...rest] });
    r.feed(
      Lk(0, 1, 0, 'zero', 0),
      R(10000, 0, 'blah', 4),
      Lk(11000, 1, 0, 'zero', 0),
      Lk(13000, 0, 100, 'foo', 100),
      R(15000, 0, 'a', 10),
      Lk(16000, 10, 0, 'bar', 0),
      Rdel(17000, 0),
      Ldel(18000, 1, 0),
      Ldel(19000, 0, 100),
    );
    expect(show(r.out, (v) => [v[0], v[1]])).toEqual([
      o(0, 1, 0, 'zero', 0, ...N3),
      o(10000, 1, 0, 'zero', 0, 0, 'blah', 4),
      o(11000, 1, 0, 'zero', 0, 0, 'blah', 4),
      o(13000, 0, 100, 'foo', 100, ...N3),
      o(15000, 1, 0, 'zero', 0, 0, 'a', 10),
      o(16000, 10, 0, 'bar', 0, 0, 'a', 10),
      o(17000, 1, 0, 'zero', 0, ...N3),
      o(17000, 10, 0, 'bar', 0, ...N3),
      del(18000, [1, 0]),
      del(19000, [0, 100]),
    ]);
  });

  test('INNER: an update whose new foreign key finds nothing unsets the result; the old key no longer reaches it', () => {
    const r = run(fk('INNER'));
    r.feed(R(5, 0, 'zero', 0), L(10, 1, 'x', 0), L(20, 1, 'x', 7), R(30, 0, 'changed', 1), R(40, 7, 'seven', 7));
    expect(show(r.out)).toEqual([o(10, 1, 'x', 0, 0, 'zero', 0), del(20, 1), o(40, 1, 'x', 7, 7, 'seven', 7)]);
  });

  test('a left change is emitted at the later of both rows\' timestamps, a right change at its own', () => {
    const r = run(fk('INNER'));
    r.feed(R(500, 0, 'zero', 0), L(100, 1, 'x', 0), R(50, 0, 'older', 1));
    expect(show(r.out)).toEqual([o(500, 1, 'x', 0, 0, 'zero', 0), o(50, 1, 'x', 0, 0, 'older', 1)]);
  });

  test('a right change re-emits for its subscribers in primary key order', () => {
    const r = run(fk('LEFT'));
    r.feed(L(1, 10, 'ten', 5), L(2, 2, 'two', 5), L(3, 1, 'one', 5));
    r.out.length = 0;
    r.feed(R(4, 5, 'five', 5));
    expect(r.out.map((x) => x.values[0])).toEqual([1, 2, 10]);
  });

  test('rows with a null foreign key are skipped, as in Kafka Streams before KIP-962', () => {
    const r = run(fk('LEFT'));
    r.feed(L(1, 1, 'a', null), L(2, 1, 'b', 0), R(3, 0, 'zero', 0));
    // The old row had no foreign key, so the update was skipped and never subscribed.
    expect(r.out).toEqual([]);
    r.feed(L(4, 1, 'c', 0));
    expect(show(r.out)).toEqual([o(4, 1, 'c', 0, 0, 'zero', 0)]);
  });
});

// ------------------------------------------------------------------ n-way

/** Two joins of one query: the inner join's output feeds the outer join's `side` input. */
function chain(inner: JoinStep, outer: JoinStep, side: 'left' | 'right'): { out: Row[]; inner: { left: RowSink; right: RowSink }; outer: { left: RowSink; right: RowSink } } {
  const out: Row[] = [];
  const state = new LoggedState();
  const log: ProcessingLogger = { deserializationError: () => undefined, error: () => undefined };
  const o2 = buildJoin(outer, (row) => out.push(row), { log, state });
  const o1 = buildJoin(inner, o2[side], { log, state });
  return { out, inner: o1, outer: o2 };
}

function row(values: unknown[], timestamp: number, deleted = false): Row {
  return { values, timestamp, deleted };
}

describe('n-way joins', () => {
  test('a foreign-key join, then a LEFT table-table join on the left key (Should allow fk join at start of n-way join)', () => {
    const l = source('LEFT_TABLE', 'TABLE', [['L_ID'], ['FOREIGN_KEY', INTEGER]]);
    const m = source('MIDDLE_TABLE', 'TABLE', [['M_ID'], ['F2', INTEGER], ['OTHER']]);
    const rt = source('RIGHT_TABLE', 'TABLE', [['R_ID'], ['F3', INTEGER]]);
    const first = join('FOREIGN_KEY', 'INNER', l, m, [1, 0], { leftPrimaryKey: [0] });
    const second = join('TABLE_TABLE', 'LEFT', first, rt, [0, 0]);
    const j = chain(first, second, 'left');
    j.inner.right(row([0, 100, 'unused'], 0));
    j.inner.left(row([1, 0], 10000));
    j.outer.right(row([1, 4], 11000));
    j.inner.right(row([8, 10, 'unused'], 13000));
    j.inner.left(row([1, 8], 16000));
    j.inner.left(row([1, null], 18000, true));
    expect(show(j.out)).toEqual([
      o(10000, 1, 0, 0, 100, 'unused', null, null),
      o(11000, 1, 0, 0, 100, 'unused', 1, 4),
      o(16000, 1, 8, 8, 10, 'unused', 1, 4),
      del(18000, 1),
    ]);
  });

  test('INNER then FULL table-table joins (table-table-table - inner-full)', () => {
    const t1 = source('T1', 'TABLE', [['ID'], ['V0', INTEGER]]);
    const t2 = source('T2', 'TABLE', [['ID'], ['V0', INTEGER]]);
    const t3 = source('T3', 'TABLE', [['ID'], ['V0', INTEGER]]);
    const first = join('TABLE_TABLE', 'INNER', t1, t2, [0, 0]);
    const second = join('TABLE_TABLE', 'FULL', first, t3, [0, 0]);
    const j = chain(first, second, 'left');
    j.inner.left(row([0, 1], 0));
    j.outer.right(row([0, 3], 2));
    j.inner.right(row([0, 2], 3));
    j.inner.left(row([0, 4], 1000));
    expect(show(j.out)).toEqual([o(2, null, null, null, null, 0, 3), o(3, 0, 1, 0, 2, 0, 3), o(1000, 0, 4, 0, 2, 0, 3)]);
  });

  test('two LEFT stream-stream joins (stream-stream-stream - left-left)', () => {
    const s1 = source('S1', 'STREAM', [['ID'], ['V0', INTEGER]]);
    const s2 = source('S2', 'STREAM', [['ID'], ['V0', INTEGER]]);
    const s3 = source('S3', 'STREAM', [['ID'], ['V0', INTEGER]]);
    const first = join('STREAM_STREAM', 'LEFT', s1, s2, [0, 0], { within: within(seconds(5)) });
    const second = join('STREAM_STREAM', 'LEFT', first, s3, [0, 0], { within: within(seconds(10)) });
    const j = chain(first, second, 'left');
    j.inner.left(row([0, 1], 0));
    j.inner.right(row([0, 2], 1));
    j.outer.right(row([0, 3], 2));
    j.inner.left(row([0, 4], 3));
    const v = (x: Row) => [x.timestamp, x.values[1], x.values[3], x.values[5]];
    expect(j.out.map(v)).toEqual([
      [0, 1, null, null],
      [1, 1, 2, null],
      [2, 1, null, 3],
      [2, 1, 2, 3],
      [3, 4, 2, 3],
    ]);
  });

  test('a LEFT stream-table join, then an INNER stream-stream join (stream-table-stream - left-inner)', () => {
    const s1 = source('S1', 'STREAM', [['ID'], ['V0', INTEGER]]);
    const t2 = source('T2', 'TABLE', [['ID'], ['V0', INTEGER]]);
    const s3 = source('S3', 'STREAM', [['ID'], ['V0', INTEGER]]);
    const first = join('STREAM_TABLE', 'LEFT', s1, t2, [0, 0]);
    const second = join('STREAM_STREAM', 'INNER', first, s3, [0, 0], { within: within(seconds(10)) });
    const j = chain(first, second, 'left');
    j.outer.right(row([0, 3], 10));
    j.inner.left(row([0, 1], 12));
    j.inner.right(row([0, 2], 11));
    j.inner.right(row([0, 4], 13));
    j.inner.left(row([0, 5], 100000));
    j.outer.right(row([0, 6], 100001));
    const v = (x: Row) => [x.timestamp, x.values[1], x.values[3], x.values[5]];
    expect(j.out.map(v)).toEqual([
      [12, 1, null, 3],
      [100001, 5, 4, 6],
    ]);
  });
});

// ------------------------------------------------------------------ state

describe('join state', () => {
  /** Runs the inputs in one go, and again with a restart (state restored from its changelog) after `cut` inputs. */
  function restarted(step: JoinStep, inputs: Input[], cut: number): { once: string[]; twice: string[] } {
    const once = run(step);
    once.feed(...inputs);
    const first = run(step);
    first.feed(...inputs.slice(0, cut));
    // Through the changelog's encoding, as a restarted query reads it back.
    const changes = first.state.take().map((c) => {
      const { key, value } = encodeChange(c);
      return decodeChange(key, value) as StoreChange;
    });
    const restored = new LoggedState();
    restored.restore(changes);
    const second = run(step, restored);
    second.feed(...inputs.slice(cut));
    return { once: show(once.out), twice: [...show(first.out), ...show(second.out)] };
  }

  test('a restarted stream-stream join restores its buffers, stream time and waiting outer results', () => {
    const l = source('L', 'STREAM', [['ID'], ['X']]);
    const r = source('R', 'STREAM', [['ID'], ['Y']]);
    const step = join('STREAM_STREAM', 'FULL', l, r, [0, 0], { within: within(100, 100, 50) });
    const inputs = [L(0, 1, 'a'), R(10, 2, 'b'), L(20, 2, 'c'), R(30, 3, 'd'), L(200, 4, 'e'), R(260, 5, 'f'), R(40, 3, 'late'), L(500, 6, 'g')];
    for (let cut = 1; cut < inputs.length; cut++) {
      const { once, twice } = restarted(step, inputs, cut);
      expect(twice).toEqual(once);
    }
    expect(restarted(step, inputs, 4).once.length).toBeGreaterThan(4);
  });

  test('a restarted foreign-key join restores its rows and subscriptions', () => {
    const l = source('LEFT_TABLE', 'TABLE', [['L_ID'], ['NAME'], ['FOREIGN_KEY', INTEGER]]);
    const rt = source('RIGHT_TABLE', 'TABLE', [['R_ID'], ['F1'], ['F2', INTEGER]]);
    const step = join('FOREIGN_KEY', 'LEFT', l, rt, [2, 0], { leftPrimaryKey: [0] });
    const inputs = [R(0, 0, 'blah', 4), L(1, 1, 'zero', 0), L(2, 2, 'two', 0), R(3, 0, 'a', 10), L(4, 1, 'moved', 9), R(5, 9, 'nine', 9), Rdel(6, 0), Ldel(7, 2)];
    for (let cut = 1; cut < inputs.length; cut++) {
      const { once, twice } = restarted(step, inputs, cut);
      expect(twice).toEqual(once);
    }
  });

  test('two joins of one query keep separate stores', () => {
    const state = new LoggedState();
    const a = source('A', 'TABLE', [['ID'], ['X']]);
    const b = source('B', 'TABLE', [['ID'], ['Y']]);
    const c = source('C', 'TABLE', [['ID'], ['Z']]);
    const first = join('TABLE_TABLE', 'INNER', a, b, [0, 0]);
    const second = join('TABLE_TABLE', 'INNER', first, c, [0, 0]);
    const log: ProcessingLogger = { deserializationError: () => undefined, error: () => undefined };
    const out: Row[] = [];
    const s2 = buildJoin(second, (x) => out.push(x), { log, state });
    const s1 = buildJoin(first, s2.left, { log, state });
    s1.left(row([1, 'x'], 1));
    s1.right(row([1, 'y'], 2));
    s2.right(row([1, 'z'], 3));
    expect(show(out)).toEqual([o(3, 1, 'x', 1, 'y', 1, 'z')]);
    expect(new Set(state.take().map((ch) => ch.store.split(':')[0])).size).toBe(2);
  });
});
