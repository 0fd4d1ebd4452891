import {
  arithmeticResultType,
  baseTypeCanImplicitlyCast,
  canCast,
  canCompare,
  canImplicitlyCast,
  castValue,
  checkCast,
  coerceValue,
  coercionTarget,
  commonSuperType,
  compileArithmetic,
  decimalArithmetic,
  decimalArithmeticType,
  decimalFits,
  decimalTypeOf,
  decodeBase64,
  doubleArithmetic,
  doubleToInt,
  doubleToLong,
  ensureFit,
  intArithmetic,
  longArithmetic,
  negateValue,
  parseBooleanExact,
  parseBooleanLenient,
  parseJavaInteger,
  toDecimalType,
  valueToJavaString,
  widenDecimal,
  wrapInt,
  wrapLong,
} from '../../src/schema/coercion.js';
import { Decimal } from '../../src/schema/decimal.js';
import { SqlTypeError, SqlValueError } from '../../src/schema/errors.js';
import { formatType } from '../../src/schema/format.js';
import {
  BIGINT,
  BOOLEAN,
  BYTES,
  DATE,
  DOUBLE,
  INTEGER,
  STRING,
  TIME,
  TIMESTAMP,
  array,
  decimal,
  field,
  map,
  struct,
  type SqlType,
} from '../../src/schema/types.js';

const d = (text: string): Decimal => Decimal.parse(text);
const fmt = (t: SqlType | undefined): string | undefined => t && formatType(t);

describe('DECIMAL types', () => {
  test('INTEGER and BIGINT upcast to DECIMAL(10, 0) and DECIMAL(19, 0)', () => {
    expect(toDecimalType(INTEGER)).toEqual(decimal(10, 0));
    expect(toDecimalType(BIGINT)).toEqual(decimal(19, 0));
    expect(toDecimalType(decimal(4, 2))).toEqual(decimal(4, 2));
    expect(() => toDecimalType(DOUBLE)).toThrow(new SqlTypeError('Cannot convert DOUBLE to DECIMAL.'));
  });

  test('widenDecimal keeps the most integer digits and the largest scale', () => {
    expect(widenDecimal(decimal(9, 2), decimal(7, 6))).toEqual(decimal(13, 6)); // greatest.json
    expect(widenDecimal(decimal(4, 2), INTEGER)).toEqual(decimal(12, 2)); // in.json
    expect(widenDecimal(BIGINT, decimal(10, 0))).toEqual(decimal(19, 0));
  });

  test('decimalFits', () => {
    expect(decimalFits(decimal(4, 2), decimal(5, 3))).toBe(true);
    expect(decimalFits(decimal(4, 2), decimal(4, 3))).toBe(false);
    expect(decimalFits(decimal(4, 2), decimal(4, 1))).toBe(false);
  });

  test.each([
    ['2.345', 4, 3], // literals.json: KSQL_COL_0 DECIMAL(4,3)
    ['0.08', 3, 2],
    ['0.005', 4, 3],
    ['-0.5', 2, 1],
    ['0', 1, 0],
    ['0.00', 3, 2],
    ['10.30', 4, 2],
    ['2E+1', 2, 0],
    ['123', 3, 0],
  ])('type of literal %s is DECIMAL(%d, %d)', (text, precision, scale) => {
    expect(decimalTypeOf(d(text))).toEqual(decimal(precision, scale));
  });

  test('decimal arithmetic result types (ksqlDB SqlDecimal)', () => {
    const a = decimal(4, 2);
    expect(decimalArithmeticType('+', a, a)).toEqual(decimal(5, 2));
    expect(decimalArithmeticType('-', decimal(4, 2), decimal(5, 3))).toEqual(decimal(6, 3));
    expect(decimalArithmeticType('*', a, a)).toEqual(decimal(9, 4));
    expect(decimalArithmeticType('/', a, a)).toEqual(decimal(11, 7));
    expect(decimalArithmeticType('/', decimal(1, 0), decimal(1, 0))).toEqual(decimal(7, 6));
    expect(decimalArithmeticType('%', a, a)).toEqual(decimal(4, 2));
    expect(decimalArithmeticType('%', decimal(10, 0), decimal(4, 2))).toEqual(decimal(4, 2));
    // No cap at 38: ksqlDB's SqlDecimal applies none.
    expect(decimalArithmeticType('*', decimal(30, 10), decimal(30, 10))).toEqual(decimal(61, 20));
  });
});

