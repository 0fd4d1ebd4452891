import { compileDateTimePattern, DEFAULT_ZONE, offsetSecondsAt, timestampPattern, zoneOf } from '../../src/functions/datetime.js';
import { FunctionValueError, type ArgShape } from '../../src/functions/index.js';
import { daysFromCivil } from '../../src/schema/index.js';
import { fn, registry, t } from './calls.js';

/** DATEADD-style calls: the unit is a keyword argument. */
function shift(name: string, unit: string, kind: string): (interval: number | null, value: number | null) => unknown {
  const args: ArgShape[] = [{ kind: 'intervalUnit', unit }, { kind: 'value', type: t('INTEGER') }, { kind: 'value', type: t(kind) }];
  const call = registry.resolveScalar(name, args);
  return (interval, value) => call.invoke([unit, interval, value]);
}

function failsToNull(f: () => unknown): void {
  expect(f).toThrow(FunctionValueError);
}

const day = (y: number, m: number, d: number): number => daysFromCivil(y, m, d);

describe('pattern compiler', () => {
  const p = (pattern: string) => compileDateTimePattern(pattern, { caseInsensitive: true });

  it('formats dates, times and timestamps as DateTimeFormatter does', () => {
    expect(p('yyyy-MM-dd').formatDate(17662)).toBe('2018-05-11');
    expect(p('dd/MM/yyyy').formatDate(18027)).toBe('11/05/2019');
    expect(p('dd-MMM-yyyy').formatDate(18993)).toBe('01-Jan-2022');
    expect(p("dd-MM-yyyy'Sophia'").formatDate(-1)).toBe('31-12-1969Sophia');
    expect(p('EEEE d MMMM uuuu, D, QQQ, QQQQ, G').formatDate(day(2020, 2, 29))).toBe('Saturday 29 February 2020, 60, Q1, 1st quarter, AD');
    expect(p('E EEEEE MMMMM yy').formatDate(day(1999, 12, 31))).toBe('Fri F D 99');
    expect(p('HH_mm_ss_SSS').formatTime(65000)).toBe('00_01_05_000');
    expect(p("HHmmss'AAAAA'").formatTime(1234567)).toBe('002034AAAAA');
    expect(p('hh:mm a, K k, A, n, SS').formatTime(13 * 3600_000 + 5)).toBe('01:00 PM, 1 13, 46800005, 5000000, 00');
    expect(p('h:m:s a').formatTime(0)).toBe('12:0:0 AM');
  });

  it('prints week-based fields for Sunday-first weeks (the en_US JVM locale)', () => {
    // 2021-01-01 is a Friday: week 1 of 2021; 2020-12-27 (Sunday) starts that week.
    expect(p('YYYY ww e c W').formatDate(day(2021, 1, 1))).toBe('2021 01 6 6 1');
    expect(p('YYYY w').formatDate(day(2020, 12, 27))).toBe('2021 1');
    expect(p('YYYY w').formatDate(day(2020, 12, 26))).toBe('2020 52');
  });

  it('prints offsets and zones', () => {
    const la = zoneOf('America/Los_Angeles');
    const ts = 1526075913000; // 2018-05-11T21:58:33Z
    expect(p('yyyy-MM-dd HH:mm:ss zzz').formatTimestamp(ts, la)).toBe('2018-05-11 14:58:33 PDT');
    expect(p('zzzz VV O OOOO').formatTimestamp(ts, la)).toBe('Pacific Daylight Time America/Los_Angeles GMT-7 GMT-07:00');
    expect(p('X XX XXX XXXX XXXXX').formatTimestamp(ts, la)).toBe('-07 -0700 -07:00 -0700 -07:00');
    expect(p('x xx xxx Z ZZZZ ZZZZZ').formatTimestamp(ts, zoneOf('UTC'))).toBe('+00 +0000 +00:00 +0000 GMT Z');
    expect(p('X').formatTimestamp(ts, zoneOf('UTC'))).toBe('Z');
    expect(p('X').formatTimestamp(ts, zoneOf('+05:30'))).toBe('+0530');
    expect(p('yyyy-MM-dd HH:mm:ss zzz').formatTimestamp(ts, zoneOf('Europe/London'))).toBe('2018-05-11 22:58:33 BST');
    expect(p('z v vvvv').formatTimestamp(0, zoneOf('America/New_York'))).toBe('EST ET Eastern Time');
    expect(p('z VV').formatTimestamp(0, zoneOf('+02:00'))).toBe('+02:00 +02:00');
    expect(p('z').formatTimestamp(0, DEFAULT_ZONE)).toBe('UTC');
  });

  it('handles literals, quotes, optional sections and padding', () => {
    expect(p("yyyy-MM-dd'T'HH:mm:ss.SSSX").formatTimestamp(10, DEFAULT_ZONE)).toBe('1970-01-01T00:00:00.010Z');
    expect(p("''yyyy'''s'").formatDate(0)).toBe("'1970's");
    expect(p('yyyy-MM-dd[ HH:mm]').formatDate(0)).toBe('1970-01-01');
    expect(p('yyyy-MM-dd[ HH:mm]').formatTimestamp(60_000, DEFAULT_ZONE)).toBe('1970-01-01 00:01');
    expect(p('ppd/M').formatDate(day(2020, 3, 4))).toBe(' 4/3');
    expect(p('yyyy-MM-dd[ HH:mm]').parseDate('2020-03-04')).toBe(day(2020, 3, 4));
    expect(p('yyyy-MM-dd[ HH:mm]').parseTimestamp('2020-03-04 10:11', DEFAULT_ZONE)).toBe(Date.UTC(2020, 2, 4, 10, 11));
  });

  it('rejects invalid patterns with Java messages', () => {
    expect(() => p('yyyy-MM-dd b')).toThrow('Unknown pattern letter: b');
    expect(() => p("yyyy'T")).toThrow('Pattern ends with an incomplete string literal');
    expect(() => p('HHH')).toThrow('Too many pattern letters: H');
    expect(() => p('yyyy]')).toThrow('Pattern invalid as it contains ] without previous [');
    expect(() => p('yyyy{')).toThrow("Pattern includes reserved character: '{'");
    expect(() => p('V')).toThrow('Pattern letter count must be 2: V');
  });

  it('fails to format fields the value does not have', () => {
    expect(() => p('yyyy HH').formatDate(0)).toThrow('Unsupported field: HourOfDay');
    expect(() => p('HH dd').formatTime(0)).toThrow('Unsupported field: DayOfMonth');
    expect(() => p('yyyy z').formatDate(0)).toThrow('Unable to extract ZoneId from temporal 1970-01-01');
  });

  it('parses adjacent values without separators', () => {
    expect(p('yyyyMMdd').parseDate('20180511')).toBe(17662);
    expect(p('yyyyMMddHHmmssSSS').parseTimestamp('20180511215833123', DEFAULT_ZONE)).toBe(1526075913123);
    expect(() => p('yyyyMMdd').parseDate('foo')).toThrow("Text 'foo' could not be parsed at index 0");
  });

  it('parses strictly: widths, signs and leftovers', () => {
    expect(() => p('yyyy-MM-dd').parseDate('2004')).toThrow("Text '2004' could not be parsed at index 4");
    expect(() => p('yyyy-MM-dd').parseDate('2004-01-01x')).toThrow('unparsed text found at index 10');
    expect(() => p('yyyy-MM-dd').parseDate('04-01-01')).toThrow('could not be parsed at index 0');
    expect(p('yy-MM-dd').parseDate('10-04-19')).toBe(day(2010, 4, 19));
    expect(p('uuuu-MM-dd').parseDate('-0001-01-01')).toBe(day(-1, 1, 1));
    expect(p('yyyy-M-d').parseDate('2020-2-9')).toBe(day(2020, 2, 9));
  });

  it('resolves like ResolverStyle.SMART', () => {
    expect(p('yyyy-MM-dd').parseDate('2019-02-31')).toBe(day(2019, 2, 28));
    expect(() => p('yyyy-MM-dd').parseDate('2019-13-01')).toThrow('Invalid value for MonthOfYear (valid values 1 - 12): 13');
    expect(() => p('yyyy-MM-dd').parseDate('2019-01-32')).toThrow('Invalid value for DayOfMonth');
    expect(p('yyyy-DDD').parseDate('2020-366')).toBe(day(2020, 12, 31));
    expect(() => p('yyyy-DDD').parseDate('2019-366')).toThrow('not a leap year');
    expect(p('yyyy-MM-dd HH:mm').parseTimestamp('2020-01-01 24:00', DEFAULT_ZONE)).toBe(Date.UTC(2020, 0, 2));
    expect(() => p('yyyy-MM-dd EEE').parseDate('2020-01-01 Thu')).toThrow('Conflict found');
    expect(p('yyyy-MM-dd EEE').parseDate('2020-01-01 Wed')).toBe(day(2020, 1, 1));
    expect(p('dd MMMM yyyy G').parseDate('01 january 0001 BC')).toBe(day(0, 1, 1));
  });

  it('parses offsets and zones', () => {
    const parse = (pattern: string, text: string) => p(pattern).parseTimestamp(text, DEFAULT_ZONE);
    expect(parse('yyyy-MM-dd HH:mmX', '1970-01-01 00:00+0130')).toBe(-5_400_000);
    expect(parse('yyyy-MM-dd HH:mmX', '1970-01-01 00:00+01')).toBe(-3_600_000);
    expect(parse('yyyy-MM-dd HH:mmXXX', '1970-01-01 00:00-05:00')).toBe(18_000_000);
    expect(parse('yyyy-MM-dd HH:mmX', '1970-01-01 00:00Z')).toBe(0);
    expect(parse('yyyy-MM-dd HH:mmZ', '1970-01-01 00:00+0000')).toBe(0);
    expect(parse('yyyy-MM-dd HH:mm VV', '1970-01-01 00:00 Europe/Paris')).toBe(-3_600_000);
    expect(parse('yyyy-MM-dd HH:mm VV', '1970-01-01 00:00 UTC+01:00')).toBe(-3_600_000);
    expect(parse('yyyy-MM-dd HH:mm z', '2018-01-11 21:58 PST')).toBe(Date.UTC(2018, 0, 12, 5, 58));
    expect(parse('yyyy-MM-dd HH:mm zzzz', '2018-05-11 21:58 Pacific Daylight Time')).toBe(Date.UTC(2018, 4, 12, 4, 58));
    expect(parse('yyyy-MM-dd HH:mm O', '1970-01-01 00:00 GMT+2')).toBe(-7_200_000);
  });

  it('resolves local times in gaps and overlaps as ZonedDateTime.ofLocal does', () => {
    const la = zoneOf('America/Los_Angeles');
    const parse = (text: string) => p('yyyy-MM-dd HH:mm').parseTimestamp(text, la);
    // 2021-03-14 02:30 does not exist in Los Angeles: it moves to 03:30 PDT.
    expect(parse('2021-03-14 02:30')).toBe(Date.UTC(2021, 2, 14, 10, 30));
    // 2021-11-07 01:30 happens twice. With the zone in the text, Parsed resolves the instant with
    // the earlier offset (PDT); with a default zone, the offset carried over from 1970 (PST) stays,
    // as ZonedDateTime.with keeps a still-valid offset.
    expect(p('yyyy-MM-dd HH:mm VV').parseTimestamp('2021-11-07 01:30 America/Los_Angeles', DEFAULT_ZONE)).toBe(Date.UTC(2021, 10, 7, 8, 30));
    expect(parse('2021-11-07 01:30')).toBe(Date.UTC(2021, 10, 7, 9, 30));
  });

  it('applies partial fields over 1970-01-01T00:00 (StringToTimestampParser)', () => {
    const parse = (pattern: string, text: string) => p(pattern).parseTimestamp(text, DEFAULT_ZONE);
    expect(parse('HH:mm', '10:15')).toBe(10 * 3600_000 + 15 * 60_000);
    expect(parse('MM-dd', '03-04')).toBe(Date.UTC(1970, 2, 4));
    expect(parse('yyyy', '2020')).toBe(Date.UTC(2020, 0, 1));
    expect(parse('hh:mm', '01:30')).toBe(90 * 60_000);
    expect(parse('yyyy DDD', '2020 366')).toBe(Date.UTC(2020, 11, 31));
    expect(() => parse('DDD', '366')).toThrow('Leap day cannot be parsed without supplying the year field');
  });
});

