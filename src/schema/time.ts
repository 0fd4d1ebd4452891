/**
 * DATE / TIME / TIMESTAMP text conversions as ksqlDB does them (SqlTimeTypes and its
 * partial-timestamp parser). All in UTC; values use the representation of types.ts:
 * DATE = days since epoch, TIME = millis of day, TIMESTAMP = epoch millis.
 */
import { SqlValueError } from './errors.js';

export const MILLIS_PER_DAY = 86_400_000;

const TIME_PATTERN = 'HH:mm:ss.SSS';
const TIMESTAMP_TEXT = /^(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})$/;
const ISO_LOCAL_DATE = /^([+-]\d{5,}|\d{4})-(\d{2})-(\d{2})$/;
const ISO_LOCAL_TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const OFFSET = /^([+-])(\d{1,2})(?::?(\d{2})(?::?(\d{2}))?)?$/;

/**
 * Parse a timestamp like ksqlDB: "yyyy-MM-dd'T'HH:mm:ss.SSS" with an optional offset
 * ("+0200", "-05:00") or trailing "Z"; partial forms are completed ("2020-05",
 * "2020-05-26T10", "2020-05-26T10:15"). Returns epoch millis.
 */
export function parseTimestamp(text: string): number {
  let date: string;
  let time: string;
  let zone: string;
  const t = text.indexOf('T');
  if (t >= 0) {
    date = text.slice(0, t);
    const withZone = text.slice(t + 1);
    zone = zoneSuffix(withZone);
    time = completeTime(withZone.slice(0, withZone.length - zone.length).replace(/Z$/, ''));
  } else {
    date = completeDate(text);
    time = completeTime('');
    zone = '';
  }
  const m = TIMESTAMP_TEXT.exec(`${date}T${time}`);
  const offsetMillis = parseOffset(zone);
  if (!m || offsetMillis === undefined) throw timestampError(text);
  const [year, month, rawDay, hour, minute, second, millis] = m.slice(1).map(Number);
  if (year < 1 || month < 1 || month > 12 || rawDay < 1 || rawDay > 31) throw timestampError(text);
  if (hour > 23 || minute > 59 || second > 59) throw timestampError(text);
  // Java's SMART resolver clamps an over-long day-of-month to the month's last day.
  const day = Math.min(rawDay, daysInMonth(year, month));
  const days = daysFromCivil(year, month, day);
  return days * MILLIS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millis - offsetMillis;
}

/** Parse an ISO local date ("2020-05-26", or partial "2020-05", "2020"); returns epoch days. */
export function parseDate(text: string): number {
  const m = ISO_LOCAL_DATE.exec(completeDate(text));
  if (m) {
    const [year, month, day] = m.slice(1).map(Number);
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) {
      return daysFromCivil(year, month, day);
    }
  }
  throw new SqlValueError(
    `Failed to parse date '${text}'. Required format is: "yyyy-MM-dd", for example '2020-05-26'. ` +
      `Partials are also supported, for example '2020-05'`,
  );
}

/** Parse an ISO local time ("01:34:20.123", "01:34:20", "01:34"); returns millis of day. */
export function parseTime(text: string): number {
  const m = ISO_LOCAL_TIME.exec(text);
  if (m) {
    const [hour, minute, second] = [m[1], m[2], m[3] ?? '0'].map(Number);
    const millis = Number((m[4] ?? '').padEnd(3, '0').slice(0, 3));
    if (hour <= 23 && minute <= 59 && second <= 59) {
      return ((hour * 60 + minute) * 60 + second) * 1000 + millis;
    }
  }
  throw new SqlValueError(
    `Failed to parse time '${text}'. Required format is: "HH:mm:ss.SSS", ` +
      `for example: '01:34:20.123' or '01:34:20'. Partials are also supported, for example '01:34'`,
  );
}

/** "yyyy-MM-dd'T'HH:mm:ss.SSS" in UTC, as CAST(timestamp AS STRING). */
export function formatTimestamp(epochMillis: number): string {
  const days = Math.floor(epochMillis / MILLIS_PER_DAY);
  const [year, month, day] = civilFromDays(days);
  return `${formatYearOfEra(year)}-${pad2(month)}-${pad2(day)}T${formatMillisOfDay(epochMillis - days * MILLIS_PER_DAY)}`;
}

/** LocalTime.toString() at second precision ("00:00:05", or "00:01" when seconds are 0). */
export function formatTime(millisOfDay: number): string {
  const seconds = Math.trunc(millisOfDay / 1000);
  const hh = pad2(Math.floor(seconds / 3600));
  const mm = pad2(Math.floor(seconds / 60) % 60);
  const ss = seconds % 60;
  return ss === 0 ? `${hh}:${mm}` : `${hh}:${mm}:${pad2(ss)}`;
}