describe('arithmeticResultType', () => {
  test.each([
    ['+', INTEGER, INTEGER, 'INTEGER'],
    ['+', INTEGER, BIGINT, 'BIGINT'],
    ['*', BIGINT, INTEGER, 'BIGINT'],
    ['+', INTEGER, DOUBLE, 'DOUBLE'],
    ['/', decimal(4, 2), DOUBLE, 'DOUBLE'],
    ['+', decimal(4, 2), decimal(4, 2), 'DECIMAL(5, 2)'],
    ['+', decimal(4, 2), INTEGER, 'DECIMAL(13, 2)'],
    ['-', BIGINT, decimal(4, 2), 'DECIMAL(22, 2)'],
    ['+', STRING, STRING, 'STRING'],
  ] as const)('%s %j %j', (op, l, r, expected) => {
    expect(formatType(arithmeticResultType(op, l, r))).toBe(expected);
  });

  test('rejects other combinations with the ksqlDB message', () => {
    expect(() => arithmeticResultType('+', BOOLEAN, decimal(2, 1))).toThrow(
      new SqlTypeError('Unsupported arithmetic types. BOOLEAN DECIMAL'),
    );
    expect(() => arithmeticResultType('-', STRING, STRING)).toThrow(SqlTypeError);
    expect(() => arithmeticResultType('+', STRING, INTEGER)).toThrow(SqlTypeError);
    expect(() => arithmeticResultType('+', TIMESTAMP, BIGINT)).toThrow(SqlTypeError);
  });
});

describe('Java integer semantics', () => {
  test('wrapInt and wrapLong keep the low bits', () => {
    expect(wrapInt(2147483648)).toBe(-2147483648);
    expect(wrapInt(-2147483649)).toBe(2147483647);
    expect(wrapLong(9223372036854775808n)).toBe(-9223372036854775808n);
  });

  test('INTEGER arithmetic wraps, truncates and throws on division by zero', () => {
    expect(intArithmetic('+', 2147483647, 1)).toBe(-2147483648);
    expect(intArithmetic('-', -2147483648, 1)).toBe(2147483647);
    expect(intArithmetic('*', 65536, 65536)).toBe(0);
    expect(intArithmetic('*', 123456789, 987654321)).toBe(-67153019);
    expect(intArithmetic('/', 7, 2)).toBe(3);
    expect(intArithmetic('/', -7, 2)).toBe(-3);
    expect(intArithmetic('/', -2147483648, -1)).toBe(-2147483648);
    expect(intArithmetic('%', -7, 2)).toBe(-1);
    expect(Object.is(intArithmetic('%', -4, 2), 0)).toBe(true);
    expect(() => intArithmetic('/', 1, 0)).toThrow(new SqlValueError('/ by zero'));
    expect(() => intArithmetic('%', 1, 0)).toThrow(SqlValueError);
  });

  test('BIGINT arithmetic wraps at 64 bits', () => {
    expect(longArithmetic('+', 9223372036854775807n, 1n)).toBe(-9223372036854775808n);
    expect(longArithmetic('*', 25n, 25n)).toBe(625n);
    expect(longArithmetic('/', -7n, 2n)).toBe(-3n);
    expect(longArithmetic('/', -9223372036854775808n, -1n)).toBe(-9223372036854775808n);
    expect(longArithmetic('%', 7n, -2n)).toBe(1n);
    expect(() => longArithmetic('/', 1n, 0n)).toThrow(SqlValueError);
  });

  test('DOUBLE arithmetic is IEEE', () => {
    expect(doubleArithmetic('/', 1, 0)).toBe(Infinity);
    expect(doubleArithmetic('/', 0, 0)).toBeNaN();
    expect(doubleArithmetic('%', -7.5, 2)).toBe(-1.5);
    expect(doubleArithmetic('+', 3.21, 10)).toBe(13.21);
  });

  test('negation', () => {
    expect(negateValue(-2147483648, INTEGER)).toBe(-2147483648);
    expect(negateValue(5, INTEGER)).toBe(-5);
    expect(negateValue(-9223372036854775808n, BIGINT)).toBe(-9223372036854775808n);
    expect(negateValue(1.5, DOUBLE)).toBe(-1.5);
    expect((negateValue(d('10.12345'), decimal(7, 5)) as Decimal).toString()).toBe('-10.12345');
    expect(negateValue(null, INTEGER)).toBeNull();
    expect(() => negateValue('x', STRING)).toThrow(SqlTypeError);
  });
});