describe('Java specifics', () => {
  const en = (pattern: string) => compileDateTimePattern(pattern, { caseInsensitive: true });
  const root = (pattern: string) => compileDateTimePattern(pattern, { caseInsensitive: true, locale: 'ROOT' });

  it('prints zone names as Java does, not as CLDR does', () => {
    const ts = 1526075913000;
    expect(en('z|zzzz|v|vvvv').formatTimestamp(ts, zoneOf('Asia/Tokyo'))).toBe('JST|Japan Standard Time|JT|Japan Time');
    expect(en('z|v').formatTimestamp(ts, zoneOf('Africa/Nairobi'))).toBe('EAT|EAT');
    expect(en('z|v|vvvv').formatTimestamp(ts, zoneOf('Pacific/Auckland'))).toBe('NZST|NZT|New Zealand Time');
    expect(en('z|zzzz').formatTimestamp(ts, zoneOf('Etc/GMT+5'))).toBe('GMT-05:00|GMT-05:00');
    expect(en('z').formatTimestamp(ts, zoneOf('UTC+01:00'))).toBe('UTC+01:00');
  });

  it('uses Locale.ROOT names in StringToTimestampParser', () => {
    expect(root('EEEE MMMM QQQQ GGGG').parseTimestamp('Fri Jan Q1 CE', DEFAULT_ZONE)).toBe(Date.UTC(1970, 0, 2));
    expect(() => root('EEEE').parseTimestamp('Friday', DEFAULT_ZONE)).toThrow('could not be parsed');
  });

  it('parses a narrow name shared by several values as the last of them', () => {
    // "S" is Saturday and Sunday: Java's reverse lookup keeps Sunday; 1970-01-04 was a Sunday.
    expect(root('EEEEE').parseTimestamp('S', DEFAULT_ZONE)).toBe(Date.UTC(1970, 0, 4));
  });

  it('reads AM or PM alone as the middle of the half day (JDK 16+)', () => {
    expect(en('a').parseTime('PM')).toBe(18 * 3600_000);
    expect(root('yyyy-MM-dd a').parseTimestamp('2020-01-01 AM', DEFAULT_ZONE)).toBe(Date.UTC(2020, 0, 1, 6));
    expect(root('a mm').parseTimestamp('PM 30', DEFAULT_ZONE)).toBe(Date.UTC(1970, 0, 1, 12, 30));
  });

  it('resolves week-based fields (Sunday-first weeks)', () => {
    expect(en("YYYY-'W'ww-e").parseDate('2021-W01-6')).toBe(day(2021, 1, 1));
    // 2020 has 52 such weeks: week 53 is clamped to week 52, as WeekFields does.
    expect(en("YYYY-'W'ww-e").parseDate('2020-W53-1')).toBe(day(2020, 12, 20));
    expect(en('yyyy-MM W e').parseDate('2021-03 2 2')).toBe(day(2021, 3, 8));
    expect(root('e').parseTimestamp('1', DEFAULT_ZONE)).toBe(Date.UTC(1970, 0, 4));
  });

  it('offers the StringToTimestampParser formatter to the runtime (TIMESTAMP_FORMAT)', () => {
    const pattern = timestampPattern('yy-MM-dd HH:mm:ssX');
    expect(pattern).toBe(timestampPattern('yy-MM-dd HH:mm:ssX'));
    expect(pattern.parseTimestamp('10-04-19 12:00:17Z', DEFAULT_ZONE)).toBe(1271678417000);
    expect(() => pattern.parseTimestamp('!!!!!!!!!!!!!!!!!', DEFAULT_ZONE)).toThrow('could not be parsed');
  });

  it('parses the text for a zero offset first', () => {
    expect(() => en('yyyy-MM-dd HH:mmx').parseDate('2020-01-01 10:00+0030')).toThrow('unparsed text');
    expect(en('yyyy-MM-dd HH:mmx').parseTimestamp('2020-01-01 10:00+0530', DEFAULT_ZONE)).toBe(Date.UTC(2020, 0, 1, 4, 30));
  });

  it('gives zone abbreviations the zones Java picks (PST is SystemV/PST8PDT)', () => {
    const parse = (text: string) => root('yyyy-MM-dd HH:mm z').parseTimestamp(text, DEFAULT_ZONE);
    // SystemV/PST8PDT keeps the pre-1987 US rule: daylight time from the last Sunday of April.
    expect(parse('2021-04-05 12:00 PST')).toBe(Date.UTC(2021, 3, 5, 20));
    expect(parse('2021-05-05 12:00 PST')).toBe(Date.UTC(2021, 4, 5, 19));
    expect(parse('2021-03-05 12:00 CET')).toBe(Date.UTC(2021, 2, 5, 11));
    expect(parse('2021-03-05 12:00 IST')).toBe(Date.UTC(2021, 2, 5, 6, 30));
  });
});