/** LocalDate.toString(): "yyyy-MM-dd" ("+yyyyy" past 9999, "-yyyy" before year 0). */
export function formatDate(epochDays: number): string {
  const [year, month, day] = civilFromDays(epochDays);
  let y: string;
  if (year > 9999) y = `+${year}`;
  else if (year < 0) y = `-${String(-year).padStart(4, '0')}`;
  else y = String(year).padStart(4, '0');
  return `${y}-${pad2(month)}-${pad2(day)}`;
}

export function timestampToDate(epochMillis: number): number {
  return Math.floor(epochMillis / MILLIS_PER_DAY);
}

export function timestampToTime(epochMillis: number): number {
  return epochMillis - Math.floor(epochMillis / MILLIS_PER_DAY) * MILLIS_PER_DAY;
}

export function dateToTimestamp(epochDays: number): number {
  return epochDays * MILLIS_PER_DAY;
}

/** java.sql.Date.toString() (JVM in UTC): how a DATE prints inside a collection. */
export function javaSqlDateString(epochDays: number): string {
  const [year, month, day] = civilFromDays(epochDays);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** java.sql.Time.toString(): "HH:mm:ss". */
export function javaSqlTimeString(millisOfDay: number): string {
  const seconds = Math.floor(millisOfDay / 1000);
  return `${pad2(Math.floor(seconds / 3600) % 24)}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}`;
}

/** java.sql.Timestamp.toString(): "yyyy-MM-dd HH:mm:ss.f" with trailing zeros of the fraction removed. */
export function javaSqlTimestampString(epochMillis: number): string {
  const days = Math.floor(epochMillis / MILLIS_PER_DAY);
  const millisOfDay = epochMillis - days * MILLIS_PER_DAY;
  const fraction = String(millisOfDay % 1000).padStart(3, '0').replace(/0+$/, '') || '0';
  return `${javaSqlDateString(days)} ${javaSqlTimeString(millisOfDay)}.${fraction}`;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** [year, month, day] of a day count since 1970-01-01. */
export function civilFromDays(epochDays: number): [number, number, number] {
  const z = epochDays + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

function completeDate(date: string): string {
  // Java's String.split drops trailing empty parts.
  const parts = date.split('-');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 1) return `${date}-01-01`;
  if (parts.length === 2) return `${date}-01`;
  return date;
}

function completeTime(time: string): string {
  if (time.length >= TIME_PATTERN.length) return time;
  return time + TIME_PATTERN.slice(time.length).replace(/[a-zA-Z]/g, '0');
}

function zoneSuffix(time: string): string {
  const plus = time.indexOf('+');
  if (plus >= 0) return time.slice(plus);
  const minus = time.indexOf('-');
  return minus >= 0 ? time.slice(minus) : '';
}

/** Millis east of UTC for "+h", "+hh", "+hhmm", "+hh:mm", "+hhmmss", "+hh:mm:ss"; '' is UTC. */
function parseOffset(zone: string): number | undefined {
  if (zone.trim() === '') return 0;
  const m = OFFSET.exec(zone);
  if (!m) return undefined;
  const [hours, minutes, seconds] = [m[2], m[3] ?? '0', m[4] ?? '0'].map(Number);
  if (hours > 18 || minutes > 59 || seconds > 59) return undefined;
  const total = (hours * 3600 + minutes * 60 + seconds) * 1000;
  return m[1] === '-' ? -total : total;
}

function timestampError(text: string): SqlValueError {
  return new SqlValueError(
    `Failed to parse timestamp '${text}'. Required format is: "yyyy-MM-dd'T'HH:mm:ss.SSS", ` +
      `with an optional numeric 4-digit timezone, for example: '2020-05-26T23:59:58.000' or with tz: ` +
      `'2020-05-26T23:59:58.000+0200'. A trailing 'Z' instead of tz indicates the zero UTC offset. ` +
      `Partials are also supported, for example "2020-05-26"`,
  );
}

function formatMillisOfDay(millisOfDay: number): string {
  const seconds = Math.floor(millisOfDay / 1000);
  return (
    `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}` +
    `.${String(millisOfDay % 1000).padStart(3, '0')}`
  );
}

/** Pattern letters "yyyy" print the year of era (no sign, 1 BC is year 1), '+' past 4 digits. */
function formatYearOfEra(year: number): string {
  const yearOfEra = year <= 0 ? 1 - year : year;
  const text = String(yearOfEra).padStart(4, '0');
  return yearOfEra > 9999 ? `+${text}` : text;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