describe('decimal arithmetic (decimal.json)', () => {
  const dec42 = decimal(4, 2);
  const run = (op: '+' | '-' | '*' | '/' | '%', a: string, b: string): string =>
    decimalArithmetic(op, d(a), d(b), decimalArithmeticType(op, dec42, dec42)).toString();

  test('addition, multiplication, division and modulus at the result scale', () => {
    expect(run('+', '10.01', '5.10')).toBe('15.11');
    expect(run('+', '10.01', '-5.00')).toBe('5.01');
    expect(run('*', '10.10', '2.00')).toBe('20.2000');
    expect(run('*', '10.10', '-2.00')).toBe('-20.2000');
    expect(run('/', '10.10', '2.00')).toBe('5.0500000');
    expect(run('/', '10.10', '-2.00')).toBe('-5.0500000');
    expect(run('%', '10.10', '2.00')).toBe('0.10');
    expect(run('%', '10.10', '-2.00')).toBe('0.10');
  });

  test('division or modulus by zero throws (the row gets null)', () => {
    expect(() => run('/', '10.10', '0.00')).toThrow(SqlValueError);
    expect(() => run('%', '10.10', '0.00')).toThrow(SqlValueError);
  });

  test('a quotient that would need rounding throws, as MathContext(UNNECESSARY) does', () => {
    const t = decimalArithmeticType('/', decimal(1, 0), decimal(1, 0));
    expect(() => decimalArithmetic('/', d('1'), d('3'), t)).toThrow('Rounding necessary');
    expect(decimalArithmetic('/', d('1'), d('4'), t).toString()).toBe('0.250000');
  });

  test('compileArithmetic converts operands like the generated code', () => {
    const addInt = compileArithmetic('+', decimal(4, 2), INTEGER);
    expect(formatType(addInt.type)).toBe('DECIMAL(13, 2)');
    expect((addInt.apply(d('10.01'), 5) as Decimal).toString()).toBe('15.01');
    expect(addInt.apply(null, 5)).toBeNull();

    const addDouble = compileArithmetic('+', decimal(4, 2), DOUBLE);
    expect(addDouble.type).toEqual(DOUBLE);
    expect(addDouble.apply(d('10.01'), 5.1)).toBe(15.11);

    const mixed = compileArithmetic('+', INTEGER, BIGINT);
    expect(mixed.apply(6, 25n)).toBe(31n);
    expect(compileArithmetic('*', BIGINT, INTEGER).apply(25n, 25)).toBe(625n);
    expect(compileArithmetic('+', DOUBLE, INTEGER).apply(3.21, 10)).toBe(13.21);
    expect(compileArithmetic('+', BIGINT, DOUBLE).apply(1n, 0.5)).toBe(1.5);
    expect(compileArithmetic('*', INTEGER, INTEGER).apply(12, 4)).toBe(48);
    expect(compileArithmetic('+', STRING, STRING).apply('prefix-', 's1')).toBe('prefix-s1');
    expect(() => compileArithmetic('/', INTEGER, INTEGER).apply(1, 0)).toThrow(SqlValueError);
  });
});

describe('comparisons (ComparisonUtil)', () => {
  test.each([
    [INTEGER, 'LESS_THAN', decimal(4, 2), true],
    [DOUBLE, 'EQUAL', BIGINT, true],
    [INTEGER, 'GREATER_THAN_OR_EQUAL', STRING, false],
    [STRING, 'LESS_THAN', STRING, true],
    [STRING, 'EQUAL', TIMESTAMP, true],
    [DATE, 'GREATER_THAN', TIMESTAMP, true],
    [DATE, 'GREATER_THAN', STRING, true],
    [TIMESTAMP, 'EQUAL', TIME, false],
    [TIME, 'LESS_THAN', STRING, true],
    [TIME, 'LESS_THAN', DATE, false],
    [BOOLEAN, 'EQUAL', BOOLEAN, true],
    [BOOLEAN, 'LESS_THAN', BOOLEAN, false],
    [array(INTEGER), 'LESS_THAN', array(INTEGER), false],
    [array(INTEGER), 'IS_DISTINCT_FROM', array(INTEGER), true],
    [map(STRING, INTEGER), 'LESS_THAN', map(STRING, INTEGER), false],
    [struct([field('ID', INTEGER)]), 'NOT_EQUAL', struct([field('ID', INTEGER)]), true],
    [struct([field('ID', INTEGER)]), 'LESS_THAN', struct([field('ID', INTEGER)]), false],
    [BYTES, 'LESS_THAN', BYTES, true],
    [BYTES, 'EQUAL', STRING, false],
  ] as const)('%j %s %j -> %s', (l, op, r, expected) => {
    expect(canCompare(l, op, r)).toBe(expected);
  });
});

describe('implicit casts', () => {
  test('baseTypeCanImplicitlyCast widens numbers only', () => {
    expect(baseTypeCanImplicitlyCast('INTEGER', 'DOUBLE')).toBe(true);
    expect(baseTypeCanImplicitlyCast('DECIMAL', 'BIGINT')).toBe(false);
    expect(baseTypeCanImplicitlyCast('STRING', 'STRING')).toBe(true);
    expect(baseTypeCanImplicitlyCast('INTEGER', 'STRING')).toBe(false);
  });

  test.each([
    [INTEGER, BIGINT, true],
    [INTEGER, DOUBLE, true],
    [BIGINT, INTEGER, false],
    [DOUBLE, decimal(10, 2), false],
    [INTEGER, decimal(10, 0), true],
    [INTEGER, decimal(9, 0), false],
    [BIGINT, decimal(21, 2), true],
    [BIGINT, decimal(20, 2), false],
    [decimal(4, 2), decimal(5, 3), true],
    [decimal(4, 2), decimal(4, 3), false],
    [decimal(38, 10), DOUBLE, true],
    [STRING, INTEGER, false],
    [STRING, TIMESTAMP, false],
    [array(INTEGER), array(BIGINT), true],
    [array(BIGINT), array(INTEGER), false],
    [map(STRING, INTEGER), map(STRING, DOUBLE), true],
    [map(STRING, INTEGER), map(INTEGER, INTEGER), false],
    [struct([field('F0', INTEGER)]), struct([field('F0', BIGINT), field('F1', STRING)]), true],
    [struct([field('F0', BIGINT)]), struct([field('F0', INTEGER)]), false],
    [struct([field('A', STRING)]), struct([field('B', INTEGER)]), true],
  ] as const)('%j -> %j: %s', (from, to, expected) => {
    expect(canImplicitlyCast(from, to)).toBe(expected);
  });
});