describe('zones', () => {
  it('accepts what ZoneId.of accepts', () => {
    expect(zoneOf('+0200').id).toBe('+02:00');
    expect(zoneOf('-5').id).toBe('-05:00');
    expect(zoneOf('Z').id).toBe('Z');
    expect(zoneOf('UTC+01:00').id).toBe('UTC+01:00');
    expect(zoneOf('GMT+0').id).toBe('GMT');
    expect(() => zoneOf('EST')).toThrow('Unknown time-zone ID: EST');
    expect(zoneOf('SystemV/PST8PDT').id).toBe('SystemV/PST8PDT');
    expect(zoneOf('Etc/GMT+5').id).toBe('Etc/GMT+5');
    expect(zoneOf('America/Los_Angeles').id).toBe('America/Los_Angeles');
    expect(() => zoneOf('PST')).toThrow('Unknown time-zone ID: PST');
    expect(() => zoneOf('america/los_angeles')).toThrow('Unknown time-zone ID');
    expect(() => zoneOf('Mars/Olympus')).toThrow('Unknown time-zone ID');
    expect(() => zoneOf('+19:00')).toThrow('Invalid ID for ZoneOffset');
    expect(() => zoneOf('1x')).toThrow('invalid format');
  });

  it('computes offsets with DST', () => {
    expect(offsetSecondsAt(zoneOf('America/Los_Angeles'), 1526075913000)).toBe(-7 * 3600);
    expect(offsetSecondsAt(zoneOf('America/Los_Angeles'), 0)).toBe(-8 * 3600);
    expect(offsetSecondsAt(zoneOf('Asia/Kolkata'), 0)).toBe(5.5 * 3600);
  });
});

