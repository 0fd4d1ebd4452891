import fc from 'fast-check';
import { SqlValueError } from '../../src/schema/errors.js';
import {
  civilFromDays,
  dateToTimestamp,
  daysFromCivil,
  formatDate,
  formatTime,
  formatTimestamp,
  javaSqlDateString,
  javaSqlTimeString,
  javaSqlTimestampString,
  parseDate,
  parseTime,
  parseTimestamp,
  timestampToDate,
  timestampToTime,
} from '../../src/schema/time.js';

describe('parseTimestamp', () => {
  test.each([
    ['1970-01-01T00:00:00.010', 10],
    ['1970-01-01T00:00:01', 1000],
    ['2022-04-28T21:44:47.943', 1651182287943],
    ['2022-04-28T21:44:47.943Z', 1651182287943],
    ['1970-01-01T00:00:00.000+0100', -3_600_000],
    ['1970-01-01T00:00:00-05:00', 18_000_000],
    ['1970-01-01T00:00+01:30', -5_400_000],
    ['1970', 0],
    ['1970-01', 0],
    ['1970-01-02', 86_400_000],
    ['1970-01-01T10', 36_000_000],
    ['1970-01-01T00:00:00.5', 500],
    ['2021-02-30T00:00', Date.UTC(2021, 1, 28)],
  ])('%s -> %d', (text, millis) => {
    expect(parseTimestamp(text)).toBe(millis);
  });

  test.each(['foo', '', '1970-01-01T25:00', '1970-13-01', '1970-01-32', '70-01-01', '1970-01-01T00:00:00.0001', '1970-1-1'])(
    'rejects %j',
    (text) => {
      expect(() => parseTimestamp(text)).toThrow(SqlValueError);
    },
  );
});

describe('parseDate and parseTime', () => {
  test.each([
    ['1970-01-10', 9],
    ['1970-01', 0],
    ['1970', 0],
    ['1969-12-31', -1],
    ['2020-02-29', 18321],
  ])('date %s -> %d', (text, days) => {
    expect(parseDate(text)).toBe(days);
  });

  test.each(['foo', '2021-02-29', '2021-02-30', '1970-01-01T00:00', '1970-1-1'])('rejects date %j', (text) => {
    expect(() => parseDate(text)).toThrow(SqlValueError);
  });

  test.each([
    ['00:00:00.010', 10],
    ['00:00:01', 1000],
    ['00:01', 60_000],
    ['12:00:00.123456', 43_200_123],
    ['23:59:59.999', 86_399_999],
  ])('time %s -> %d', (text, millis) => {
    expect(parseTime(text)).toBe(millis);
  });

  test.each(['foo', '24:00', '12', '1:00', '12:60'])('rejects time %j', (text) => {
    expect(() => parseTime(text)).toThrow(SqlValueError);
  });
});

describe('formatting', () => {
  test('timestamps as yyyy-MM-ddTHH:mm:ss.SSS in UTC', () => {
    expect(formatTimestamp(10)).toBe('1970-01-01T00:00:00.010');
    expect(formatTimestamp(1651182287943)).toBe('2022-04-28T21:44:47.943');
    expect(formatTimestamp(-1)).toBe('1969-12-31T23:59:59.999');
  });

  test('times like LocalTime.toString at second precision', () => {
    expect(formatTime(5000)).toBe('00:00:05');
    expect(formatTime(60_000)).toBe('00:01');
    expect(formatTime(0)).toBe('00:00');
    expect(formatTime(10)).toBe('00:00');
    expect(formatTime(86_399_999)).toBe('23:59:59');
  });

  test('dates like LocalDate.toString', () => {
    expect(formatDate(10)).toBe('1970-01-11');
    expect(formatDate(-1)).toBe('1969-12-31');
    expect(formatDate(4)).toBe('1970-01-05');
    expect(formatDate(daysFromCivil(10000, 1, 1))).toBe('+10000-01-01');
  });

  test('java.sql toString forms used inside collections', () => {
    expect(javaSqlDateString(10)).toBe('1970-01-11');
    expect(javaSqlTimeString(5000)).toBe('00:00:05');
    expect(javaSqlTimestampString(10)).toBe('1970-01-01 00:00:00.01');
    expect(javaSqlTimestampString(0)).toBe('1970-01-01 00:00:00.0');
    expect(javaSqlTimestampString(1651182287943)).toBe('2022-04-28 21:44:47.943');
  });
});

describe('conversions between temporal types', () => {
  test('timestamp -> date and time use floor division (UTC)', () => {
    expect(timestampToDate(5000)).toBe(0);
    expect(timestampToDate(-2000)).toBe(-1);
    expect(timestampToDate(86_400_100)).toBe(1);
    expect(timestampToTime(5000)).toBe(5000);
    expect(timestampToTime(-2000)).toBe(86_398_000);
    expect(timestampToTime(86_400_100)).toBe(100);
    expect(dateToTimestamp(10)).toBe(864_000_000);
  });

  test('civil date arithmetic agrees with the JS Date', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (days) => {
        const [y, m, dd] = civilFromDays(days);
        expect(daysFromCivil(y, m, dd)).toBe(days);
        const date = new Date(days * 86_400_000);
        expect([date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()]).toEqual([y, m, dd]);
      }),
    );
  });

  test('format then parse is the identity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253402300799999 }), (millis) => {
        expect(parseTimestamp(formatTimestamp(millis))).toBe(millis);
        expect(parseDate(formatDate(timestampToDate(millis)))).toBe(timestampToDate(millis));
      }),
    );
  });
});