describe('coercionTarget and commonSuperType', () => {
  test('strict coercion targets', () => {
    expect(fmt(coercionTarget(INTEGER, decimal(4, 2)))).toBe('DECIMAL(12, 2)');
    expect(fmt(coercionTarget(INTEGER, DOUBLE))).toBe('DOUBLE');
    expect(coercionTarget(DOUBLE, INTEGER)).toBeUndefined();
    expect(coercionTarget(STRING, INTEGER)).toBeUndefined();
    expect(coercionTarget(BOOLEAN, STRING)).toBeUndefined();
    expect(fmt(coercionTarget(STRING, TIMESTAMP))).toBe('TIMESTAMP');
    expect(fmt(coercionTarget(array(INTEGER), array(BIGINT)))).toBe('ARRAY<BIGINT>');
    expect(coercionTarget(array(BOOLEAN), array(BIGINT))).toBeUndefined();
    expect(fmt(coercionTarget(map(STRING, INTEGER), map(STRING, BIGINT)))).toBe('MAP<STRING, BIGINT>');
    expect(
      fmt(coercionTarget(struct([field('A', INTEGER), field('B', STRING)]), struct([field('A', BIGINT), field('C', DATE)]))),
    ).toBe('STRUCT<`A` BIGINT, `B` STRING, `C` DATE>');
    expect(coercionTarget(struct([field('A', STRING)]), struct([field('A', BIGINT)]))).toBeUndefined();
  });

  test('lax coercion adds STRING <-> BOOLEAN/numbers and temporal -> STRING', () => {
    expect(fmt(coercionTarget(STRING, INTEGER, 'LAX'))).toBe('INTEGER');
    expect(fmt(coercionTarget(BOOLEAN, STRING, 'LAX'))).toBe('STRING');
    expect(fmt(coercionTarget(DATE, STRING, 'LAX'))).toBe('STRING');
    expect(fmt(coercionTarget(array(INTEGER), array(STRING), 'LAX'))).toBe('ARRAY<STRING>');
    expect(coercionTarget(STRING, array(STRING), 'LAX')).toBeUndefined();
  });

  test('commonSuperType folds left to right', () => {
    expect(commonSuperType([])).toBeUndefined();
    expect(commonSuperType([INTEGER])).toEqual(INTEGER);
    expect(fmt(commonSuperType([INTEGER, BIGINT, DOUBLE, decimal(4, 2)]))).toBe('DOUBLE');
    expect(fmt(commonSuperType([decimal(9, 2), decimal(7, 6)]))).toBe('DECIMAL(13, 6)');
    expect(fmt(commonSuperType([decimal(4, 2), INTEGER]))).toBe('DECIMAL(12, 2)');
    // create_array.json: ARRAY[null, 10, '2e1', a INT, b BIGINT] is ARRAY<DECIMAL(19, 0)>.
    expect(fmt(commonSuperType([INTEGER, decimalTypeOf(d('2e1')), INTEGER, BIGINT]))).toBe('DECIMAL(19, 0)');
    expect(fmt(commonSuperType([STRING, STRING]))).toBe('STRING');
    expect(commonSuperType([INTEGER, STRING])).toBeUndefined();
    expect(commonSuperType([BOOLEAN, INTEGER])).toBeUndefined();
    expect(fmt(commonSuperType([array(BIGINT), array(INTEGER)]))).toBe('ARRAY<BIGINT>');
    expect(commonSuperType([array(BIGINT), array(BOOLEAN)])).toBeUndefined();
    expect(fmt(commonSuperType([struct([field('F0', BIGINT)]), struct([field('F0', INTEGER)])]))).toBe(
      'STRUCT<`F0` BIGINT>',
    );
  });
});