describe('qtt: date and time conversions', () => {
  it('DATETOSTRING (datestring.json)', () => {
    const f = fn('DATETOSTRING', 'INTEGER', 'STRING');
    expect(f(17662, 'yyyy-MM-dd')).toBe('2018-05-11');
    expect(f(18027, 'dd/MM/yyyy')).toBe('11/05/2019');
    expect(f(18993, 'dd-MMM-yyyy')).toBe('01-Jan-2022');
    expect(f(0, 'dd-MM-yyyy')).toBe('01-01-1970');
    expect(f(-1, "dd-MM-yyyy'Sophia'")).toBe('31-12-1969Sophia');
    expect(f(null, 'yyyy')).toBeNull();
    failsToNull(() => f(0, 'yyyy HH'));
  });

  it('STRINGTODATE (stringdate.json)', () => {
    const f = fn('STRINGTODATE', 'STRING', 'STRING');
    expect(f('2018-05-11Lit', "yyyy-MM-dd'Lit'")).toBe(17662);
    expect(f('11/05/2019', 'dd/MM/yyyy')).toBe(18027);
    expect(f('01-Jan-2022', 'dd-MMM-yyyy')).toBe(18993);
    expect(f('01-JAN-2022', 'dd-MMM-yyyy')).toBe(18993);
    expect(f('01-01-1970', 'dd-MM-yyyy')).toBe(0);
    failsToNull(() => f('foo', 'yyyyMMdd'));
  });

  it('PARSE_TIMESTAMP and STRINGTOTIMESTAMP (stringtimestamp.json, timestampformat.json)', () => {
    const parse = fn('PARSE_TIMESTAMP', 'STRING', 'STRING');
    expect(parse('2018-05-11T21:58:33', "yyyy-MM-dd'T'HH:mm:ss")).toBe(1526075913000);
    expect(parse('2020-05-11T21:58:33', "yyyy-MM-dd'T'HH:mm:ss")).toBe(1589234313000);
    expect(parse('2018-05-11T21:58:33 PST', "yyyy-MM-dd'T'HH:mm:ss zzz")).toBe(1526101113000);
    expect(parse('2019-05-11T21:58:33 PST', "yyyy-MM-dd'T'HH:mm:ss zzz")).toBe(1557637113000);
    expect(parse('2020-05-11T21:58:33 PST', "yyyy-MM-dd'T'HH:mm:ss zzz")).toBe(1589259513000);
    const stringToTimestamp = fn('STRINGTOTIMESTAMP', 'STRING', 'STRING');
    expect(stringToTimestamp('2018-05-11T21:58:33Z', "yyyy-MM-dd'T'HH:mm:ssX")).toBe(1526075913000n);
    expect(stringToTimestamp('2019-08-27T13:31:09.2+0000', "yyyy-MM-dd'T'HH:mm:ss.SX")).toBe(1566912669200n);
    expect(stringToTimestamp('10-04-19 12:00:17Z', 'yy-MM-dd HH:mm:ssX')).toBe(1271678417000n);
    failsToNull(() => stringToTimestamp('not a timestamp', "yyyy-MM-dd'T'HH:mm:ssX"));
    const inZone = fn('STRINGTOTIMESTAMP', 'STRING', 'STRING', 'STRING');
    expect(inZone('2018-05-11 21:58:33', 'yyyy-MM-dd HH:mm:ss', 'America/Los_Angeles')).toBe(1526101113000n);
    expect(inZone('2018-05-11 21:58:33Z', 'yyyy-MM-dd HH:mm:ssX', 'America/Los_Angeles')).toBe(1526075913000n);
    failsToNull(() => inZone('2018-05-11 21:58:33', 'yyyy-MM-dd HH:mm:ss', 'Nowhere/Else'));
  });

  it('TIMESTAMPTOSTRING and FORMAT_TIMESTAMP (timestamp-to-string.json)', () => {
    const toString = fn('TIMESTAMPTOSTRING', 'BIGINT', 'STRING', 'STRING');
    expect(toString(1526075913000n, 'yyyy-MM-dd HH:mm:ss zzz', 'America/Los_Angeles')).toBe('2018-05-11 14:58:33 PDT');
    expect(toString(1526075913000n, 'yyyy-MM-dd HH:mm:ss zzz', 'Europe/London')).toBe('2018-05-11 22:58:33 BST');
    const format = fn('FORMAT_TIMESTAMP', 'TIMESTAMP', 'STRING', 'STRING');
    expect(format(1526075913000, 'yyyy-MM-dd HH:mm:ss zzz', 'America/Los_Angeles')).toBe('2018-05-11 14:58:33 PDT');
    expect(format(null, 'yyyy-MM-dd HH:mm:ss zzz', 'America/Los_Angeles')).toBeNull();
    const formatDefault = fn('FORMAT_TIMESTAMP', 'TIMESTAMP', 'STRING');
    expect(formatDefault(1526075913000, 'yyyy-MM-dd HH:mm:ss')).toBe('2018-05-11 21:58:33');
    // FORMAT_TIMESTAMP defaults to GMT, TIMESTAMPTOSTRING to the JVM zone (UTC).
    expect(formatDefault(0, 'z')).toBe('GMT');
    expect(fn('TIMESTAMPTOSTRING', 'BIGINT', 'STRING')(0n, 'z')).toBe('UTC');
  });

  it('FORMAT_TIME and PARSE_TIME (format-time.json, parse-time.json)', () => {
    const format = fn('FORMAT_TIME', 'TIME', 'STRING');
    expect(format(65000, 'HH_mm_ss_SSS')).toBe('00_01_05_000');
    expect(format(1234567, "HHmmss'AAAAA'")).toBe('002034AAAAA');
    expect(format(0, 'HH:mm:ss')).toBe('00:00:00');
    expect(format(null, 'HH:mm:ss')).toBeNull();
    const parse = fn('PARSE_TIME', 'STRING', 'STRING');
    expect(parse('00:01:05Lit', "HH:mm:ss'Lit'")).toBe(65000);
    expect(parse('11/05/19', 'HH/mm/ss')).toBe(39919000);
    expect(parse('01:00:00 PM', 'hh:mm:ss a')).toBe(46800000);
    expect(parse('01:00:00 Pm', 'hh:mm:ss a')).toBe(46800000);
    failsToNull(() => parse('2020-01-01 10:00', 'yyyy-MM-dd HH:mm'));
    failsToNull(() => parse('01:00', 'hh:mm'));
  });

  it('FORMAT_DATE and PARSE_DATE (cast.json, null.json)', () => {
    const parse = fn('PARSE_DATE', 'STRING', 'STRING');
    expect(parse('2003-12-24', 'yyyy-MM-dd')).toBe(12410);
    expect(parse('2004-01-01', 'yyyy-MM-dd')).toBe(12418);
    expect(parse('2022-02-02', 'yyyy-MM-dd')).toBe(day(2022, 2, 2));
    failsToNull(() => parse('2004', 'yyyy-MM-dd'));
    failsToNull(() => parse('abcd', 'yyyy-MM-dd'));
    failsToNull(() => parse('2004-01-01 10', 'yyyy-MM-dd HH'));
    // Text after the pattern is ignored, as ksqlDB's PARSE_DATE ignores it; text short of it is not.
    expect(parse('2003-12-24-01-01', 'yyyy-MM-dd')).toBe(12410);
    expect(parse('2004-01-01T10:00', 'yyyy-MM-dd')).toBe(12418);
    failsToNull(() => parse('2004-01', 'yyyy-MM-dd'));
    const format = fn('FORMAT_DATE', 'DATE', 'STRING');
    expect(format(12410, 'dd.MM.yyyy')).toBe('24.12.2003');
  });

  it('CONVERT_TZ (convert-tz.json)', () => {
    const byOffset = fn('CONVERT_TZ', 'TIMESTAMP', 'STRING', 'STRING');
    expect(byOffset(100, '+0200', '+0500')).toBe(10800100);
    expect(byOffset(1589234313000, '+0200', '+0500')).toBe(1589245113000);
    expect(byOffset(null, '+0200', '+0500')).toBeNull();
    expect(byOffset(100, 'America/Los_Angeles', 'America/New_York')).toBe(10800100);
    expect(byOffset(1589234313000, 'America/Los_Angeles', 'America/New_York')).toBe(1589245113000);
    failsToNull(() => byOffset(0, 'PST', 'UTC'));
  });

  it('FROM_UNIXTIME, FROM_DAYS, UNIX_DATE, UNIX_TIMESTAMP', () => {
    expect(fn('FROM_UNIXTIME', 'BIGINT')(1589234313000n)).toBe(1589234313000);
    expect(fn('FROM_UNIXTIME', 'BIGINT')(null)).toBeNull();
    expect(fn('FROM_DAYS', 'INTEGER')(-10)).toBe(-10);
    expect(fn('UNIX_DATE', 'DATE')(100)).toBe(100);
    expect(fn('UNIX_TIMESTAMP', 'TIMESTAMP')(1589234313000)).toBe(1589234313000n);
    const now = Date.now();
    expect(Number(fn('UNIX_TIMESTAMP')() as bigint)).toBeGreaterThanOrEqual(now);
    expect(fn('UNIX_DATE')()).toBe(Math.floor(Date.now() / 86_400_000));
  });
});