describe('coerceValue', () => {
  test('null coerces to anything', () => {
    expect(coerceValue(null, STRING, INTEGER, 'STRICT')).toEqual({ ok: true, value: null });
  });

  test('strict numeric widening', () => {
    expect(coerceValue(5, INTEGER, BIGINT)).toEqual({ ok: true, value: 5n });
    expect(coerceValue(5, INTEGER, DOUBLE)).toEqual({ ok: true, value: 5 });
    expect(coerceValue(2n ** 60n, BIGINT, DOUBLE)).toEqual({ ok: true, value: 2 ** 60 });
    expect(coerceValue(d('1.25'), decimal(3, 2), DOUBLE)).toEqual({ ok: true, value: 1.25 });
    expect(coerceValue(5, INTEGER, STRING)).toEqual({ ok: false });
    expect(coerceValue(5n, BIGINT, INTEGER)).toEqual({ ok: false });
  });

  test('DECIMAL targets never round', () => {
    const ok = coerceValue(10, INTEGER, decimal(4, 2));
    expect(ok.ok && (ok.value as Decimal).toString()).toBe('10.00');
    expect(coerceValue(100, INTEGER, decimal(4, 2))).toEqual({ ok: false });
    expect(coerceValue(d('1.234'), decimal(4, 3), decimal(4, 2))).toEqual({ ok: false });
    const widened = coerceValue(d('1.5'), decimal(2, 1), decimal(4, 2));
    expect(widened.ok && (widened.value as Decimal).toString()).toBe('1.50');
  });

  test('lax string parsing (in.json literals)', () => {
    expect(coerceValue(' 10 ', STRING, INTEGER, 'LAX')).toEqual({ ok: true, value: 10 });
    expect(coerceValue('10 - not a number', STRING, INTEGER, 'LAX')).toEqual({ ok: false });
    expect(coerceValue('123456789000', STRING, BIGINT, 'LAX')).toEqual({ ok: true, value: 123456789000n });
    expect(coerceValue('123456789000', STRING, INTEGER, 'LAX')).toEqual({ ok: false });
    expect(coerceValue('2e1', STRING, DOUBLE, 'LAX')).toEqual({ ok: true, value: 20 });
    const dec = coerceValue('4.000', STRING, decimal(12, 2), 'LAX');
    expect(dec.ok && (dec.value as Decimal).toString()).toBe('4.00');
    expect(coerceValue('4.001', STRING, decimal(12, 2), 'LAX')).toEqual({ ok: false });
    expect(coerceValue('TrUe', STRING, BOOLEAN, 'LAX')).toEqual({ ok: true, value: true });
    expect(coerceValue('tr', STRING, BOOLEAN, 'LAX')).toEqual({ ok: true, value: true });
    expect(coerceValue('Y', STRING, BOOLEAN, 'LAX')).toEqual({ ok: true, value: true });
    expect(coerceValue('fal', STRING, BOOLEAN, 'LAX')).toEqual({ ok: true, value: false });
    expect(coerceValue('Not a boolean', STRING, BOOLEAN, 'LAX')).toEqual({ ok: false });
    expect(coerceValue('10', STRING, INTEGER, 'STRICT')).toEqual({ ok: false });
  });

  test('lax conversion to STRING (in.json: VAL0 IN (true, 10, 10.30))', () => {
    expect(coerceValue(true, BOOLEAN, STRING, 'LAX')).toEqual({ ok: true, value: 'true' });
    expect(coerceValue(10, INTEGER, STRING, 'LAX')).toEqual({ ok: true, value: '10' });
    expect(coerceValue(d('10.30'), decimal(4, 2), STRING, 'LAX')).toEqual({ ok: true, value: '10.30' });
    expect(coerceValue(1.0, DOUBLE, STRING, 'LAX')).toEqual({ ok: true, value: '1.0' });
    expect(coerceValue(10, TIMESTAMP, STRING, 'LAX')).toEqual({ ok: true, value: '1970-01-01T00:00:00.010' });
  });

  test('strings coerce to temporal types and bytes, even strictly', () => {
    expect(coerceValue('1970-01-01T00:00:00.010', STRING, TIMESTAMP)).toEqual({ ok: true, value: 10 });
    expect(coerceValue('1970-01-11', STRING, DATE)).toEqual({ ok: true, value: 10 });
    expect(coerceValue('00:01', STRING, TIME)).toEqual({ ok: true, value: 60000 });
    expect(coerceValue('nope', STRING, TIMESTAMP)).toEqual({ ok: false });
    const bytes = coerceValue('AQID', STRING, BYTES);
    expect(bytes.ok && Array.from(bytes.value as Uint8Array)).toEqual([1, 2, 3]);
  });

  test('collections coerce element-wise; structs by target field', () => {
    expect(coerceValue([1, null, 3], array(INTEGER), array(BIGINT))).toEqual({ ok: true, value: [1n, null, 3n] });
    expect(coerceValue(['3', null], array(STRING), array(BIGINT), 'LAX')).toEqual({ ok: true, value: [3n, null] });
    expect(coerceValue(['x'], array(STRING), array(BIGINT), 'LAX')).toEqual({ ok: false });
    const m = coerceValue(new Map([['a', 1]]), map(STRING, INTEGER), map(STRING, BIGINT));
    expect(m).toEqual({ ok: true, value: new Map([['a', 1n]]) });
    const s = coerceValue(
      { F0: 2, X: 'dropped' },
      struct([field('F0', INTEGER), field('X', STRING)]),
      struct([field('F0', BIGINT), field('F1', STRING)]),
    );
    expect(s).toEqual({ ok: true, value: { F0: 2n, F1: null } });
  });

  test('ensureFit', () => {
    expect(ensureFit(d('1.5'), decimal(3, 2)).toString()).toBe('1.50');
    expect(() => ensureFit(d('1.555'), decimal(3, 2))).toThrow(
      "Cannot fit decimal '1.555' into DECIMAL(3, 2) without rounding. (Requires 4,3)",
    );
    expect(() => ensureFit(d('10'), decimal(2, 1))).toThrow(
      'Numeric field overflow: A field with precision 2 and scale 1 must round to an absolute value less than 10^1. Got 10',
    );
  });
});

describe('canCast / checkCast', () => {
  test.each([
    [BOOLEAN, STRING, true],
    [BOOLEAN, INTEGER, false],
    [INTEGER, BOOLEAN, false],
    [DOUBLE, INTEGER, true],
    [STRING, BOOLEAN, true],
    [STRING, BYTES, true],
    [BYTES, STRING, false],
    [STRING, TIMESTAMP, true],
    [TIMESTAMP, BIGINT, false],
    [DATE, TIMESTAMP, true],
    [TIMESTAMP, DATE, true],
    [DATE, TIME, false],
    [TIME, STRING, true],
    [array(BIGINT), array(STRING), true],
    [array(STRING), array(array(STRING)), false],
    [array(INTEGER), STRING, true],
    [map(STRING, BIGINT), map(STRING, INTEGER), true],
    [struct([field('F0', BIGINT), field('F1', STRING)]), struct([field('F0', STRING), field('F3', STRING)]), true],
    [struct([field('F0', BOOLEAN)]), struct([field('F0', INTEGER)]), false],
    [STRING, STRING, true],
    [BYTES, BYTES, true],
  ] as const)('%j -> %j: %s', (from, to, expected) => {
    expect(canCast(from, to)).toBe(expected);
  });

  test('checkCast reports the ksqlDB message with the outer types (cast.json)', () => {
    expect(() => checkCast(STRING, array(INTEGER))).toThrow(
      new SqlTypeError('Cast of STRING to ARRAY<INTEGER> is not supported'),
    );
    expect(() => checkCast(STRING, map(STRING, INTEGER))).toThrow(
      'Cast of STRING to MAP<STRING, INTEGER> is not supported',
    );
    expect(() => checkCast(STRING, struct([field('F0', STRING), field('F1', INTEGER)]))).toThrow(
      'Cast of STRING to STRUCT<`F0` STRING, `F1` INTEGER> is not supported',
    );
    expect(() => checkCast(array(BOOLEAN), array(INTEGER))).toThrow(
      'Cast of ARRAY<BOOLEAN> to ARRAY<INTEGER> is not supported',
    );
    expect(() => checkCast(INTEGER, STRING)).not.toThrow();
  });
});