describe('qtt: date and time arithmetic', () => {
  it('DATEADD and DATESUB (dateadd.json, datesub.json)', () => {
    expect(shift('DATEADD', 'DAYS', 'DATE')(10, 10)).toBe(20);
    expect(shift('DATEADD', 'DAYS', 'DATE')(-5, 2)).toBe(-3);
    expect(shift('DATEADD', 'MILLISECONDS', 'DATE')(5, null)).toBeNull();
    expect(shift('DATEADD', 'MILLISECONDS', 'DATE')(null, 5)).toBeNull();
    expect(shift('DATESUB', 'DAYS', 'DATE')(10, 5)).toBe(-5);
    expect(shift('DATESUB', 'DAYS', 'DATE')(-5, -5)).toBe(0);
    // TimeUnit.toDays truncates toward zero: a millisecond before day 0 is still day 0.
    expect(shift('DATESUB', 'MILLISECONDS', 'DATE')(1, 0)).toBe(0);
    expect(shift('DATEADD', 'HOUR', 'DATE')(49, 0)).toBe(2);
  });

  it('TIMEADD and TIMESUB wrap around midnight (timeadd.json, timesub.json)', () => {
    expect(shift('TIMEADD', 'MILLISECONDS', 'TIME')(10, 10)).toBe(20);
    expect(shift('TIMEADD', 'MILLISECONDS', 'TIME')(10, 86399995)).toBe(5);
    expect(shift('TIMEADD', 'MILLISECONDS', 'TIME')(-5, 2)).toBe(86399997);
    expect(shift('TIMESUB', 'HOURS', 'TIME')(1, 0)).toBe(23 * 3600_000);
    expect(shift('TIMESUB', 'DAYS', 'TIME')(3, 1000)).toBe(1000);
    expect(shift('TIMESUB', 'MILLISECONDS', 'TIME')(null, 5)).toBeNull();
  });

  it('TIMESTAMPADD and TIMESTAMPSUB (timestampadd.json, timestampsub.json)', () => {
    expect(shift('TIMESTAMPADD', 'MILLISECONDS', 'TIMESTAMP')(10, 10)).toBe(20);
    expect(shift('TIMESTAMPADD', 'MILLISECONDS', 'TIMESTAMP')(-5, 2)).toBe(-3);
    expect(shift('TIMESTAMPSUB', 'MILLISECONDS', 'TIMESTAMP')(-5, -100)).toBe(-95);
    expect(shift('TIMESTAMPADD', 'SECONDS', 'TIMESTAMP')(2, 0)).toBe(2000);
    expect(shift('TIMESTAMPADD', 'MICROSECONDS', 'TIMESTAMP')(1999, 0)).toBe(1);
    expect(shift('TIMESTAMPSUB', 'MILLISECONDS', 'TIMESTAMP')(5, null)).toBeNull();
  });

  it('rejects a value where the unit goes', () => {
    expect(() => registry.resolveScalar('dateadd', [{ kind: 'value', type: t('DATE') }, { kind: 'value', type: t('INTEGER') }, { kind: 'value', type: t('DATE') }])).toThrow(
      "Function 'dateadd' does not accept parameters (DATE, INTEGER, DATE).",
    );
  });
});