describe('castValue', () => {
  test('null and identity', () => {
    expect(castValue(null, STRING, INTEGER)).toBeNull();
    const xs = [1, 3];
    expect(castValue(xs, array(INTEGER), array(INTEGER))).toBe(xs);
  });

  test('collections to STRING print like Java (cast.json)', () => {
    expect(castValue([1, 3], array(INTEGER), STRING)).toBe('[1, 3]');
    expect(castValue(new Map([['this', 1]]), map(STRING, INTEGER), STRING)).toBe('{this=1}');
    expect(castValue({ F0: 1, f1: 3 }, struct([field('F0', INTEGER), field('f1', INTEGER)]), STRING)).toBe(
      'Struct{F0=1,f1=3}',
    );
    expect(castValue({ A: null, B: 'x' }, struct([field('A', INTEGER), field('B', STRING)]), STRING)).toBe(
      'Struct{B=x}',
    );
    expect(castValue([1.5, null, 2], array(DOUBLE), STRING)).toBe('[1.5, null, 2.0]');
    expect(castValue([d('0.00000001')], array(decimal(9, 8)), STRING)).toBe('[1E-8]');
  });

  test('collections convert element-wise (cast.json)', () => {
    expect(castValue([1n, 3n, 2147483648n], array(BIGINT), array(INTEGER))).toEqual([1, 3, -2147483648]);
    expect(castValue([1n, 3n, 2147483648n], array(BIGINT), array(STRING))).toEqual(['1', '3', '2147483648']);
    expect(
      castValue(
        [
          [1n, 3n],
          [-1n, -2147483648n],
        ],
        array(array(BIGINT)),
        array(array(STRING)),
      ),
    ).toEqual([
      ['1', '3'],
      ['-1', '-2147483648'],
    ]);
    expect(castValue(new Map([['this', 2147483648n]]), map(STRING, BIGINT), map(STRING, INTEGER))).toEqual(
      new Map([['this', -2147483648]]),
    );
    expect(
      castValue(
        new Map([['k1', new Map([['k2', '10']])]]),
        map(STRING, map(STRING, STRING)),
        map(STRING, map(STRING, INTEGER)),
      ),
    ).toEqual(new Map([['k1', new Map([['k2', 10]])]]));
    expect(
      castValue(
        { F0: 1n, F1: '3' },
        struct([field('F0', BIGINT), field('F1', STRING)]),
        struct([field('F0', STRING), field('F3', STRING)]),
      ),
    ).toEqual({ F0: '1', F3: null });
  });

  test('to DECIMAL: HALF_UP rounding, overflow throws (cast.json)', () => {
    const dec21 = decimal(2, 1);
    expect(['0.1', '1.1', '0.0', '0.99', '0.10', '0.01'].map((s) => String(castValue(s, STRING, dec21)))).toEqual([
      '0.1',
      '1.1',
      '0.0',
      '1.0',
      '0.1',
      '0.0',
    ]);
    expect([1, 0, -1].map((n) => String(castValue(n, INTEGER, dec21)))).toEqual(['1.0', '0.0', '-1.0']);
    expect(() => castValue(10, INTEGER, dec21)).toThrow('Numeric field overflow');
    expect(['10.12', '1.00', '0.00'].map((s) => String(castValue(d(s), decimal(4, 2), decimal(5, 3))))).toEqual([
      '10.120',
      '1.000',
      '0.000',
    ]);
    expect(String(castValue(5n, BIGINT, decimal(3, 1)))).toBe('5.0');
    expect(String(castValue(0.1, DOUBLE, decimal(3, 2)))).toBe('0.10');
    expect(String(castValue(1.005, DOUBLE, decimal(3, 2)))).toBe('1.00'); // 1.005 is really 1.00499999...
    expect(String(castValue(2.675, DOUBLE, decimal(2, 1)))).toBe('2.7');
    expect(() => castValue(NaN, DOUBLE, decimal(3, 2))).toThrow(SqlValueError);
    expect(() => castValue(' x ', STRING, dec21)).toThrow(SqlValueError);
    expect(String(castValue(' 0.5 ', STRING, dec21))).toBe('0.5');
    // ksqlDB checks the integer digits before rounding: 9.99 -> DECIMAL(2,1) is 10.0.
    expect(String(castValue(d('9.99'), decimal(3, 2), dec21))).toBe('10.0');
  });

  test('DECIMAL to other types (cast.json)', () => {
    const rows = ['0.00', '0.01', '10.00', '10.01'].map((s) => {
      const v = d(s);
      const t = decimal(4, 2);
      return [castValue(v, t, INTEGER), castValue(v, t, BIGINT), castValue(v, t, DOUBLE), castValue(v, t, STRING)];
    });
    expect(rows).toEqual([
      [0, 0n, 0, '0.00'],
      [0, 0n, 0.01, '0.01'],
      [10, 10n, 10, '10.00'],
      [10, 10n, 10.01, '10.01'],
    ]);
  });

  test('numbers', () => {
    expect(castValue(-1, INTEGER, BIGINT)).toBe(-1n);
    expect(castValue(2147483648n, BIGINT, INTEGER)).toBe(-2147483648);
    expect(castValue(2n ** 53n + 1n, BIGINT, DOUBLE)).toBe(2 ** 53);
    expect(castValue(-1.9, DOUBLE, INTEGER)).toBe(-1);
    expect(castValue(1e20, DOUBLE, INTEGER)).toBe(2147483647);
    expect(castValue(1e20, DOUBLE, BIGINT)).toBe(9223372036854775807n);
    expect(castValue(NaN, DOUBLE, BIGINT)).toBe(0n);
    expect(castValue(10.3, DOUBLE, STRING)).toBe('10.3');
    expect(castValue(1e7, DOUBLE, STRING)).toBe('1.0E7');
    expect(castValue(100.4, DOUBLE, DOUBLE)).toBe(100.4);
    expect(castValue(7, INTEGER, DOUBLE)).toBe(7);
    expect(castValue(101n, BIGINT, STRING)).toBe('101');
  });

  test('strings to numbers and booleans', () => {
    expect(castValue(' 42 ', STRING, INTEGER)).toBe(42);
    expect(castValue('+42', STRING, INTEGER)).toBe(42);
    expect(() => castValue('2147483648', STRING, INTEGER)).toThrow(new SqlValueError('For input string: "2147483648"'));
    expect(() => castValue('1.0', STRING, INTEGER)).toThrow(SqlValueError);
    expect(castValue('9223372036854775807', STRING, BIGINT)).toBe(9223372036854775807n);
    expect(() => castValue('9223372036854775808', STRING, BIGINT)).toThrow(SqlValueError);
    expect(castValue(' 1.5e2 ', STRING, DOUBLE)).toBe(150);
    expect(() => castValue('1.5d', STRING, DOUBLE)).toThrow(SqlValueError);
    expect(castValue(' true ', STRING, BOOLEAN)).toBe(true);
    expect(castValue('YES', STRING, BOOLEAN)).toBe(true);
    expect(castValue('false', STRING, BOOLEAN)).toBe(false);
    expect(castValue('hello', STRING, BOOLEAN)).toBe(false);
    expect(castValue(true, BOOLEAN, STRING)).toBe('true');
  });

  test('temporal casts (timestamp.json, time.json, date.json, cast.json)', () => {
    expect(castValue(10, TIMESTAMP, STRING)).toBe('1970-01-01T00:00:00.010');
    expect(castValue('1970-01-01T00:00:00.010', STRING, TIMESTAMP)).toBe(10);
    expect(castValue('1970-01-01T00:00:01', STRING, TIMESTAMP)).toBe(1000);
    expect(castValue('2022-04-28T21:44:47.943Z', STRING, TIMESTAMP)).toBe(1651182287943);
    expect(() => castValue('foo', STRING, TIMESTAMP)).toThrow(SqlValueError);
    expect(castValue(5000, TIME, STRING)).toBe('00:00:05');
    expect(['00:00:00.010', '00:00:01', '00:01'].map((s) => castValue(s, STRING, TIME))).toEqual([10, 1000, 60000]);
    expect([5000, -2000, 86400100].map((t) => castValue(t, TIMESTAMP, TIME))).toEqual([5000, 86398000, 100]);
    expect([10, -1, 4].map((v) => castValue(v, DATE, STRING))).toEqual(['1970-01-11', '1969-12-31', '1970-01-05']);
    expect(['1970-01-10', '1970-01', '1969-12-31'].map((s) => castValue(s, STRING, DATE))).toEqual([9, 0, -1]);
    expect([5000, -2000, 86400100].map((t) => castValue(t, TIMESTAMP, DATE))).toEqual([0, -1, 1]);
    expect(castValue(10, DATE, TIMESTAMP)).toBe(864000000);
  });

  test('strings to bytes are strict base64', () => {
    expect(Array.from(castValue('AQID', STRING, BYTES) as Uint8Array)).toEqual([1, 2, 3]);
    expect(Array.from(castValue(' AQ== ', STRING, BYTES) as Uint8Array)).toEqual([1]);
    expect(Array.from(decodeBase64('AQ'))).toEqual([1]);
    expect(() => castValue('A', STRING, BYTES)).toThrow(SqlValueError);
    expect(() => castValue('AQ=', STRING, BYTES)).toThrow(SqlValueError);
    expect(() => castValue('A*ID', STRING, BYTES)).toThrow(SqlValueError);
  });

  test('unsupported casts throw the type error', () => {
    expect(() => castValue('x', STRING, array(INTEGER))).toThrow(SqlTypeError);
    expect(() => castValue(new Uint8Array([1]), BYTES, STRING)).toThrow(SqlTypeError);
  });
});

describe('helpers', () => {
  test('doubleToInt and doubleToLong follow Java narrowing', () => {
    expect(doubleToInt(-0.5)).toBe(0);
    expect(Object.is(doubleToInt(-0.5), 0)).toBe(true);
    expect(doubleToInt(-1e20)).toBe(-2147483648);
    expect(doubleToInt(NaN)).toBe(0);
    expect(doubleToLong(-1e20)).toBe(-9223372036854775808n);
    expect(doubleToLong(123.9)).toBe(123n);
    expect(doubleToLong(-Infinity)).toBe(-9223372036854775808n);
  });

  test('parseJavaInteger', () => {
    expect(parseJavaInteger('-2147483648', 32)).toBe(-2147483648n);
    expect(() => parseJavaInteger('', 32)).toThrow(SqlValueError);
    expect(() => parseJavaInteger('1_000', 64)).toThrow(SqlValueError);
  });

  test('boolean parsing', () => {
    expect(parseBooleanExact('')).toBeUndefined();
    expect(parseBooleanExact('n')).toBe(false);
    expect(parseBooleanExact('trueish')).toBeUndefined();
    expect(parseBooleanLenient('')).toBe(false);
    expect(parseBooleanLenient('t')).toBe(true);
  });

  test('valueToJavaString of every kind', () => {
    expect(valueToJavaString(null, INTEGER)).toBe('null');
    expect(valueToJavaString(false, BOOLEAN)).toBe('false');
    expect(valueToJavaString(5n, BIGINT)).toBe('5');
    expect(valueToJavaString(new Uint8Array(3), BYTES)).toBe('java.nio.HeapByteBuffer[pos=0 lim=3 cap=3]');
    expect(valueToJavaString(10, DATE)).toBe('1970-01-11');
    expect(valueToJavaString(5000, TIME)).toBe('00:00:05');
    expect(valueToJavaString(10, TIMESTAMP)).toBe('1970-01-01 00:00:00.01');
    expect(
      valueToJavaString(
        new Map([
          ['a', [1, 2]],
          ['b', null],
        ]),
        map(STRING, array(INTEGER)),
      ),
    ).toBe('{a=[1, 2], b=null}');
    expect(
      valueToJavaString({ S: { X: 'y' } }, struct([field('S', struct([field('X', STRING)])), field('T', INTEGER)])),
    ).toBe('Struct{S=Struct{X=y}}');
  });
});
