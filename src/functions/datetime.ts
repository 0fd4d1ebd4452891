/**
 * DATE / TIME / TIMESTAMP functions (ksqlDB's udf/datetime package) and what they rest on:
 *
 *  - time zones as java.time.ZoneId knows them (offsets, UTC/GMT prefixes, IANA regions through
 *    Intl, Java's SystemV zones), with ZonedDateTime's rules for local times in a gap or overlap;
 *  - a compiler for java.time.format.DateTimeFormatter patterns ("yyyy-MM-dd'T'HH:mm:ss.SSSX"),
 *    producing a formatter and a strict parser with Java's adjacent-value parsing, optional
 *    sections and SMART resolution, with the texts of ksqlDB's JVM locale (en_US) or of
 *    Locale.ROOT, and Java's zone names (zone-names.ts);
 *  - the three ways ksqlDB turns parsed text into a value: LocalDate.from, LocalTime.from, and
 *    StringToTimestampParser (1970-01-01T00:00 in the parsed or default zone, overridden field
 *    by field).
 *
 * The reference is Java 17 (checked against it pattern by pattern). The JVM's default time zone is
 * taken to be UTC, as on ksqlDB's servers and in its tests.
 */
import { civilFromDays, daysFromCivil, MILLIS_PER_DAY, SqlValueError } from '../schema/index.js';
import type { FunctionDefinition } from './types.js';
import { ZONE_NAME_GROUPS, ZONE_NAME_PARSE_OVERRIDES } from './zone-names.js';

// =============================================================================================
// Time zones

/** A java.time.ZoneId. */
export interface Zone {
  /** ZoneId.getId(): "UTC", "America/Los_Angeles", "+02:00", "Z", "UTC+01:00". */
  readonly id: string;
  /** The offset of a zone with fixed rules (a ZoneOffset, or UTC/GMT/UT with an optional offset). */
  readonly fixedOffsetSeconds?: number;
  /** A ZoneOffset (its zone text is its id), rather than a region. */
  readonly isOffset: boolean;
  /** Java's SystemV/* zones (not in Intl's data): a standard offset and the old US daylight rule. */
  readonly systemV?: { readonly standardSeconds: number; readonly daylight: boolean };
}

/** ZoneId.systemDefault() of a ksqlDB server. */
export const DEFAULT_ZONE: Zone = Object.freeze({ id: 'UTC', fixedOffsetSeconds: 0, isOffset: false });

const SECONDS_PER_DAY = 86_400;
const NANOS_PER_DAY = 86_400_000_000_000;
const NANOS_PER_MILLI = 1_000_000;
const MAX_OFFSET_SECONDS = 18 * 3600;

/** Old three-letter ids that ICU resolves but ZoneId.of rejects (ZoneId.SHORT_IDS). */
const NOT_JAVA_ZONE_IDS = new Set([
  'ACT', 'AET', 'AGT', 'ART', 'AST', 'BET', 'BST', 'CAT', 'CNT', 'CST', 'CTT', 'EAT', 'ECT', 'IET',
  'IST', 'JST', 'MIT', 'NET', 'NST', 'PLT', 'PNT', 'PRT', 'PST', 'SST', 'VST', 'EST', 'MST', 'HST',
]);

function offsetZone(totalSeconds: number): Zone {
  return { id: offsetId(totalSeconds), fixedOffsetSeconds: totalSeconds, isOffset: true };
}

/** ZoneOffset.getId(): "Z", "+02:00", "-05:30", "+01:02:03". */
function offsetId(totalSeconds: number): string {
  if (totalSeconds === 0) return 'Z';
  const abs = Math.abs(totalSeconds);
  const seconds = abs % 60;
  return (
    `${totalSeconds < 0 ? '-' : '+'}${pad(Math.floor(abs / 3600), 2)}:${pad(Math.floor(abs / 60) % 60, 2)}` +
    (seconds ? `:${pad(seconds, 2)}` : '')
  );
}

/** ZoneOffset.of: "+h", "+hh", "+hhmm", "+hh:mm", "+hhmmss", "+hh:mm:ss"; undefined if malformed. */
function parseOffsetId(text: string): number | undefined {
  const m = /^([+-])(?:(\d)|(\d\d)(?:(\d\d)(\d\d)?|:(\d\d)(?::(\d\d))?)?)$/.exec(text);
  if (!m) return undefined;
  const hours = Number(m[2] ?? m[3]);
  const minutes = Number(m[4] ?? m[6] ?? 0);
  const seconds = Number(m[5] ?? m[7] ?? 0);
  if (hours > 18 || minutes > 59 || seconds > 59) return undefined;
  const total = hours * 3600 + minutes * 60 + seconds;
  if (total > MAX_OFFSET_SECONDS) return undefined;
  return m[1] === '-' ? -total : total;
}

const zoneCache = new Map<string, Zone>();

/** ZoneId.of(id): case-sensitive, and without the old three-letter abbreviations (PST, EST...). */
export function zoneOf(id: string): Zone {
  const cached = zoneCache.get(id);
  if (cached) return cached;
  const zone = resolveZoneId(id);
  if (zoneCache.size >= 1000) zoneCache.clear();
  zoneCache.set(id, zone);
  return zone;
}

function resolveZoneId(id: string): Zone {
  if (id === 'Z') return offsetZone(0);
  if (id.startsWith('+') || id.startsWith('-')) {
    const offset = parseOffsetId(id);
    if (offset === undefined) throw new SqlValueError(`Invalid ID for ZoneOffset, invalid format: ${id}`);
    return offsetZone(offset);
  }
  if (id === 'UTC' || id === 'GMT' || id === 'UT') return { id, fixedOffsetSeconds: 0, isOffset: false };
  const prefixed = /^(UTC|GMT|UT)([+-].*)$/.exec(id);
  if (prefixed) {
    const offset = parseOffsetId(prefixed[2]);
    if (offset === undefined) throw new SqlValueError(`Invalid ID for offset-based ZoneId: ${id}`);
    return { id: offset === 0 ? prefixed[1] : prefixed[1] + offsetId(offset), fixedOffsetSeconds: offset, isOffset: false };
  }
  const systemV = /^SystemV\/(AST4|EST5|CST6|MST7|PST8|YST9|HST10)(ADT|EDT|CDT|MDT|PDT|YDT)?$/.exec(id);
  if (systemV && (systemV[2] === undefined || systemV[1].slice(0, 1) === systemV[2].slice(0, 1)) && !(systemV[1] === 'HST10' && systemV[2])) {
    return { id, isOffset: false, systemV: { standardSeconds: -Number(systemV[1].slice(3)) * 3600, daylight: systemV[2] !== undefined } };
  }
  if (!/^[A-Za-z][A-Za-z0-9~/._+-]+$/.test(id)) {
    throw new SqlValueError(`Invalid ID for region-based ZoneId, invalid format: ${id}`);
  }
  const resolved = NOT_JAVA_ZONE_IDS.has(id) ? undefined : intlZoneName(id);
  if (resolved === undefined || (resolved.toLowerCase() === id.toLowerCase() && resolved !== id)) {
    throw new SqlValueError(`Unknown time-zone ID: ${id}`);
  }
  return { id, isOffset: false };
}

function intlZoneName(id: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: id }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const wallClocks = new Map<string, Intl.DateTimeFormat>();

function wallClock(zoneId: string): Intl.DateTimeFormat {
  let dtf = wallClocks.get(zoneId);
  if (!dtf) {
    dtf = new Intl.DateTimeFormat('en-US', {
      timeZone: zoneId,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClocks.set(zoneId, dtf);
  }
  return dtf;
}

const OFFSET_CACHE_SIZE = 4096;

/** A zone's offsets over one hour: at its start, at its end, and the second the change happens. */
interface HourOffsets {
  readonly start: number;
  readonly end: number;
  /** The first epoch second with the `end` offset, when the two differ. */
  readonly transition?: number;
}

const offsetCache = new Map<string, HourOffsets>();

/** The zone's offset from UTC, in seconds, at an instant. */
export function offsetSecondsAt(zone: Zone, epochMillis: number): number {
  if (zone.fixedOffsetSeconds !== undefined) return zone.fixedOffsetSeconds;
  if (zone.systemV) return systemVOffset(zone.systemV.standardSeconds, zone.systemV.daylight, Math.floor(epochMillis / 1000));
  const epochSecond = Math.floor(epochMillis / 1000);
  const hourStart = Math.floor(epochSecond / 3600) * 3600;
  const key = `${zone.id} ${hourStart}`;
  let hour = offsetCache.get(key);
  if (hour === undefined) {
    hour = hourOffsets(zone.id, hourStart);
    if (offsetCache.size >= OFFSET_CACHE_SIZE) offsetCache.clear();
    offsetCache.set(key, hour);
  }
  return hour.transition === undefined || epochSecond < hour.transition ? hour.start : hour.end;
}

/** Offsets over an hour, finding the transition second by bisection (zones change at most once an hour). */
function hourOffsets(zoneId: string, hourStart: number): HourOffsets {
  const start = regionOffsetSeconds(zoneId, hourStart);
  const end = regionOffsetSeconds(zoneId, hourStart + 3599);
  if (start === end) return { start, end };
  let lo = hourStart;
  let hi = hourStart + 3599;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (regionOffsetSeconds(zoneId, mid) === start) lo = mid;
    else hi = mid;
  }
  return { start, end, transition: hi };
}

/**
 * The SystemV zones' rules as Java's tz database has them: from 1900, daylight time from the last
 * Sunday of April to the last Sunday of October, 02:00 wall time (1974 and 1975 excepted).
 */
function systemVOffset(standard: number, daylight: boolean, epochSecond: number): number {
  if (!daylight) return standard;
  const [year] = civilFromDays(Math.floor((epochSecond + standard) / SECONDS_PER_DAY));
  if (year < 1900) return standard;
  const sundayOnOrAfter = (month: number, day: number): number => {
    const d = daysFromCivil(year, month, day);
    return d + floorMod(7 - isoDayOfWeek(d), 7);
  };
  const start = year === 1974 ? daysFromCivil(1974, 1, 6) : year === 1975 ? daysFromCivil(1975, 2, 23) : sundayOnOrAfter(4, 24);
  const end = year === 1974 ? daysFromCivil(1974, 11, 24) : sundayOnOrAfter(10, 25);
  const startUtc = start * SECONDS_PER_DAY + 7200 - standard;
  const endUtc = end * SECONDS_PER_DAY + 7200 - (standard + 3600);
  return epochSecond >= startUtc && epochSecond < endUtc ? standard + 3600 : standard;
}

function regionOffsetSeconds(zoneId: string, epochSecond: number): number {
  const parts = wallClock(zoneId).formatToParts(epochSecond * 1000);
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const p of parts) {
    switch (p.type) {
      case 'year':
        year = Number(p.value);
        break;
      case 'month':
        month = Number(p.value);
        break;
      case 'day':
        day = Number(p.value);
        break;
      case 'hour':
        hour = Number(p.value);
        break;
      case 'minute':
        minute = Number(p.value);
        break;
      case 'second':
        second = Number(p.value);
        break;
      case 'era':
        bc = p.value.startsWith('B');
        break;
      default:
        break;
    }
  }
  const local = daysFromCivil(bc ? 1 - year : year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
  return local - epochSecond;
}

/** The offsets a local date-time (in seconds, as if UTC) can have in the zone: none in a gap, two in an overlap. */
function validOffsets(zone: Zone, localSeconds: number): number[] {
  if (zone.fixedOffsetSeconds !== undefined) return [zone.fixedOffsetSeconds];
  const before = offsetSecondsAt(zone, (localSeconds - SECONDS_PER_DAY) * 1000);
  const after = offsetSecondsAt(zone, (localSeconds + SECONDS_PER_DAY) * 1000);
  const candidates = before === after ? [before] : [before, after];
  return candidates.filter((o) => offsetSecondsAt(zone, (localSeconds - o) * 1000) === o);
}

/**
 * ZonedDateTime.ofLocal: the offset of a local date-time in a zone. In an overlap the preferred
 * (else the earlier) offset wins; in a gap the local time moves forward by the gap's length.
 */
function resolveLocal(zone: Zone, localSeconds: number, preferred?: number): { localSeconds: number; offset: number } {
  const valid = validOffsets(zone, localSeconds);
  if (valid.length === 1) return { localSeconds, offset: valid[0] };
  if (valid.length > 1) return { localSeconds, offset: preferred !== undefined && valid.includes(preferred) ? preferred : valid[0] };
  const before = offsetSecondsAt(zone, (localSeconds - SECONDS_PER_DAY) * 1000);
  const after = offsetSecondsAt(zone, (localSeconds + SECONDS_PER_DAY) * 1000);
  return { localSeconds: localSeconds + (after - before), offset: after };
}

// ---------------------------------------------------------------------------------------------
// Zone names (English, as Java prints them), for the 'z' and 'v' pattern letters

let namesByZone: Map<string, readonly string[]> | undefined;

/** Java's six names of a zone id (see zone-names.ts), if it has names. */
function javaZoneNames(zoneId: string): readonly string[] | undefined {
  if (!namesByZone) {
    namesByZone = new Map();
    for (const entry of ZONE_NAME_GROUPS) {
      const parts = entry.split('|');
      const names = parts.slice(0, 6);
      for (const id of parts[6].split(' ')) if (!id.startsWith('=')) namesByZone.set(id, names);
    }
  }
  return namesByZone.get(zoneId);
}

/** "GMT-05:00": how Java names a zone it has no names for. */
function gmtName(offsetSeconds: number): string {
  if (offsetSeconds === 0) return 'GMT';
  const abs = Math.abs(offsetSeconds);
  return `GMT${offsetSeconds < 0 ? '-' : '+'}${pad(Math.floor(abs / 3600), 2)}:${pad(Math.floor(abs / 60) % 60, 2)}`;
}

/** ZoneRules.isDaylightSavings, taking the smaller of the January and July offsets as standard time. */
function isDaylightSavings(zone: Zone, epochMillis: number): boolean {
  if (zone.fixedOffsetSeconds !== undefined) return false;
  const [year] = civilFromDays(Math.floor(epochMillis / MILLIS_PER_DAY));
  const jan = offsetSecondsAt(zone, daysFromCivil(year, 1, 15) * MILLIS_PER_DAY);
  const jul = offsetSecondsAt(zone, daysFromCivil(year, 7, 15) * MILLIS_PER_DAY);
  return offsetSecondsAt(zone, epochMillis) > Math.min(jan, jul);
}

/** ZoneTextPrinterParser.format: "PDT" / "Pacific Daylight Time", or generic "PT" / "Pacific Time". */
function zoneText(zone: Zone, full: boolean, generic: boolean, epochMillis: number): string {
  if (zone.isOffset) return zone.id;
  const names = javaZoneNames(zone.id);
  if (names === undefined) {
    return zone.fixedOffsetSeconds !== undefined ? zone.id : gmtName(offsetSecondsAt(zone, epochMillis));
  }
  if (generic) return names[full ? 5 : 4];
  return names[(full ? 2 : 0) + (isDaylightSavings(zone, epochMillis) ? 1 : 0)];
}

interface ZoneName {
  /** The name as written ("PDT", "America/Los_Angeles"). */
  readonly name: string;
  readonly zoneId: string;
}

interface ZoneNameIndex {
  /** By upper-cased text. */
  readonly names: Map<string, ZoneName>;
  readonly maxLength: number;
}

function newIndex(): { names: Map<string, ZoneName>; maxLength: number } {
  return { names: new Map(), maxLength: 0 };
}

function addZoneName(index: { names: Map<string, ZoneName>; maxLength: number }, name: string, zoneId: string): void {
  index.names.set(name.toUpperCase(), { name, zoneId });
  index.maxLength = Math.max(index.maxLength, name.length);
}

let zoneIdIndex: ZoneNameIndex | undefined;
const zoneTextIndexes = new Map<'short' | 'full', ZoneNameIndex>();

/** The zone ids Java knows (from the names table) and those Intl knows (pattern 'VV'). */
function zoneIds(): ZoneNameIndex {
  if (!zoneIdIndex) {
    const index = newIndex();
    const javaIds = ZONE_NAME_GROUPS.flatMap((entry) => entry.split('|')[6].split(' ')).filter((id) => !id.startsWith('='));
    const etc = Array.from({ length: 27 }, (_, i) => i - 14).map((h) => (h === 0 ? 'Etc/GMT' : `Etc/GMT${h > 0 ? '+' : ''}${h}`));
    for (const zoneId of [...Intl.supportedValuesOf('timeZone'), ...javaIds, ...etc, 'Etc/UTC', 'Etc/UCT', 'Etc/Zulu', 'UCT', 'Zulu']) {
      addZoneName(index, zoneId, zoneId);
    }
    zoneIdIndex = index;
  }
  return zoneIdIndex;
}

/** Zone ids, then Java's names over them ('z', 'v': short names; 'zzzz', 'vvvv': long ones). */
function zoneTexts(style: 'short' | 'full'): ZoneNameIndex {
  const cached = zoneTextIndexes.get(style);
  if (cached) return cached;
  const index = { names: new Map(zoneIds().names), maxLength: zoneIds().maxLength };
  const seen = new Set<string>();
  for (const entry of ZONE_NAME_GROUPS) {
    const parts = entry.split('|');
    const golden = parts[6].split(' ')[0].replace(/^=/, '');
    for (const i of style === 'short' ? [0, 1, 4] : [2, 3, 5]) {
      const name = parts[i];
      if (seen.has(name)) continue;
      seen.add(name);
      addZoneName(index, name, ZONE_NAME_PARSE_OVERRIDES[`${style === 'short' ? 's' : 'l'}:${name}`] ?? golden);
    }
  }
  zoneTextIndexes.set(style, index);
  return index;
}

// =============================================================================================
// Fields

/** java.time.temporal.ChronoField, in declaration order (the order StringToTimestampParser applies them). */
const CHRONO_FIELDS = [
  'NanoOfSecond', 'NanoOfDay', 'MicroOfSecond', 'MicroOfDay', 'MilliOfSecond', 'MilliOfDay', 'SecondOfMinute',
  'SecondOfDay', 'MinuteOfHour', 'MinuteOfDay', 'HourOfAmPm', 'ClockHourOfAmPm', 'HourOfDay', 'ClockHourOfDay',
  'AmPmOfDay', 'DayOfWeek', 'AlignedDayOfWeekInMonth', 'AlignedDayOfWeekInYear', 'DayOfMonth', 'DayOfYear',
  'EpochDay', 'AlignedWeekOfMonth', 'AlignedWeekOfYear', 'MonthOfYear', 'ProlepticMonth', 'YearOfEra', 'Year',
  'Era', 'InstantSeconds', 'OffsetSeconds',
] as const;

type ChronoField = (typeof CHRONO_FIELDS)[number];

/** Date-derived fields that are not ChronoFields (IsoFields, WeekFields for Sunday-first weeks, JulianFields). */
type OtherField = 'QuarterOfYear' | 'WeekBasedYear' | 'WeekOfWeekBasedYear' | 'WeekOfMonth' | 'LocalizedDayOfWeek' | 'ModifiedJulianDay';

type Field = ChronoField | OtherField;

const TIME_FIELDS: ReadonlySet<Field> = new Set(CHRONO_FIELDS.slice(0, CHRONO_FIELDS.indexOf('DayOfWeek')));
const DATE_FIELDS: ReadonlySet<Field> = new Set(CHRONO_FIELDS.slice(CHRONO_FIELDS.indexOf('DayOfWeek'), CHRONO_FIELDS.indexOf('InstantSeconds')));
const OTHER_DATE_FIELDS: ReadonlySet<Field> = new Set<Field>([
  'QuarterOfYear', 'WeekBasedYear', 'WeekOfWeekBasedYear', 'WeekOfMonth', 'LocalizedDayOfWeek', 'ModifiedJulianDay',
]);

const YEAR_MAX = 999_999_999;

/** ChronoField.range(): the outer bounds Java validates against. */
const RANGES: Readonly<Record<ChronoField, readonly [number, number]>> = {
  NanoOfSecond: [0, 999_999_999],
  NanoOfDay: [0, NANOS_PER_DAY - 1],
  MicroOfSecond: [0, 999_999],
  MicroOfDay: [0, NANOS_PER_DAY / 1000 - 1],
  MilliOfSecond: [0, 999],
  MilliOfDay: [0, MILLIS_PER_DAY - 1],
  SecondOfMinute: [0, 59],
  SecondOfDay: [0, SECONDS_PER_DAY - 1],
  MinuteOfHour: [0, 59],
  MinuteOfDay: [0, 1439],
  HourOfAmPm: [0, 11],
  ClockHourOfAmPm: [1, 12],
  HourOfDay: [0, 23],
  ClockHourOfDay: [1, 24],
  AmPmOfDay: [0, 1],
  DayOfWeek: [1, 7],
  AlignedDayOfWeekInMonth: [1, 7],
  AlignedDayOfWeekInYear: [1, 7],
  DayOfMonth: [1, 31],
  DayOfYear: [1, 366],
  EpochDay: [-365_243_219_162, 365_241_780_471],
  AlignedWeekOfMonth: [1, 5],
  AlignedWeekOfYear: [1, 53],
  MonthOfYear: [1, 12],
  ProlepticMonth: [-YEAR_MAX * 12, YEAR_MAX * 12 + 11],
  YearOfEra: [1, YEAR_MAX + 1],
  Year: [-YEAR_MAX, YEAR_MAX],
  Era: [0, 1],
  InstantSeconds: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  OffsetSeconds: [-MAX_OFFSET_SECONDS, MAX_OFFSET_SECONDS],
};

const CHRONO_FIELD_SET: ReadonlySet<Field> = new Set(CHRONO_FIELDS);

function isChronoField(field: Field): field is ChronoField {
  return CHRONO_FIELD_SET.has(field);
}

/** ChronoField.checkValidValue. */
function checkValid(field: Field, value: number): number {
  if (isChronoField(field)) {
    const [min, max] = RANGES[field];
    if (!(value >= min && value <= max)) {
      throw new SqlValueError(`Invalid value for ${field} (valid values ${min} - ${max}): ${value}`);
    }
  }
  return value;
}

function floorMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function monthLength(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** ISO day of week of an epoch day: Monday 1 ... Sunday 7. */
function isoDayOfWeek(epochDay: number): number {
  return floorMod(epochDay + 3, 7) + 1;
}

function dayOfYear(epochDay: number, year: number): number {
  return epochDay - daysFromCivil(year, 1, 1) + 1;
}

// Week fields of ksqlDB's JVM locale (en_US): weeks start on Sunday, and week 1 needs one day.
const WEEK_START = 7;
const MIN_DAYS_IN_FIRST_WEEK = 1;

function localizedDayOfWeek(epochDay: number): number {
  return floorMod(isoDayOfWeek(epochDay) - WEEK_START, 7) + 1;
}

function startOfWeekOffset(day: number, dow: number): number {
  const weekStart = floorMod(day - dow, 7);
  return weekStart + 1 > MIN_DAYS_IN_FIRST_WEEK ? 7 - weekStart : -weekStart;
}

function computeWeek(offset: number, day: number): number {
  return Math.floor((7 + offset + (day - 1)) / 7);
}

/** [week-based-year, week-of-week-based-year] (WeekFields.weekBasedYear / weekOfWeekBasedYear). */
function weekBasedYearAndWeek(epochDay: number): [number, number] {
  const [year] = civilOf(epochDay);
  const doy = dayOfYear(epochDay, year);
  const offset = startOfWeekOffset(doy, localizedDayOfWeek(epochDay));
  const week = computeWeek(offset, doy);
  if (week === 0) {
    const [, previousWeek] = weekBasedYearAndWeek(epochDay - doy);
    return [year - 1, previousWeek];
  }
  const yearLength = isLeap(year) ? 366 : 365;
  const newYearWeek = computeWeek(offset, yearLength + MIN_DAYS_IN_FIRST_WEEK);
  return week >= newYearWeek ? [year + 1, week - newYearWeek + 1] : [year, week];
}

let memoDay = 0;
let memoCivil = civilFromDays(0);

/** civilFromDays, remembering the last day (fields of one date are read one after another). */
function civilOf(epochDay: number): [number, number, number] {
  if (epochDay !== memoDay) {
    memoCivil = civilFromDays(epochDay);
    memoDay = epochDay;
  }
  return memoCivil;
}

/** A date-derived field of an epoch day. */
function dateFieldValue(epochDay: number, field: Field): number | undefined {
  if (field === 'EpochDay') return epochDay;
  if (field === 'DayOfWeek') return isoDayOfWeek(epochDay);
  const [year, month, day] = civilOf(epochDay);
  switch (field) {
    case 'AlignedDayOfWeekInMonth':
      return ((day - 1) % 7) + 1;
    case 'AlignedDayOfWeekInYear':
      return ((dayOfYear(epochDay, year) - 1) % 7) + 1;
    case 'DayOfMonth':
      return day;
    case 'DayOfYear':
      return dayOfYear(epochDay, year);
    case 'AlignedWeekOfMonth':
      return Math.floor((day - 1) / 7) + 1;
    case 'AlignedWeekOfYear':
      return Math.floor((dayOfYear(epochDay, year) - 1) / 7) + 1;
    case 'MonthOfYear':
      return month;
    case 'ProlepticMonth':
      return year * 12 + month - 1;
    case 'YearOfEra':
      return year >= 1 ? year : 1 - year;
    case 'Year':
      return year;
    case 'Era':
      return year >= 1 ? 1 : 0;
    case 'QuarterOfYear':
      return Math.floor((month - 1) / 3) + 1;
    case 'LocalizedDayOfWeek':
      return localizedDayOfWeek(epochDay);
    case 'WeekOfMonth':
      return computeWeek(startOfWeekOffset(day, localizedDayOfWeek(epochDay)), day);
    case 'WeekBasedYear':
      return weekBasedYearAndWeek(epochDay)[0];
    case 'WeekOfWeekBasedYear':
      return weekBasedYearAndWeek(epochDay)[1];
    case 'ModifiedJulianDay':
      return epochDay + 40_587;
    default:
      return undefined;
  }
}

/** A time-derived field of a nano-of-day. */
function timeFieldValue(nanoOfDay: number, field: Field): number | undefined {
  const secondOfDay = Math.floor(nanoOfDay / 1e9);
  const nano = nanoOfDay - secondOfDay * 1e9;
  const hour = Math.floor(secondOfDay / 3600);
  switch (field) {
    case 'NanoOfSecond':
      return nano;
    case 'NanoOfDay':
      return nanoOfDay;
    case 'MicroOfSecond':
      return Math.floor(nano / 1000);
    case 'MicroOfDay':
      return Math.floor(nanoOfDay / 1000);
    case 'MilliOfSecond':
      return Math.floor(nano / NANOS_PER_MILLI);
    case 'MilliOfDay':
      return Math.floor(nanoOfDay / NANOS_PER_MILLI);
    case 'SecondOfMinute':
      return secondOfDay % 60;
    case 'SecondOfDay':
      return secondOfDay;
    case 'MinuteOfHour':
      return Math.floor(secondOfDay / 60) % 60;
    case 'MinuteOfDay':
      return Math.floor(secondOfDay / 60);
    case 'HourOfAmPm':
      return hour % 12;
    case 'ClockHourOfAmPm':
      return hour % 12 === 0 ? 12 : hour % 12;
    case 'HourOfDay':
      return hour;
    case 'ClockHourOfDay':
      return hour === 0 ? 24 : hour;
    case 'AmPmOfDay':
      return hour < 12 ? 0 : 1;
    default:
      return undefined;
  }
}

/** What a formatter prints: a LocalDate, a LocalTime, or a ZonedDateTime (all three parts). */
interface Moment {
  readonly epochDay?: number;
  readonly nanoOfDay?: number;
  readonly zone?: Zone;
  readonly offsetSeconds?: number;
  /** For zone names: the instant (ZonedDateTime only). */
  readonly epochMillis?: number;
  /** How the value prints in errors ("2020-01-01"). */
  readonly text: string;
}

function momentField(m: Moment, field: Field): number | undefined {
  if (TIME_FIELDS.has(field)) return m.nanoOfDay === undefined ? undefined : timeFieldValue(m.nanoOfDay, field);
  if (DATE_FIELDS.has(field) || OTHER_DATE_FIELDS.has(field)) {
    return m.epochDay === undefined ? undefined : dateFieldValue(m.epochDay, field);
  }
  if (field === 'OffsetSeconds') return m.offsetSeconds;
  if (field === 'InstantSeconds') {
    if (m.epochDay === undefined || m.nanoOfDay === undefined || m.offsetSeconds === undefined) return undefined;
    return m.epochDay * SECONDS_PER_DAY + Math.floor(m.nanoOfDay / 1e9) - m.offsetSeconds;
  }
  return undefined;
}

// =============================================================================================
// Text of fields

/**
 * The JVM locales ksqlDB formats and parses with: its default locale (en_US) for most functions,
 * Locale.ROOT for StringToTimestampParser (PARSE_TIMESTAMP, STRINGTOTIMESTAMP, TIMESTAMP_FORMAT).
 * They differ in some names: ROOT has no full month or day names ("Jan", "Mon"), its eras are
 * CE/BCE in full and its quarters "Q1" in full.
 */
export type PatternLocale = 'en_US' | 'ROOT';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const NUMBERS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'];

type TextStyle = 'SHORT' | 'FULL' | 'NARROW';

/** value -> text, per field and style; `standalone` for the L, q and c letters. */
function textsOf(field: Field, style: TextStyle, standalone: boolean, locale: PatternLocale): ReadonlyMap<number, string> {
  const entries = (values: readonly string[], first: number): Map<number, string> =>
    new Map(values.map((t, i) => [i + first, t] as [number, string]));
  const root = locale === 'ROOT';
  switch (field) {
    case 'MonthOfYear':
      if (style === 'NARROW') return entries(root ? NUMBERS : MONTHS.map((m) => m[0]), 1);
      return entries(style === 'FULL' && !root ? MONTHS : MONTHS.map((m) => m.slice(0, 3)), 1);
    case 'DayOfWeek':
      if (style === 'NARROW') return entries(DAYS.map((d) => d[0]), 1);
      return entries(style === 'FULL' && !root ? DAYS : DAYS.map((d) => d.slice(0, 3)), 1);
    case 'AmPmOfDay':
      return entries(style === 'NARROW' ? ['a', 'p'] : ['AM', 'PM'], 0);
    case 'Era':
      if (style === 'SHORT') return entries(['BC', 'AD'], 0);
      if (root) return entries(['BCE', 'CE'], 0);
      return entries(style === 'FULL' ? ['Before Christ', 'Anno Domini'] : ['B', 'A'], 0);
    case 'QuarterOfYear':
      if (style === 'NARROW' || (root && standalone && style === 'SHORT')) return entries(['1', '2', '3', '4'], 1);
      if (style === 'FULL' && !root) return entries(['1st quarter', '2nd quarter', '3rd quarter', '4th quarter'], 1);
      return entries(['Q1', 'Q2', 'Q3', 'Q4'], 1);
    default:
      return new Map();
  }
}

// =============================================================================================
// Printer-parsers

class FormatContext {
  private optional = 0;

  constructor(readonly moment: Moment) {}

  startOptional(): void {
    this.optional++;
  }

  endOptional(): void {
    this.optional--;
  }

  /** The field's value; null inside an optional section when the value lacks it. */
  value(field: Field): number | null {
    const v = momentField(this.moment, field);
    if (v !== undefined) return v;
    if (this.optional > 0) return null;
    throw new SqlValueError(`Unsupported field: ${field}`);
  }

  zone(): Zone | null {
    if (this.moment.zone) return this.moment.zone;
    if (this.optional > 0) return null;
    throw new SqlValueError(`Unable to extract ZoneId from temporal ${this.moment.text}`);
  }
}

class ParseContext {
  fields = new Map<Field, number>();
  zone: Zone | undefined;

  constructor(readonly caseSensitive: boolean) {}

  /** Parsed.setParsedField: a second, different value for a field fails the parse there. */
  setField(field: Field, value: number, errorPos: number, successPos: number): number {
    const old = this.fields.get(field);
    this.fields.set(field, value);
    return old !== undefined && old !== value ? ~errorPos : successPos;
  }

  charEquals(a: string, b: string): boolean {
    if (a === b) return true;
    if (this.caseSensitive) return false;
    return a.toUpperCase() === b.toUpperCase() || a.toLowerCase() === b.toLowerCase();
  }

  regionMatches(text: string, pos: number, expected: string): boolean {
    if (pos + expected.length > text.length) return false;
    for (let i = 0; i < expected.length; i++) {
      if (!this.charEquals(text[pos + i], expected[i])) return false;
    }
    return true;
  }

  snapshot(): [Map<Field, number>, Zone | undefined] {
    return [new Map(this.fields), this.zone];
  }

  restore([fields, zone]: [Map<Field, number>, Zone | undefined]): void {
    this.fields = fields;
    this.zone = zone;
  }
}

interface Element {
  /** Appends the text; false when an optional section must be dropped. */
  format(ctx: FormatContext, out: string[]): boolean;
  /** The position after the parsed text, or ~position of the error (negative). */
  parse(ctx: ParseContext, text: string, pos: number): number;
}

class Literal implements Element {
  constructor(readonly literal: string) {}

  format(_ctx: FormatContext, out: string[]): boolean {
    out.push(this.literal);
    return true;
  }

  parse(ctx: ParseContext, text: string, pos: number): number {
    if (pos > text.length) return ~pos;
    return ctx.regionMatches(text, pos, this.literal) ? pos + this.literal.length : ~pos;
  }
}

type SignStyle = 'NORMAL' | 'ALWAYS' | 'NEVER' | 'NOT_NEGATIVE' | 'EXCEEDS_PAD';

const EXCEED_POINTS = [0, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** SignStyle.parse in strict mode: may a sign be read here? */
function signAllowed(style: SignStyle, positive: boolean): boolean {
  switch (style) {
    case 'NORMAL':
      return !positive;
    case 'ALWAYS':
    case 'EXCEEDS_PAD':
      return true;
    default:
      return false;
  }
}

/** NumberPrinterParser: a field's value as digits, with Java's widths, signs and adjacent parsing. */
class NumberElement implements Element {
  /** Widths of the fixed-width values right after this one (adjacent value parsing); -1 when fixed itself. */
  subsequentWidth = 0;

  constructor(
    readonly field: Field,
    readonly minWidth: number,
    readonly maxWidth: number,
    readonly signStyle: SignStyle,
  ) {}

  isFixedWidth(): boolean {
    return (
      this.subsequentWidth === -1 ||
      (this.subsequentWidth > 0 && this.minWidth === this.maxWidth && this.signStyle === 'NOT_NEGATIVE')
    );
  }

  protected printed(value: number): number {
    return value;
  }

  format(ctx: FormatContext, out: string[]): boolean {
    const raw = ctx.value(this.field);
    if (raw === null) return false;
    const value = this.printed(raw);
    const digits = String(Math.abs(value));
    if (digits.length > this.maxWidth) {
      throw new SqlValueError(
        `Field ${this.field} cannot be printed as the value ${value} exceeds the maximum print width of ${this.maxWidth}`,
      );
    }
    if (value >= 0) {
      if (this.signStyle === 'ALWAYS' || (this.signStyle === 'EXCEEDS_PAD' && this.minWidth < 19 && value >= EXCEED_POINTS[this.minWidth])) {
        out.push('+');
      }
    } else if (this.signStyle === 'NOT_NEGATIVE') {
      throw new SqlValueError(
        `Field ${this.field} cannot be printed as the value ${value} cannot be negative according to the SignStyle`,
      );
    } else if (this.signStyle !== 'NEVER') {
      out.push('-');
    }
    out.push(digits.padStart(this.minWidth, '0'));
    return true;
  }

  parse(ctx: ParseContext, text: string, position: number): number {
    const length = text.length;
    if (position === length) return ~position;
    let negative = false;
    let positive = false;
    const sign = text[position];
    if (sign === '+') {
      if (!signAllowed(this.signStyle, true)) return ~position;
      positive = true;
      position++;
    } else if (sign === '-') {
      if (!signAllowed(this.signStyle, false)) return ~position;
      negative = true;
      position++;
    } else if (this.signStyle === 'ALWAYS') {
      return ~position;
    }
    const minEnd = position + this.minWidth;
    if (minEnd > length) return ~position;
    let maxWidth = this.maxWidth + Math.max(this.subsequentWidth, 0);
    let pos = position;
    let digits = '';
    for (let pass = 0; pass < 2; pass++) {
      const maxEnd = Math.min(pos + maxWidth, length);
      while (pos < maxEnd) {
        const ch = text.charCodeAt(pos);
        if (ch < 48 || ch > 57) {
          if (pos < minEnd) return ~position;
          break;
        }
        digits += text[pos++];
      }
      if (this.subsequentWidth > 0 && pass === 0) {
        // Re-parse, leaving room for the fixed-width values that follow.
        maxWidth = Math.max(this.minWidth, pos - position - this.subsequentWidth);
        pos = position;
        digits = '';
      } else {
        break;
      }
    }
    if (digits.length === 0) return ~position;
    let value = Number(digits);
    if (negative) {
      if (value === 0) return ~(position - 1);
      value = -value;
    } else if (this.signStyle === 'EXCEEDS_PAD') {
      const parsedLength = pos - position;
      if (positive ? parsedLength <= this.minWidth : parsedLength > this.minWidth) {
        return positive ? ~(position - 1) : ~position;
      }
    }
    return this.setValue(ctx, value, position, pos);
  }

  protected setValue(ctx: ParseContext, value: number, errorPos: number, successPos: number): number {
    return ctx.setField(this.field, value, errorPos, successPos);
  }
}

/** ReducedPrinterParser for 'yy': two digits, read as 2000-2099. */
class ReducedElement extends NumberElement {
  private static readonly BASE = 2000;

  constructor(field: Field) {
    super(field, 2, 2, 'NOT_NEGATIVE');
  }

  protected override printed(value: number): number {
    return Math.abs(value) % 100;
  }

  protected override setValue(ctx: ParseContext, value: number, errorPos: number, successPos: number): number {
    let v = value;
    if (successPos - errorPos === 2 && v >= 0) {
      const lastPart = ReducedElement.BASE % 100;
      v = ReducedElement.BASE - lastPart + v;
      if (v < ReducedElement.BASE) v += 100;
    }
    return ctx.setField(this.field, v, errorPos, successPos);
  }
}

/** FractionPrinterParser for 'S...S': the fraction of the second, truncated to the width. */
class FractionElement extends NumberElement {
  constructor(width: number) {
    super('NanoOfSecond', width, width, 'NOT_NEGATIVE');
  }

  override format(ctx: FormatContext, out: string[]): boolean {
    const nanos = ctx.value('NanoOfSecond');
    if (nanos === null) return false;
    out.push(String(nanos).padStart(9, '0').padEnd(this.maxWidth, '0').slice(0, this.maxWidth));
    return true;
  }

  override parse(ctx: ParseContext, text: string, position: number): number {
    if (position === text.length) return this.minWidth > 0 ? ~position : position;
    const minEnd = position + this.minWidth;
    if (minEnd > text.length) return ~position;
    const maxEnd = Math.min(position + this.maxWidth, text.length);
    let pos = position;
    while (pos < maxEnd) {
      const ch = text.charCodeAt(pos);
      if (ch < 48 || ch > 57) break;
      pos++;
    }
    if (pos < minEnd) return ~position;
    const digits = text.slice(position, pos);
    const nanos = Number(digits.padEnd(9, '0').slice(0, 9));
    return ctx.setField('NanoOfSecond', nanos, position, pos);
  }
}

/** TextPrinterParser: month, day-of-week, AM/PM, era and quarter names. */
class TextElement implements Element {
  private readonly texts: ReadonlyMap<number, string>;
  /** Longest first, as Java tries them. */
  private readonly parseOrder: readonly [string, number][];

  constructor(
    readonly field: Field,
    style: TextStyle,
    locale: PatternLocale,
    standalone = false,
  ) {
    this.texts = textsOf(field, style, standalone, locale);
    // A text shared by several values (narrow "S", "J") parses as the last of them, as in Java.
    const byText = new Map<string, number>();
    for (const [value, text] of this.texts) byText.set(text, value);
    this.parseOrder = [...byText].sort((a, b) => b[0].length - a[0].length);
  }

  format(ctx: FormatContext, out: string[]): boolean {
    const value = ctx.value(this.field);
    if (value === null) return false;
    out.push(this.texts.get(value) ?? String(value));
    return true;
  }

  parse(ctx: ParseContext, text: string, pos: number): number {
    if (pos > text.length) return ~pos;
    for (const [name, value] of this.parseOrder) {
      if (ctx.regionMatches(text, pos, name)) return ctx.setField(this.field, value, pos, pos + name.length);
    }
    return ~pos;
  }
}

/** OffsetIdPrinterParser for 'X', 'x' and 'Z': "+HH", "+HHmm", "+HH:MM", ... with a text for zero. */
class OffsetElement implements Element {
  private static readonly PATTERNS = ['+HH', '+HHmm', '+HH:mm', '+HHMM', '+HH:MM', '+HHMMss', '+HH:MM:ss', '+HHMMSS', '+HH:MM:SS'];
  private readonly type: number;

  constructor(
    pattern: string,
    readonly noOffsetText: string,
  ) {
    this.type = OffsetElement.PATTERNS.indexOf(pattern);
  }

  format(ctx: FormatContext, out: string[]): boolean {
    const total = ctx.value('OffsetSeconds');
    if (total === null) return false;
    if (total === 0) {
      out.push(this.noOffsetText);
      return true;
    }
    const hours = Math.abs(Math.trunc(total / 3600) % 100);
    const minutes = Math.abs(Math.trunc(total / 60) % 60);
    const seconds = Math.abs(total % 60);
    const colon = this.type % 2 === 0 && this.type > 0 ? ':' : '';
    let text = `${total < 0 ? '-' : '+'}${pad(hours, 2)}`;
    let output = hours;
    const t = this.type;
    if ((t >= 3 && t <= 8) || (t >= 9 && seconds > 0) || (t >= 1 && minutes > 0)) {
      text += colon + pad(minutes, 2);
      output += minutes;
      if (t === 7 || t === 8 || (t >= 5 && seconds > 0)) {
        text += colon + pad(seconds, 2);
        output += seconds;
      }
    }
    out.push(output === 0 ? this.noOffsetText : text);
    return true;
  }

  parse(ctx: ParseContext, text: string, position: number): number {
    if (position === text.length) return ~position;
    // The text for zero comes first: with 'x', "+0030" reads as "+00" and leaves "30".
    if (this.noOffsetText !== '' && ctx.regionMatches(text, position, this.noOffsetText)) {
      return ctx.setField('OffsetSeconds', 0, position, position + this.noOffsetText.length);
    }
    const sign = text[position];
    if (sign !== '+' && sign !== '-') return ~position;
    const t = this.type;
    const colon = t % 2 === 0 && t > 0;
    const parts = [position + 1, 0, 0, 0];
    const digits = (index: number): boolean => {
      let pos = parts[0];
      if (colon && index !== 1) {
        if (pos + 1 > text.length || text[pos] !== ':') return false;
        pos++;
      }
      if (pos + 2 > text.length) return false;
      const d1 = text.charCodeAt(pos);
      const d2 = text.charCodeAt(pos + 1);
      if (d1 < 48 || d1 > 57 || d2 < 48 || d2 > 57) return false;
      const value = (d1 - 48) * 10 + (d2 - 48);
      if (value > 59) return false;
      parts[index] = value;
      parts[0] = pos + 2;
      return true;
    };
    // Hours always; minutes required from +HHMM on, optional for +HHmm; seconds optional for +HHMMss.
    if (!digits(1)) return ~position;
    if (t >= 1 && !digits(2) && t >= 3) return ~position;
    if (t >= 5) digits(3);
    if (parts[1] > 23) throw new SqlValueError('Value out of range: Hour[0-23], Minute[0-59], Second[0-59]');
    const total = (sign === '-' ? -1 : 1) * (parts[1] * 3600 + parts[2] * 60 + parts[3]);
    return ctx.setField('OffsetSeconds', total, position, parts[0]);
  }
}

/** LocalizedOffsetIdPrinterParser for 'O' and 'ZZZZ': "GMT", "GMT+8", "GMT+08:00". */
class LocalizedOffsetElement implements Element {
  constructor(readonly full: boolean) {}

  format(ctx: FormatContext, out: string[]): boolean {
    const total = ctx.value('OffsetSeconds');
    if (total === null) return false;
    let text = 'GMT';
    if (total !== 0) {
      const hours = Math.abs(Math.trunc(total / 3600) % 100);
      const minutes = Math.abs(Math.trunc(total / 60) % 60);
      const seconds = Math.abs(total % 60);
      text += total < 0 ? '-' : '+';
      if (this.full) {
        text += `${pad(hours, 2)}:${pad(minutes, 2)}${seconds ? `:${pad(seconds, 2)}` : ''}`;
      } else {
        text += String(hours);
        if (minutes || seconds) text += `:${pad(minutes, 2)}${seconds ? `:${pad(seconds, 2)}` : ''}`;
      }
    }
    out.push(text);
    return true;
  }

  parse(ctx: ParseContext, text: string, position: number): number {
    if (!ctx.regionMatches(text, position, 'GMT')) return ~position;
    let pos = position + 3;
    const sign = text[pos];
    if (sign !== '+' && sign !== '-') return ctx.setField('OffsetSeconds', 0, position, pos);
    const m = (this.full ? /^(\d\d)(?::(\d\d)(?::(\d\d))?)?/ : /^(\d\d?)(?::(\d\d)(?::(\d\d))?)?/).exec(text.slice(pos + 1));
    if (!m || (this.full && m[2] === undefined)) return ~pos;
    const [hours, minutes, seconds] = [m[1], m[2] ?? '0', m[3] ?? '0'].map(Number);
    if (hours > 18 || minutes > 59 || seconds > 59) return ~pos;
    pos += 1 + m[0].length;
    const total = (sign === '-' ? -1 : 1) * (hours * 3600 + minutes * 60 + seconds);
    return ctx.setField('OffsetSeconds', total, position, pos);
  }
}

/** Parses a zone that starts with an offset or a UTC/GMT/UT prefix (ZoneIdPrinterParser.parseOffsetBased). */
function parseOffsetBasedZone(ctx: ParseContext, text: string, prefixPos: number, position: number): number {
  const prefix = text.slice(prefixPos, position).toUpperCase();
  if (position >= text.length || (text[position] !== '+' && text[position] !== '-')) {
    ctx.zone = zoneOf(prefix === '' ? 'Z' : prefix);
    return position;
  }
  const sub = new ParseContext(ctx.caseSensitive);
  const end = new OffsetElement('+HH:MM:ss', 'Z').parse(sub, text, position);
  if (end < 0) {
    if (prefix === '') return end;
    ctx.zone = zoneOf(prefix);
    return position;
  }
  const offset = sub.fields.get('OffsetSeconds') ?? 0;
  ctx.zone = prefix === '' ? offsetZone(offset) : zoneOf(offset === 0 ? prefix : prefix + offsetId(offset));
  return end;
}

/** ZoneIdPrinterParser ('VV') and ZoneTextPrinterParser ('z', 'zzzz', 'v', 'vvvv'). */
class ZoneElement implements Element {
  constructor(
    readonly kind: 'id' | 'text' | 'generic',
    readonly full: boolean,
  ) {}

  format(ctx: FormatContext, out: string[]): boolean {
    const zone = ctx.zone();
    if (zone === null) return false;
    if (this.kind === 'id') {
      out.push(zone.id);
    } else {
      out.push(zoneText(zone, this.full, this.kind === 'generic', ctx.moment.epochMillis ?? 0));
    }
    return true;
  }

  parse(ctx: ParseContext, text: string, position: number): number {
    if (position >= text.length) return ~position;
    const next = text[position];
    if (next === '+' || next === '-') return parseOffsetBasedZone(ctx, text, position, position);
    if (ctx.regionMatches(text, position, 'UTC')) {
      return parseOffsetBasedZone(ctx, text, position, position + 3);
    } else if (ctx.regionMatches(text, position, 'UT')) {
      return parseOffsetBasedZone(ctx, text, position, position + 2);
    } else if (ctx.regionMatches(text, position, 'GMT')) {
      if (text[position + 3] === '0') {
        ctx.zone = { id: 'GMT0', fixedOffsetSeconds: 0, isOffset: false };
        return position + 4;
      }
      return parseOffsetBasedZone(ctx, text, position, position + 3);
    }
    const match = this.longestName(ctx, text, position);
    if (match === undefined) {
      if (ctx.charEquals(next, 'Z')) {
        ctx.zone = offsetZone(0);
        return position + 1;
      }
      return ~position;
    }
    ctx.zone = zoneOf(match[0]);
    return position + match[1];
  }

  /** The longest zone id or name at the position: [zone id, length]. */
  private longestName(ctx: ParseContext, text: string, position: number): [string, number] | undefined {
    const index = this.kind === 'id' ? zoneIds() : zoneTexts(this.full ? 'full' : 'short');
    for (let len = Math.min(index.maxLength, text.length - position); len > 0; len--) {
      const candidate = text.slice(position, position + len);
      const entry = index.names.get(candidate.toUpperCase());
      if (entry !== undefined && (!ctx.caseSensitive || entry.name === candidate)) return [entry.zoneId, len];
    }
    return undefined;
  }
}

/** padNext(width): left-pads the next element with spaces. */
class PadElement implements Element {
  constructor(
    readonly inner: Element,
    readonly width: number,
  ) {}

  format(ctx: FormatContext, out: string[]): boolean {
    const buf: string[] = [];
    if (!this.inner.format(ctx, buf)) return false;
    const text = buf.join('');
    if (text.length > this.width) {
      throw new SqlValueError(`Cannot print as output of ${text.length} characters exceeds pad width of ${this.width}`);
    }
    out.push(text.padStart(this.width, ' '));
    return true;
  }

  parse(ctx: ParseContext, text: string, position: number): number {
    const end = position + this.width;
    if (end > text.length) return ~position;
    let pos = position;
    while (pos < end && text[pos] === ' ') pos++;
    const result = this.inner.parse(ctx, text.slice(0, end), pos);
    return result !== end && result >= 0 ? ~(pos + 1) : result;
  }
}

/** CompositePrinterParser: the whole pattern, or an optional [section]. */
class Composite implements Element {
  constructor(
    readonly elements: Element[],
    readonly optional: boolean,
  ) {}

  format(ctx: FormatContext, out: string[]): boolean {
    const mark = out.length;
    if (this.optional) ctx.startOptional();
    try {
      for (const e of this.elements) {
        if (!e.format(ctx, out)) {
          out.length = mark;
          return true;
        }
      }
    } finally {
      if (this.optional) ctx.endOptional();
    }
    return true;
  }

  parse(ctx: ParseContext, text: string, position: number): number {
    if (this.optional) {
      const saved = ctx.snapshot();
      let pos = position;
      for (const e of this.elements) {
        pos = e.parse(ctx, text, pos);
        if (pos < 0) {
          ctx.restore(saved);
          return position;
        }
      }
      return pos;
    }
    let pos = position;
    for (const e of this.elements) {
      pos = e.parse(ctx, text, pos);
      if (pos < 0) break;
    }
    return pos;
  }
}

// =============================================================================================
// Pattern compiler (DateTimeFormatterBuilder.appendPattern)

class PatternBuilder {
  private readonly stack: { elements: Element[]; valueIndex: number }[] = [{ elements: [], valueIndex: -1 }];
  private padWidth = 0;

  constructor(
    private readonly pattern: string,
    private readonly locale: PatternLocale,
  ) {}

  private get active(): { elements: Element[]; valueIndex: number } {
    return this.stack[this.stack.length - 1];
  }

  private appendInternal(element: Element): number {
    let e = element;
    if (this.padWidth > 0) {
      e = new PadElement(e, this.padWidth);
      this.padWidth = 0;
    }
    this.active.elements.push(e);
    this.active.valueIndex = -1;
    return this.active.elements.length - 1;
  }

  /** appendValue with Java's adjacent value parsing ("yyyyMMdd"). */
  appendValue(element: NumberElement): void {
    const active = this.active;
    const baseIndex = active.valueIndex;
    const base = baseIndex >= 0 ? active.elements[baseIndex] : undefined;
    if (base instanceof NumberElement) {
      if (element.minWidth === element.maxWidth && element.signStyle === 'NOT_NEGATIVE') {
        base.subsequentWidth += element.maxWidth;
        element.subsequentWidth = -1;
        this.appendInternal(element);
        active.valueIndex = baseIndex;
      } else {
        base.subsequentWidth = -1;
        active.valueIndex = this.appendInternal(element);
      }
    } else {
      active.valueIndex = this.appendInternal(element);
    }
  }

  append(element: Element): void {
    this.appendInternal(element);
  }

  padNext(width: number): void {
    this.padWidth = width;
  }

  optionalStart(): void {
    this.active.valueIndex = -1;
    this.stack.push({ elements: [], valueIndex: -1 });
  }

  optionalEnd(): void {
    if (this.stack.length === 1) {
      throw patternError(`Pattern invalid as it contains ] without previous [`);
    }
    const section = this.stack.pop()!;
    if (section.elements.length > 0) this.appendInternal(new Composite(section.elements, true));
  }

  build(): Composite {
    while (this.stack.length > 1) this.optionalEnd();
    return new Composite(this.active.elements, false);
  }

  compile(): Composite {
    const p = this.pattern;
    for (let pos = 0; pos < p.length; pos++) {
      let cur = p[pos];
      if (isPatternLetter(cur)) {
        let start = pos++;
        while (pos < p.length && p[pos] === cur) pos++;
        let count = pos - start;
        if (cur === 'p') {
          let width = 0;
          if (pos < p.length) {
            cur = p[pos];
            if (isPatternLetter(cur)) {
              width = count;
              start = pos++;
              while (pos < p.length && p[pos] === cur) pos++;
              count = pos - start;
            }
          }
          if (width === 0) throw patternError(`Pad letter 'p' must be followed by valid pad pattern: ${p}`);
          this.padNext(width);
        }
        this.letter(cur, count);
        pos--;
      } else if (cur === "'") {
        const start = pos++;
        for (; pos < p.length; pos++) {
          if (p[pos] === "'") {
            if (pos + 1 < p.length && p[pos + 1] === "'") pos++;
            else break;
          }
        }
        if (pos >= p.length) throw patternError(`Pattern ends with an incomplete string literal: ${p}`);
        const literal = p.slice(start + 1, pos);
        this.append(new Literal(literal === '' ? "'" : literal.replaceAll("''", "'")));
      } else if (cur === '[') {
        this.optionalStart();
      } else if (cur === ']') {
        this.optionalEnd();
      } else if (cur === '{' || cur === '}' || cur === '#') {
        throw patternError(`Pattern includes reserved character: '${cur}'`);
      } else {
        this.append(new Literal(cur));
      }
    }
    return this.build();
  }

  private letter(cur: string, count: number): void {
    const tooMany = (): never => {
      throw patternError(`Too many pattern letters: ${cur}`);
    };
    switch (cur) {
      case 'G':
        if (count > 5) tooMany();
        this.append(new TextElement('Era', count === 4 ? 'FULL' : count === 5 ? 'NARROW' : 'SHORT', this.locale));
        return;
      case 'y':
      case 'u':
        this.year(cur === 'y' ? 'YearOfEra' : 'Year', count);
        return;
      case 'Y':
        this.year('WeekBasedYear', count);
        return;
      case 'Q':
      case 'q':
        this.numberOrText('QuarterOfYear', count, cur);
        return;
      case 'M':
      case 'L':
        this.numberOrText('MonthOfYear', count, cur);
        return;
      case 'E':
        if (count > 5) tooMany();
        this.append(new TextElement('DayOfWeek', count === 4 ? 'FULL' : count === 5 ? 'NARROW' : 'SHORT', this.locale));
        return;
      case 'e':
      case 'c':
        if (cur === 'c' && count === 2) throw patternError('Invalid pattern "cc"');
        if (count <= 2) this.appendValue(new NumberElement('LocalizedDayOfWeek', count, count, 'NOT_NEGATIVE'));
        else this.numberOrText('DayOfWeek', count, cur);
        return;
      case 'w':
        if (count > 2) tooMany();
        this.appendValue(new NumberElement('WeekOfWeekBasedYear', count, 2, 'NOT_NEGATIVE'));
        return;
      case 'W':
        if (count > 1) tooMany();
        this.appendValue(new NumberElement('WeekOfMonth', 1, 1, 'NOT_NEGATIVE'));
        return;
      case 'D':
        if (count === 1) this.appendValue(new NumberElement('DayOfYear', 1, 19, 'NORMAL'));
        else if (count <= 3) this.appendValue(new NumberElement('DayOfYear', count, 3, 'NOT_NEGATIVE'));
        else tooMany();
        return;
      case 'F':
        // JDK 11-19 map 'F' to ALIGNED_DAY_OF_WEEK_IN_MONTH.
        if (count > 1) tooMany();
        this.appendValue(new NumberElement('AlignedDayOfWeekInMonth', 1, 19, 'NORMAL'));
        return;
      case 'a':
        if (count > 1) tooMany();
        this.append(new TextElement('AmPmOfDay', 'SHORT', this.locale));
        return;
      case 'd':
      case 'h':
      case 'H':
      case 'k':
      case 'K':
      case 'm':
      case 's': {
        const field = SIMPLE_FIELDS[cur];
        if (count === 1) this.appendValue(new NumberElement(field, 1, 19, 'NORMAL'));
        else if (count === 2) this.appendValue(new NumberElement(field, 2, 2, 'NOT_NEGATIVE'));
        else tooMany();
        return;
      }
      case 'S':
        this.appendValue(new FractionElement(count));
        return;
      case 'A':
        this.appendValue(new NumberElement('MilliOfDay', count, 19, 'NOT_NEGATIVE'));
        return;
      case 'n':
        this.appendValue(new NumberElement('NanoOfSecond', count, 19, 'NOT_NEGATIVE'));
        return;
      case 'N':
        this.appendValue(new NumberElement('NanoOfDay', count, 19, 'NOT_NEGATIVE'));
        return;
      case 'g':
        this.appendValue(new NumberElement('ModifiedJulianDay', count, 19, 'NORMAL'));
        return;
      case 'V':
        if (count !== 2) throw patternError(`Pattern letter count must be 2: ${cur}`);
        this.append(new ZoneElement('id', false));
        return;
      case 'v':
        if (count !== 1 && count !== 4) throw patternError(`Wrong number of  pattern letters: ${cur}`);
        this.append(new ZoneElement('generic', count === 4));
        return;
      case 'z':
        if (count > 4) tooMany();
        this.append(new ZoneElement('text', count === 4));
        return;
      case 'Z':
        if (count < 4) this.append(new OffsetElement('+HHMM', '+0000'));
        else if (count === 4) this.append(new LocalizedOffsetElement(true));
        else if (count === 5) this.append(new OffsetElement('+HH:MM:ss', 'Z'));
        else tooMany();
        return;
      case 'O':
        if (count !== 1 && count !== 4) throw patternError(`Pattern letter count must be 1 or 4: ${cur}`);
        this.append(new LocalizedOffsetElement(count === 4));
        return;
      case 'X':
      case 'x': {
        if (count > 5) tooMany();
        const offsetPattern = ['+HHmm', '+HHMM', '+HH:MM', '+HHMMss', '+HH:MM:ss'][count - 1];
        const zero = cur === 'X' ? 'Z' : count === 1 ? '+00' : count % 2 === 0 ? '+0000' : '+00:00';
        this.append(new OffsetElement(offsetPattern, zero));
        return;
      }
      default:
        throw patternError(`Unknown pattern letter: ${cur}`);
    }
  }

  private year(field: Field, count: number): void {
    if (count === 2) this.appendValue(new ReducedElement(field));
    else this.appendValue(new NumberElement(field, count, 19, count < 4 ? 'NORMAL' : 'EXCEEDS_PAD'));
  }

  private numberOrText(field: Field, count: number, cur: string): void {
    if (count === 1) this.appendValue(new NumberElement(field, 1, 19, 'NORMAL'));
    else if (count === 2) this.appendValue(new NumberElement(field, 2, 2, 'NOT_NEGATIVE'));
    else if (count <= 5) {
      const style = count === 3 ? 'SHORT' : count === 4 ? 'FULL' : 'NARROW';
      this.append(new TextElement(field, style, this.locale, cur === 'L' || cur === 'q' || cur === 'c'));
    }
    else throw patternError(`Too many pattern letters: ${cur}`);
  }
}

const SIMPLE_FIELDS: Readonly<Record<string, Field>> = {
  d: 'DayOfMonth',
  h: 'ClockHourOfAmPm',
  H: 'HourOfDay',
  k: 'ClockHourOfDay',
  K: 'HourOfAmPm',
  m: 'MinuteOfHour',
  s: 'SecondOfMinute',
};

function isPatternLetter(ch: string): boolean {
  return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

function patternError(message: string): SqlValueError {
  return new SqlValueError(message);
}

// =============================================================================================
// Resolving parsed fields (java.time.format.Parsed, ResolverStyle.SMART)

/** The result of parsing: what DateTimeFormatter.parse returns. */
interface Parsed {
  /** Fields left after resolving. */
  readonly fields: Map<Field, number>;
  readonly epochDay?: number;
  readonly nanoOfDay?: number;
  readonly zone?: Zone;
}

function conflict(field: Field, old: number, value: number, target: string): SqlValueError {
  return new SqlValueError(`Conflict found: ${field} ${old} differs from ${field} ${value} while resolving  ${target}`);
}

/** Parsed.updateCheckConflict: moves a value to another field, failing on a different value already there. */
function putChecked(fields: Map<Field, number>, from: Field, field: Field, value: number): void {
  const old = fields.get(field);
  fields.set(field, value);
  if (old !== undefined && old !== value) throw conflict(field, old, value, from);
}

function take(fields: Map<Field, number>, field: Field): number | undefined {
  const v = fields.get(field);
  fields.delete(field);
  return v;
}

function epochDayOf(year: number, month: number, day: number): number {
  checkValid('Year', year);
  checkValid('MonthOfYear', month);
  checkValid('DayOfMonth', day);
  if (day > monthLength(year, month)) {
    throw new SqlValueError(
      day === 29 && month === 2
        ? `Invalid date 'February 29' as '${year}' is not a leap year`
        : `Invalid date '${MONTHS[month - 1].toUpperCase()} ${day}'`,
    );
  }
  return daysFromCivil(year, month, day);
}

/** IsoChronology.resolveDate (SMART): era/year-of-era, proleptic month, then Y-M-D or Y-D. */
function resolveDate(f: Map<Field, number>): number | undefined {
  const mjd = take(f, 'ModifiedJulianDay');
  if (mjd !== undefined) putChecked(f, 'ModifiedJulianDay', 'EpochDay', mjd - 40_587);
  const epochDay = take(f, 'EpochDay');
  if (epochDay !== undefined) return checkValid('EpochDay', epochDay);
  const prolepticMonth = take(f, 'ProlepticMonth');
  if (prolepticMonth !== undefined) {
    checkValid('ProlepticMonth', prolepticMonth);
    putChecked(f, 'ProlepticMonth', 'MonthOfYear', floorMod(prolepticMonth, 12) + 1);
    putChecked(f, 'ProlepticMonth', 'Year', Math.floor(prolepticMonth / 12));
  }
  const yearOfEra = take(f, 'YearOfEra');
  if (yearOfEra !== undefined) {
    checkValid('YearOfEra', yearOfEra);
    const era = take(f, 'Era');
    if (era === undefined) {
      const year = f.get('Year');
      putChecked(f, 'YearOfEra', 'Year', year === undefined || year > 0 ? yearOfEra : 1 - yearOfEra);
    } else if (era === 1) {
      putChecked(f, 'YearOfEra', 'Year', yearOfEra);
    } else if (era === 0) {
      putChecked(f, 'YearOfEra', 'Year', 1 - yearOfEra);
    } else {
      throw new SqlValueError(`Invalid value for era: ${era}`);
    }
  } else if (f.has('Era')) {
    checkValid('Era', f.get('Era')!);
  }
  if (!f.has('Year')) return undefined;
  if (f.has('MonthOfYear') && f.has('DayOfMonth')) {
    const year = checkValid('Year', take(f, 'Year')!);
    const month = checkValid('MonthOfYear', take(f, 'MonthOfYear')!);
    let day = checkValid('DayOfMonth', take(f, 'DayOfMonth')!);
    // SMART clamps the day to the month's length ("previous valid").
    day = Math.min(day, monthLength(year, month));
    return daysFromCivil(year, month, day);
  }
  if (f.has('DayOfYear')) {
    const year = checkValid('Year', take(f, 'Year')!);
    const doy = checkValid('DayOfYear', take(f, 'DayOfYear')!);
    if (doy === 366 && !isLeap(year)) {
      throw new SqlValueError(`Invalid date 'DayOfYear 366' as '${year}' is not a leap year`);
    }
    return daysFromCivil(year, 1, 1) + doy - 1;
  }
  return undefined;
}

/** Parsed.resolveTimeFields and resolveTimeLenient (SMART): [nanoOfDay, excess days] when a time results. */
function resolveTime(f: Map<Field, number>): [number, number] | undefined {
  const clockHour = take(f, 'ClockHourOfDay');
  if (clockHour !== undefined) {
    if (clockHour !== 0) checkValid('ClockHourOfDay', clockHour);
    putChecked(f, 'ClockHourOfDay', 'HourOfDay', clockHour === 24 ? 0 : clockHour);
  }
  const clockHourAmPm = take(f, 'ClockHourOfAmPm');
  if (clockHourAmPm !== undefined) {
    if (clockHourAmPm !== 0) checkValid('ClockHourOfAmPm', clockHourAmPm);
    putChecked(f, 'ClockHourOfAmPm', 'HourOfAmPm', clockHourAmPm === 12 ? 0 : clockHourAmPm);
  }
  if (f.has('AmPmOfDay') && f.has('HourOfAmPm')) {
    const ampm = checkValid('AmPmOfDay', take(f, 'AmPmOfDay')!);
    const hourOfAmPm = checkValid('HourOfAmPm', take(f, 'HourOfAmPm')!);
    putChecked(f, 'AmPmOfDay', 'HourOfDay', ampm * 12 + hourOfAmPm);
  }
  const nanoOfDay = take(f, 'NanoOfDay');
  if (nanoOfDay !== undefined) {
    checkValid('NanoOfDay', nanoOfDay);
    putChecked(f, 'NanoOfDay', 'HourOfDay', Math.floor(nanoOfDay / 3_600e9));
    putChecked(f, 'NanoOfDay', 'MinuteOfHour', Math.floor(nanoOfDay / 60e9) % 60);
    putChecked(f, 'NanoOfDay', 'SecondOfMinute', Math.floor(nanoOfDay / 1e9) % 60);
    putChecked(f, 'NanoOfDay', 'NanoOfSecond', nanoOfDay % 1e9);
  }
  const microOfDay = take(f, 'MicroOfDay');
  if (microOfDay !== undefined) {
    checkValid('MicroOfDay', microOfDay);
    putChecked(f, 'MicroOfDay', 'SecondOfDay', Math.floor(microOfDay / 1e6));
    putChecked(f, 'MicroOfDay', 'MicroOfSecond', microOfDay % 1e6);
  }
  const milliOfDay = take(f, 'MilliOfDay');
  if (milliOfDay !== undefined) {
    checkValid('MilliOfDay', milliOfDay);
    putChecked(f, 'MilliOfDay', 'SecondOfDay', Math.floor(milliOfDay / 1000));
    putChecked(f, 'MilliOfDay', 'MilliOfSecond', milliOfDay % 1000);
  }
  const secondOfDay = take(f, 'SecondOfDay');
  if (secondOfDay !== undefined) {
    checkValid('SecondOfDay', secondOfDay);
    putChecked(f, 'SecondOfDay', 'HourOfDay', Math.floor(secondOfDay / 3600));
    putChecked(f, 'SecondOfDay', 'MinuteOfHour', Math.floor(secondOfDay / 60) % 60);
    putChecked(f, 'SecondOfDay', 'SecondOfMinute', secondOfDay % 60);
  }
  const minuteOfDay = take(f, 'MinuteOfDay');
  if (minuteOfDay !== undefined) {
    checkValid('MinuteOfDay', minuteOfDay);
    putChecked(f, 'MinuteOfDay', 'HourOfDay', Math.floor(minuteOfDay / 60));
    putChecked(f, 'MinuteOfDay', 'MinuteOfHour', minuteOfDay % 60);
  }
  if (f.has('NanoOfSecond')) {
    let nanos = checkValid('NanoOfSecond', f.get('NanoOfSecond')!);
    const micros = take(f, 'MicroOfSecond');
    if (micros !== undefined) {
      checkValid('MicroOfSecond', micros);
      nanos = micros * 1000 + (nanos % 1000);
      putChecked(f, 'MicroOfSecond', 'NanoOfSecond', nanos);
    }
    const millis = take(f, 'MilliOfSecond');
    if (millis !== undefined) {
      checkValid('MilliOfSecond', millis);
      putChecked(f, 'MilliOfSecond', 'NanoOfSecond', millis * NANOS_PER_MILLI + (nanos % NANOS_PER_MILLI));
    }
  }
  // resolveTimeLenient: default what is missing, when that is unambiguous.
  const millis = take(f, 'MilliOfSecond');
  if (millis !== undefined) {
    const micros = take(f, 'MicroOfSecond');
    if (micros !== undefined) {
      const merged = millis * 1000 + (micros % 1000);
      f.set('NanoOfSecond', merged * 1000);
    } else {
      f.set('NanoOfSecond', millis * NANOS_PER_MILLI);
    }
  } else {
    const micros = take(f, 'MicroOfSecond');
    if (micros !== undefined) f.set('NanoOfSecond', micros * 1000);
  }
  let result: [number, number] | undefined;
  // JDK 16+: AM or PM alone stands for the middle of that half of the day.
  if (!f.has('HourOfDay') && !f.has('MinuteOfHour') && !f.has('SecondOfMinute') && !f.has('NanoOfSecond') && f.has('AmPmOfDay')) {
    result = timeOf(checkValid('AmPmOfDay', take(f, 'AmPmOfDay')!) * 12 + 6, 0, 0, 0);
  }
  const hour = f.get('HourOfDay');
  if (hour !== undefined) {
    const minute = f.get('MinuteOfHour');
    const second = f.get('SecondOfMinute');
    const nano = f.get('NanoOfSecond');
    const ambiguous = (minute === undefined && (second !== undefined || nano !== undefined)) || (minute !== undefined && second === undefined && nano !== undefined);
    if (ambiguous) return result;
    result = timeOf(hour, minute ?? 0, second ?? 0, nano ?? 0);
    for (const field of ['HourOfDay', 'MinuteOfHour', 'SecondOfMinute', 'NanoOfSecond'] as const) f.delete(field);
  }
  for (const [field, value] of f) {
    if (TIME_FIELDS.has(field)) checkValid(field, value);
  }
  return result;
}

/**
 * WeekFields' resolve (SMART), for Sunday-first weeks: a localized day-of-week becomes the ISO one;
 * week-based-year + week + day-of-week, or year + month + week-of-month + day-of-week, give a date.
 */
function resolveWeekFields(f: Map<Field, number>): number | undefined {
  const localDow = take(f, 'LocalizedDayOfWeek');
  if (localDow !== undefined) {
    checkValid('DayOfWeek', localDow);
    f.set('DayOfWeek', floorMod(WEEK_START - 1 + (localDow - 1), 7) + 1);
  }
  const isoDow = f.get('DayOfWeek');
  if (isoDow === undefined) return undefined;
  const dow = floorMod(checkValid('DayOfWeek', isoDow) - WEEK_START, 7) + 1;
  const weekOfMonth = f.get('WeekOfMonth');
  if (weekOfMonth !== undefined && f.has('Year') && f.has('MonthOfYear')) {
    const year = checkValid('Year', f.get('Year')!);
    const first = daysFromCivil(year, checkValid('MonthOfYear', f.get('MonthOfYear')!), 1);
    if (weekOfMonth < 0 || weekOfMonth > 6) throw new SqlValueError(`Invalid value for WeekOfMonth (valid values 0 - 6): ${weekOfMonth}`);
    const firstDow = localizedDayOfWeek(first);
    const weeks = weekOfMonth - computeWeek(startOfWeekOffset(1, firstDow), 1);
    for (const field of ['WeekOfMonth', 'Year', 'MonthOfYear', 'DayOfWeek'] as const) f.delete(field);
    return first + weeks * 7 + (dow - firstDow);
  }
  const weekBasedYear = f.get('WeekBasedYear');
  const week = f.get('WeekOfWeekBasedYear');
  if (weekBasedYear !== undefined && week !== undefined && !f.has('Year')) {
    checkValid('Year', weekBasedYear);
    if (week < 1 || week > 53) throw new SqlValueError(`Invalid value for WeekOfWeekBasedYear (valid values 1 - 52/53): ${week}`);
    const jan1 = daysFromCivil(weekBasedYear, 1, 1);
    const offset = startOfWeekOffset(1, localizedDayOfWeek(jan1));
    const newYearWeek = computeWeek(offset, (isLeap(weekBasedYear) ? 366 : 365) + MIN_DAYS_IN_FIRST_WEEK);
    for (const field of ['WeekBasedYear', 'WeekOfWeekBasedYear', 'DayOfWeek'] as const) f.delete(field);
    return jan1 - offset + (dow - 1) + (Math.min(week, newYearWeek - 1) - 1) * 7;
  }
  return undefined;
}

/** Parsed.resolveTime (SMART): 24:00 is midnight of the next day. */
function timeOf(hour: number, minute: number, second: number, nano: number): [number, number] {
  checkValid('MinuteOfHour', minute);
  checkValid('NanoOfSecond', nano);
  if (hour === 24 && minute === 0 && second === 0 && nano === 0) return [0, 1];
  checkValid('HourOfDay', hour);
  checkValid('SecondOfMinute', second);
  return [((hour * 60 + minute) * 60 + second) * 1e9 + nano, 0];
}

/** Parsed.resolve: fields to a date, a time, leftovers, and an instant when a zone or offset is known. */
function resolveParsed(ctx: ParseContext): Parsed {
  const f = ctx.fields;
  let epochDay = resolveDate(f);
  let time = resolveTime(f);
  // Fields beyond ChronoField (week-based ones) may give a date; then the rest is resolved again.
  const weekDate = resolveWeekFields(f);
  if (weekDate !== undefined) {
    if (epochDay !== undefined && epochDay !== weekDate) {
      throw new SqlValueError(`Conflict found: Fields resolved to two different dates: ${isoDate(epochDay)} ${isoDate(weekDate)}`);
    }
    epochDay = weekDate;
  }
  if (weekDate !== undefined || f.has('DayOfWeek')) {
    const again = resolveDate(f);
    if (again !== undefined && epochDay !== undefined && again !== epochDay) {
      throw new SqlValueError(`Conflict found: Fields resolved to two different dates: ${isoDate(epochDay)} ${isoDate(again)}`);
    }
    epochDay ??= again;
    time ??= resolveTime(f);
  }
  const nanoOfDay = time?.[0];
  // Parsed.crossCheck: what the date or time already implies must agree with it.
  for (const [field, value] of [...f]) {
    const derived =
      epochDay !== undefined && (DATE_FIELDS.has(field) || OTHER_DATE_FIELDS.has(field))
        ? dateFieldValue(epochDay, field)
        : nanoOfDay !== undefined && TIME_FIELDS.has(field)
          ? timeFieldValue(nanoOfDay, field)
          : undefined;
    if (derived === undefined) continue;
    if (derived !== value) {
      throw new SqlValueError(`Conflict found: Field ${field} ${derived} differs from ${field} ${value} derived from ${describeLocal(epochDay, nanoOfDay)}`);
    }
    f.delete(field);
  }
  // Parsed.resolvePeriod: 24:00 moves the date on.
  if (epochDay !== undefined && time) epochDay += time[1];
  // Parsed.resolveInstant: a date, a time and an offset (else a zone) give the instant.
  if (epochDay !== undefined && nanoOfDay !== undefined) {
    const localSeconds = epochDay * SECONDS_PER_DAY + Math.floor(nanoOfDay / 1e9);
    const offset = f.get('OffsetSeconds');
    if (offset !== undefined) {
      checkValid('OffsetSeconds', offset);
      f.set('InstantSeconds', localSeconds - offset);
    } else if (ctx.zone) {
      const resolved = resolveLocal(ctx.zone, localSeconds);
      f.set('InstantSeconds', resolved.localSeconds - resolved.offset);
    }
  }
  return { fields: f, epochDay, nanoOfDay, zone: ctx.zone };
}

function describeLocal(epochDay: number | undefined, nanoOfDay: number | undefined): string {
  const parts: string[] = [];
  if (epochDay !== undefined) parts.push(isoDate(epochDay));
  if (nanoOfDay !== undefined) parts.push(isoTime(nanoOfDay));
  return parts.join('T');
}

function describeParsed(p: Parsed): string {
  const fields = [...p.fields].map(([k, v]) => `${k}=${v}`).join(', ');
  const resolved = describeLocal(p.epochDay, p.nanoOfDay);
  return `{${fields}}${p.zone ? `,${p.zone.id}` : ''},ISO${resolved ? ` resolved to ${resolved}` : ''}`;
}

function parsedSupports(p: Parsed, field: Field): boolean {
  if (p.fields.has(field)) return true;
  if (p.epochDay !== undefined && DATE_FIELDS.has(field)) return true;
  return p.nanoOfDay !== undefined && TIME_FIELDS.has(field);
}

function parsedValue(p: Parsed, field: Field): number {
  const v = p.fields.get(field);
  if (v !== undefined) return v;
  if (p.epochDay !== undefined && DATE_FIELDS.has(field)) return dateFieldValue(p.epochDay, field)!;
  return timeFieldValue(p.nanoOfDay!, field)!;
}

// ---------------------------------------------------------------------------------------------
// ZonedDateTime.with(field, value), for StringToTimestampParser

interface Zoned {
  readonly epochDay: number;
  readonly nanoOfDay: number;
  readonly zone: Zone;
  readonly offset: number;
}

function zonedOfLocal(epochDay: number, nanoOfDay: number, zone: Zone, preferred?: number): Zoned {
  const secondOfDay = Math.floor(nanoOfDay / 1e9);
  const nanos = nanoOfDay - secondOfDay * 1e9;
  const resolved = resolveLocal(zone, epochDay * SECONDS_PER_DAY + secondOfDay, preferred);
  const day = Math.floor(resolved.localSeconds / SECONDS_PER_DAY);
  return { epochDay: day, nanoOfDay: (resolved.localSeconds - day * SECONDS_PER_DAY) * 1e9 + nanos, zone, offset: resolved.offset };
}

function zonedOfInstant(epochSeconds: number, nanos: number, zone: Zone): Zoned {
  const offset = offsetSecondsAt(zone, epochSeconds * 1000);
  const local = epochSeconds + offset;
  const day = Math.floor(local / SECONDS_PER_DAY);
  return { epochDay: day, nanoOfDay: (local - day * SECONDS_PER_DAY) * 1e9 + nanos, zone, offset };
}

/** LocalDate.with(field, value). */
function dateWith(epochDay: number, field: Field, value: number): number {
  checkValid(field, value);
  const [year, month, day] = civilOf(epochDay);
  const current = dateFieldValue(epochDay, field)!;
  switch (field) {
    case 'DayOfWeek':
    case 'AlignedDayOfWeekInMonth':
    case 'AlignedDayOfWeekInYear':
      return epochDay + (value - current);
    case 'AlignedWeekOfMonth':
    case 'AlignedWeekOfYear':
      return epochDay + (value - current) * 7;
    case 'DayOfMonth':
      return epochDayOf(year, month, value);
    case 'DayOfYear':
      if (value === 366 && !isLeap(year)) throw new SqlValueError(`Invalid date 'DayOfYear 366' as '${year}' is not a leap year`);
      return daysFromCivil(year, 1, 1) + value - 1;
    case 'EpochDay':
      return value;
    case 'MonthOfYear':
      return daysFromCivil(year, value, Math.min(day, monthLength(year, value)));
    case 'ProlepticMonth': {
      const months = year * 12 + month - 1 + (value - current);
      const y = Math.floor(months / 12);
      const m = floorMod(months, 12) + 1;
      return daysFromCivil(y, m, Math.min(day, monthLength(y, m)));
    }
    case 'YearOfEra':
    case 'Year':
    case 'Era': {
      const y = field === 'Year' ? value : field === 'YearOfEra' ? (year >= 1 ? value : 1 - value) : value === current ? year : 1 - year;
      return daysFromCivil(y, month, Math.min(day, monthLength(y, month)));
    }
    default:
      return epochDay;
  }
}

/** LocalTime.with(field, value). */
function timeWith(nanoOfDay: number, field: Field, value: number): number {
  checkValid(field, value);
  const secondOfDay = Math.floor(nanoOfDay / 1e9);
  const nano = nanoOfDay - secondOfDay * 1e9;
  const hour = Math.floor(secondOfDay / 3600);
  const minute = Math.floor(secondOfDay / 60) % 60;
  const second = secondOfDay % 60;
  const at = (h: number, m: number, s: number, n: number): number => ((h * 60 + m) * 60 + s) * 1e9 + n;
  const plusNanos = (n: number): number => floorMod(nanoOfDay + n, NANOS_PER_DAY);
  switch (field) {
    case 'NanoOfSecond':
      return at(hour, minute, second, value);
    case 'NanoOfDay':
      return value;
    case 'MicroOfSecond':
      return at(hour, minute, second, value * 1000);
    case 'MicroOfDay':
      return value * 1000;
    case 'MilliOfSecond':
      return at(hour, minute, second, value * NANOS_PER_MILLI);
    case 'MilliOfDay':
      return value * NANOS_PER_MILLI;
    case 'SecondOfMinute':
      return at(hour, minute, value, nano);
    case 'SecondOfDay':
      return plusNanos((value - secondOfDay) * 1e9);
    case 'MinuteOfHour':
      return at(hour, value, second, nano);
    case 'MinuteOfDay':
      return plusNanos((value - (hour * 60 + minute)) * 60e9);
    case 'HourOfAmPm':
      return plusNanos((value - (hour % 12)) * 3_600e9);
    case 'ClockHourOfAmPm':
      return plusNanos(((value === 12 ? 0 : value) - (hour % 12)) * 3_600e9);
    case 'HourOfDay':
      return at(value, minute, second, nano);
    case 'ClockHourOfDay':
      return at(value === 24 ? 0 : value, minute, second, nano);
    case 'AmPmOfDay':
      return plusNanos((value - Math.floor(hour / 12)) * 12 * 3_600e9);
    default:
      return nanoOfDay;
  }
}

function zonedField(z: Zoned, field: ChronoField): number | undefined {
  if (field === 'OffsetSeconds') return z.offset;
  if (field === 'InstantSeconds') return z.epochDay * SECONDS_PER_DAY + Math.floor(z.nanoOfDay / 1e9) - z.offset;
  return TIME_FIELDS.has(field) ? timeFieldValue(z.nanoOfDay, field) : dateFieldValue(z.epochDay, field);
}

function zonedWith(z: Zoned, field: ChronoField, value: number): Zoned {
  if (field === 'InstantSeconds') return zonedOfInstant(value, z.nanoOfDay % 1e9, z.zone);
  if (field === 'OffsetSeconds') {
    checkValid(field, value);
    const localSeconds = z.epochDay * SECONDS_PER_DAY + Math.floor(z.nanoOfDay / 1e9);
    return validOffsets(z.zone, localSeconds).includes(value) ? { ...z, offset: value } : z;
  }
  if (TIME_FIELDS.has(field)) return zonedOfLocal(z.epochDay, timeWith(z.nanoOfDay, field, value), z.zone, z.offset);
  return zonedOfLocal(dateWith(z.epochDay, field, value), z.nanoOfDay, z.zone, z.offset);
}

// =============================================================================================
// Compiled patterns

/** A compiled DateTimeFormatter pattern, formatting and parsing as ksqlDB's functions do. */
export interface DateTimePattern {
  readonly pattern: string;
  /** LocalDate.format. */
  formatDate(epochDay: number): string;
  /** LocalTime.format. */
  formatTime(millisOfDay: number): string;
  /** Instant.atZone(zone).format. */
  formatTimestamp(epochMillis: number, zone: Zone): string;
  /** LocalDate.from(parse(text)); with rejectTime (PARSE_DATE), also fails if the text has a time field, and ignores text after the pattern. */
  parseDate(text: string, rejectTime?: boolean): number;
  /** LocalTime.from(parse(text)) in millis of day; fails if the text has a date field (PARSE_TIME). */
  parseTime(text: string): number;
  /** ksqlDB's StringToTimestampParser: epoch millis, in the parsed zone or else `zone`. */
  parseTimestamp(text: string, zone: Zone): number;
}

class CompiledPattern implements DateTimePattern {
  constructor(
    readonly pattern: string,
    private readonly root: Composite,
    private readonly caseSensitive: boolean,
  ) {}

  private format(moment: Moment): string {
    const out: string[] = [];
    this.root.format(new FormatContext(moment), out);
    return out.join('');
  }

  formatDate(epochDay: number): string {
    return this.format({ epochDay, text: isoDate(epochDay) });
  }

  formatTime(millisOfDay: number): string {
    const nanoOfDay = millisOfDay * NANOS_PER_MILLI;
    return this.format({ nanoOfDay, text: isoTime(nanoOfDay) });
  }

  formatTimestamp(epochMillis: number, zone: Zone): string {
    const offsetSeconds = offsetSecondsAt(zone, epochMillis);
    const local = epochMillis + offsetSeconds * 1000;
    const epochDay = Math.floor(local / MILLIS_PER_DAY);
    const nanoOfDay = (local - epochDay * MILLIS_PER_DAY) * NANOS_PER_MILLI;
    const text = `${isoDate(epochDay)}T${isoTime(nanoOfDay)}${offsetId(offsetSeconds)}${zone.isOffset ? '' : `[${zone.id}]`}`;
    return this.format({ epochDay, nanoOfDay, zone, offsetSeconds, epochMillis, text });
  }

  /**
   * DateTimeFormatter.parse: the whole text must match, then the fields are resolved.
   * `upToPattern`: parse(text, ParsePosition) instead, where text after the pattern is ignored.
   */
  private parse(text: string, upToPattern = false): Parsed {
    const ctx = new ParseContext(this.caseSensitive);
    const end = this.root.parse(ctx, text, 0);
    const shown = text.length > 64 ? `${text.slice(0, 64)}...` : text;
    if (end < 0) throw new SqlValueError(`Text '${shown}' could not be parsed at index ${~end}`);
    if (end < text.length && !upToPattern) throw new SqlValueError(`Text '${shown}' could not be parsed, unparsed text found at index ${end}`);
    try {
      return resolveParsed(ctx);
    } catch (e) {
      throw new SqlValueError(`Text '${shown}' could not be parsed: ${(e as Error).message}`);
    }
  }

  parseDate(text: string, rejectTime = false): number {
    // PARSE_DATE (rejectTime) reads up to the end of the pattern, as ksqlDB's does: '2003-12-24-01-01' is 2003-12-24.
    const parsed = this.parse(text, rejectTime);
    if (rejectTime && (parsed.nanoOfDay !== undefined || [...parsed.fields.keys()].some((f) => TIME_FIELDS.has(f)))) {
      throw new SqlValueError('Date format contains time field.');
    }
    if (parsed.epochDay === undefined) {
      throw new SqlValueError(`Unable to obtain LocalDate from TemporalAccessor: ${describeParsed(parsed)} of type java.time.format.Parsed`);
    }
    return parsed.epochDay;
  }

  parseTime(text: string): number {
    const parsed = this.parse(text);
    if (parsed.epochDay !== undefined || [...parsed.fields.keys()].some((f) => DATE_FIELDS.has(f))) {
      throw new SqlValueError('Time format contains date field.');
    }
    if (parsed.nanoOfDay === undefined) {
      throw new SqlValueError(`Unable to obtain LocalTime from TemporalAccessor: ${describeParsed(parsed)} of type java.time.format.Parsed`);
    }
    return Math.floor(parsed.nanoOfDay / NANOS_PER_MILLI);
  }

  parseTimestamp(text: string, zone: Zone): number {
    const parsed = this.parse(text);
    const offset = parsed.fields.get('OffsetSeconds');
    const start = parsed.zone ?? (offset !== undefined ? offsetZone(checkValid('OffsetSeconds', offset)) : zone);
    let z: Zoned = zonedOfLocal(0, 0, start);
    for (const field of CHRONO_FIELDS) {
      if (!parsedSupports(parsed, field)) continue;
      const value = parsedValue(parsed, field);
      if (field === 'DayOfYear' && value === 366) {
        if (!parsedSupports(parsed, 'Year')) throw new SqlValueError('Leap day cannot be parsed without supplying the year field');
        // The year goes first, or 1970 (not a leap year) would reject day 366.
        z = zonedWith(z, 'Year', parsedValue(parsed, 'Year'));
      }
      // with() of the value a field already has changes nothing.
      if (zonedField(z, field) !== value) z = zonedWith(z, field, value);
    }
    const epochSeconds = z.epochDay * SECONDS_PER_DAY + Math.floor(z.nanoOfDay / 1e9) - z.offset;
    return epochSeconds * 1000 + Math.floor((z.nanoOfDay % 1e9) / NANOS_PER_MILLI);
  }
}

export interface PatternOptions {
  /** parseCaseInsensitive(), as every ksqlDB parsing function uses. */
  readonly caseInsensitive?: boolean;
  /** The formatter's locale: en_US (the default) or ROOT. */
  readonly locale?: PatternLocale;
}

/** DateTimeFormatterBuilder.appendPattern(pattern).toFormatter(locale); throws SqlValueError on a bad pattern. */
export function compileDateTimePattern(pattern: string, options: PatternOptions = {}): DateTimePattern {
  return new CompiledPattern(pattern, new PatternBuilder(pattern, options.locale ?? 'en_US').compile(), !options.caseInsensitive);
}

/** ksqlDB's StringToTimestampParser formatter: case-insensitive, Locale.ROOT (PARSE_TIMESTAMP, TIMESTAMP_FORMAT). */
export function timestampPattern(pattern: string): DateTimePattern {
  return cachedPattern(pattern, 'iROOT');
}

const PATTERN_CACHE_SIZE = 1000;
const patternCache = new Map<string, DateTimePattern | SqlValueError>();

/** How a function builds its formatter: case-insensitive or not, and the locale. */
type PatternKind = 'sen_US' | 'ien_US' | 'iROOT';

/** Compiled patterns are shared (like ksqlDB's per-function caches of 1000 formatters). */
function cachedPattern(pattern: string, kind: PatternKind): DateTimePattern {
  const key = `${kind}:${pattern}`;
  let compiled = patternCache.get(key);
  if (compiled === undefined) {
    try {
      compiled = compileDateTimePattern(pattern, { caseInsensitive: kind[0] === 'i', locale: kind === 'iROOT' ? 'ROOT' : 'en_US' });
    } catch (e) {
      compiled = e instanceof SqlValueError ? e : new SqlValueError(String(e));
    }
    if (patternCache.size >= PATTERN_CACHE_SIZE) patternCache.delete(patternCache.keys().next().value!);
    patternCache.set(key, compiled);
  }
  if (compiled instanceof SqlValueError) throw compiled;
  return compiled;
}

/** One call site's pattern: a literal pattern is looked up once, a changing one through the shared cache. */
function patternSite(kind: PatternKind): (pattern: string) => DateTimePattern {
  let lastPattern: string | undefined;
  let last: DateTimePattern | undefined;
  return (pattern) => {
    if (pattern !== lastPattern || last === undefined) {
      last = cachedPattern(pattern, kind);
      lastPattern = pattern;
    }
    return last;
  };
}

function isoDate(epochDay: number): string {
  const [y, m, d] = civilFromDays(epochDay);
  const year = y > 9999 ? `+${y}` : y < 0 ? `-${pad(-y, 4)}` : pad(y, 4);
  return `${year}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** LocalTime.toString(). */
function isoTime(nanoOfDay: number): string {
  const secondOfDay = Math.floor(nanoOfDay / 1e9);
  const nano = nanoOfDay - secondOfDay * 1e9;
  const second = secondOfDay % 60;
  let text = `${pad(Math.floor(secondOfDay / 3600), 2)}:${pad(Math.floor(secondOfDay / 60) % 60, 2)}`;
  if (second > 0 || nano > 0) {
    text += `:${pad(second, 2)}`;
    if (nano > 0) {
      if (nano % 1e6 === 0) text += `.${pad(nano / 1e6, 3)}`;
      else if (nano % 1000 === 0) text += `.${pad(nano / 1000, 6)}`;
      else text += `.${pad(nano, 9)}`;
    }
  }
  return text;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

// =============================================================================================
// Time units (java.util.concurrent.TimeUnit) for DATEADD and friends

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

const UNIT_NANOS: Readonly<Record<string, bigint>> = {
  NANOSECONDS: 1n,
  MICROSECONDS: 1_000n,
  MILLISECONDS: 1_000_000n,
  SECONDS: 1_000_000_000n,
  MINUTES: 60_000_000_000n,
  HOURS: 3_600_000_000_000n,
  DAYS: 86_400_000_000_000n,
};

/** The TimeUnit an INTERVALUNIT keyword names: DAY or DAYS, any case. */
function timeUnit(unit: string): bigint {
  const upper = unit.toUpperCase();
  const nanos = UNIT_NANOS[upper] ?? UNIT_NANOS[`${upper}S`];
  if (nanos === undefined) throw new SqlValueError(`Unknown time unit: ${unit}`);
  return nanos;
}

function saturate(v: bigint): bigint {
  return v < LONG_MIN ? LONG_MIN : v > LONG_MAX ? LONG_MAX : v;
}

/** TimeUnit.toNanos(d): saturates at the long range. */
function unitToNanos(unit: string, amount: number): bigint {
  return saturate(timeUnit(unit) * BigInt(amount));
}

/** TimeUnit.toMillis(d): truncates toward zero for finer units, saturates for coarser ones. */
function unitToMillis(unit: string, amount: number): number {
  const nanosPerUnit = timeUnit(unit);
  const millis = nanosPerUnit >= 1_000_000n ? saturate((nanosPerUnit / 1_000_000n) * BigInt(amount)) : BigInt(amount) / (1_000_000n / nanosPerUnit);
  return Number(millis);
}

/** LocalTime.plusNanos on millis of day; the result is back in whole millis. */
function timePlusNanos(millisOfDay: number, nanos: bigint): number {
  const day = BigInt(NANOS_PER_DAY);
  const start = BigInt(millisOfDay) * 1_000_000n;
  const result = (((start + (nanos % day)) % day) + day) % day;
  return Number(result / 1_000_000n);
}

/** DATEADD/DATESUB: whole days of (date + duration), truncated toward zero as TimeUnit.toDays does. */
function dateShift(epochDay: number, millis: number): number {
  return Math.trunc((epochDay * MILLIS_PER_DAY + millis) / MILLIS_PER_DAY) + 0;
}

// =============================================================================================
// Functions

function toNumber(v: bigint | number): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

function failure(what: string, cause: unknown): SqlValueError {
  return new SqlValueError(`${what}: ${(cause as Error).message}`);
}

const DATETOSTRING: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'datetostring',
  category: 'DATE / TIME',
  description:
    'Converts an integer representing days since epoch to a date string using the given format pattern. ' +
    'Note this is the format Kafka Connect uses to represent dates with no time component. ' +
    'The format pattern should be in the format expected by java.time.format.DateTimeFormatter',
  variants: [
    {
      params: ['INTEGER', 'STRING'],
      paramNames: ['epochDays', 'formatPattern'],
      returns: 'STRING',
      bind: () => {
        const site = patternSite('sen_US');
        return (epochDays: number, pattern: string) => {
          try {
            return site(pattern).formatDate(epochDays);
          } catch (e) {
            throw failure(`Failed to format date ${epochDays} with formatter '${pattern}'`, e);
          }
        };
      },
    },
  ],
};

const STRINGTODATE: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'stringtodate',
  category: 'DATE / TIME',
  description:
    'Converts a string representation of a date in the given format into the number of days since 1970-01-01 00:00:00 UTC/GMT. ' +
    'The format pattern should be in the format expected by java.time.format.DateTimeFormatter',
  variants: [
    {
      params: ['STRING', 'STRING'],
      paramNames: ['formattedDate', 'formatPattern'],
      returns: 'INTEGER',
      bind: () => {
        const site = patternSite('ien_US');
        return (text: string, pattern: string) => {
          try {
            return site(pattern).parseDate(text);
          } catch (e) {
            throw failure(`Failed to parse date '${text}' with formatter '${pattern}'`, e);
          }
        };
      },
    },
  ],
};

function zoneSite(): (id: string) => Zone {
  let lastId: string | undefined;
  let last: Zone | undefined;
  return (id) => {
    if (id !== lastId || last === undefined) {
      last = zoneOf(id);
      lastId = id;
    }
    return last;
  };
}

/** STRINGTOTIMESTAMP and PARSE_TIMESTAMP: StringToTimestampParser, in a given zone or `defaultZone`. */
function timestampParsing(defaultZone: Zone, toResult: (millis: number) => unknown) {
  return {
    twoArgs: () => {
      const site = patternSite('iROOT');
      return (text: string, pattern: string) => {
        try {
          return toResult(site(pattern).parseTimestamp(text, defaultZone));
        } catch (e) {
          throw failure(`Failed to parse timestamp '${text}' with formatter '${pattern}'`, e);
        }
      };
    },
    threeArgs: () => {
      const site = patternSite('iROOT');
      const zones = zoneSite();
      return (text: string, pattern: string, zoneId: string) => {
        try {
          return toResult(site(pattern).parseTimestamp(text, zones(zoneId)));
        } catch (e) {
          throw failure(`Failed to parse timestamp '${text}' at timezone '${zoneId}' with formatter '${pattern}'`, e);
        }
      };
    },
  };
}

/** TIMESTAMPTOSTRING and FORMAT_TIMESTAMP: Instant.atZone(zone).format(pattern), by default in `defaultZone`. */
function timestampFormatting(defaultZone: Zone) {
  return {
    twoArgs: () => {
      const site = patternSite('sen_US');
      return (ts: bigint | number, pattern: string) => {
        const millis = toNumber(ts);
        try {
          return site(pattern).formatTimestamp(millis, defaultZone);
        } catch (e) {
          throw failure(`Failed to format timestamp ${millis} with formatter '${pattern}'`, e);
        }
      };
    },
    threeArgs: () => {
      const site = patternSite('sen_US');
      const zones = zoneSite();
      return (ts: bigint | number, pattern: string, zoneId: string) => {
        const millis = toNumber(ts);
        try {
          return site(pattern).formatTimestamp(millis, zones(zoneId));
        } catch (e) {
          throw failure(`Failed to format timestamp ${millis} at timeZone '${zoneId}' with formatter '${pattern}'`, e);
        }
      };
    },
  };
}

// The older functions default to the JVM's zone; FORMAT_TIMESTAMP and PARSE_TIMESTAMP to ZoneId.of("GMT").
const GMT = zoneOf('GMT');
const stringToTimestamp = timestampParsing(DEFAULT_ZONE, (millis) => BigInt(millis));
const parseTimestamp = timestampParsing(GMT, (millis) => millis);
const timestampToString = timestampFormatting(DEFAULT_ZONE);
const formatTimestamp = timestampFormatting(GMT);

const STRINGTOTIMESTAMP: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'stringtotimestamp',
  category: 'DATE / TIME',
  description: 'Converts a string representation of a date in the given format into the BIGINT value that represents the millisecond timestamp.',
  variants: [
    { params: ['STRING', 'STRING'], paramNames: ['formattedTimestamp', 'formatPattern'], returns: 'BIGINT', bind: stringToTimestamp.twoArgs },
    {
      params: ['STRING', 'STRING', 'STRING'],
      paramNames: ['formattedTimestamp', 'formatPattern', 'timeZone'],
      returns: 'BIGINT',
      bind: stringToTimestamp.threeArgs,
    },
  ],
};

const TIMESTAMPTOSTRING: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'timestamptostring',
  category: 'DATE / TIME',
  description:
    'Converts a number of milliseconds since 1970-01-01 00:00:00 UTC/GMT into the string representation of the timestamp ' +
    'in the given format. The system default time zone is used when no time zone is explicitly provided.',
  variants: [
    { params: ['BIGINT', 'STRING'], paramNames: ['epochMilli', 'formatPattern'], returns: 'STRING', bind: timestampToString.twoArgs },
    {
      params: ['BIGINT', 'STRING', 'STRING'],
      paramNames: ['epochMilli', 'formatPattern', 'timeZone'],
      returns: 'STRING',
      bind: timestampToString.threeArgs,
    },
  ],
};

const FORMAT_TIMESTAMP: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'format_timestamp',
  category: 'DATE / TIME',
  description: 'Converts a TIMESTAMP value into the string representation of the timestamp in the given format.',
  variants: [
    { params: ['TIMESTAMP', 'STRING'], paramNames: ['timestamp', 'formatPattern'], returns: 'STRING', bind: formatTimestamp.twoArgs },
    {
      params: ['TIMESTAMP', 'STRING', 'STRING'],
      paramNames: ['timestamp', 'formatPattern', 'timeZone'],
      returns: 'STRING',
      bind: formatTimestamp.threeArgs,
    },
  ],
};

const PARSE_TIMESTAMP: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'parse_timestamp',
  category: 'DATE / TIME',
  description: 'Converts a string representation of a date in the given format into a TIMESTAMP value.',
  variants: [
    { params: ['STRING', 'STRING'], paramNames: ['formattedTimestamp', 'formatPattern'], returns: 'TIMESTAMP', bind: parseTimestamp.twoArgs },
    {
      params: ['STRING', 'STRING', 'STRING'],
      paramNames: ['formattedTimestamp', 'formatPattern', 'timeZone'],
      returns: 'TIMESTAMP',
      bind: parseTimestamp.threeArgs,
    },
  ],
};

const FORMAT_DATE: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'format_date',
  category: 'DATE / TIME',
  description:
    'Converts a DATE value to a string using the given format pattern. ' +
    'The format pattern should be in the format expected by java.time.format.DateTimeFormatter.',
  variants: [
    {
      params: ['DATE', 'STRING'],
      paramNames: ['date', 'formatPattern'],
      returns: 'STRING',
      bind: () => {
        const site = patternSite('sen_US');
        return (date: number, pattern: string) => {
          try {
            return site(pattern).formatDate(date);
          } catch (e) {
            throw failure(`Failed to format date ${isoDate(date)} with formatter '${pattern}'`, e);
          }
        };
      },
    },
  ],
};

const PARSE_DATE: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'parse_date',
  category: 'DATE / TIME',
  description:
    'Converts a string representation of a date in the given format into a DATE value. ' +
    'The format pattern should be in the format expected by java.time.format.DateTimeFormatter',
  variants: [
    {
      params: ['STRING', 'STRING'],
      paramNames: ['formattedDate', 'formatPattern'],
      returns: 'DATE',
      bind: () => {
        const site = patternSite('ien_US');
        return (text: string, pattern: string) => {
          try {
            return site(pattern).parseDate(text, true);
          } catch (e) {
            throw failure(`Failed to parse date '${text}' with formatter '${pattern}'`, e);
          }
        };
      },
    },
  ],
};

const FORMAT_TIME: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'format_time',
  category: 'DATE / TIME',
  description: 'Converts a TIME value into the string representation of the time in the given format.',
  variants: [
    {
      params: ['TIME', 'STRING'],
      paramNames: ['time', 'formatPattern'],
      returns: 'STRING',
      bind: () => {
        const site = patternSite('sen_US');
        return (time: number, pattern: string) => {
          try {
            return site(pattern).formatTime(time);
          } catch (e) {
            throw failure(`Failed to format time ${isoTime(time * NANOS_PER_MILLI)} with formatter '${pattern}'`, e);
          }
        };
      },
    },
  ],
};

const PARSE_TIME: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'parse_time',
  category: 'DATE / TIME',
  description: 'Converts a string representation of a time in the given format into a TIME value.',
  variants: [
    {
      params: ['STRING', 'STRING'],
      paramNames: ['formattedTime', 'formatPattern'],
      returns: 'TIME',
      bind: () => {
        const site = patternSite('ien_US');
        return (text: string, pattern: string) => {
          try {
            return site(pattern).parseTime(text);
          } catch (e) {
            throw failure(`Failed to parse time '${text}' with formatter '${pattern}'`, e);
          }
        };
      },
    },
  ],
};

const CONVERT_TZ: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'convert_tz',
  category: 'DATE / TIME',
  description: 'Converts a TIMESTAMP value from one timezone to another.',
  variants: [
    {
      params: ['TIMESTAMP', 'STRING', 'STRING'],
      paramNames: ['timestamp', 'fromTimeZone', 'toTimeZone'],
      returns: 'TIMESTAMP',
      bind: () => {
        const from = zoneSite();
        const to = zoneSite();
        return (ts: number, fromZone: string, toZone: string) => {
          try {
            // Both offsets are taken at the given instant, as TimeZone.getOffset(millis) does.
            return ts + (offsetSecondsAt(to(toZone), ts) - offsetSecondsAt(from(fromZone), ts)) * 1000;
          } catch (e) {
            throw failure('Invalid time zone', e);
          }
        };
      },
    },
  ],
};

const FROM_UNIXTIME: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'from_unixtime',
  category: 'DATE / TIME',
  description: 'Converts a number of millisecond 1970-01-01 00:00:00 UTC/GMT into a TIMESTAMP value.',
  variants: [{ params: ['BIGINT'], paramNames: ['epochMilli'], returns: 'TIMESTAMP', impl: (millis: bigint) => Number(millis) }],
};

const FROM_DAYS: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'from_days',
  category: 'DATE / TIME',
  description: 'Converts a number of days since epoch to a DATE value.',
  variants: [{ params: ['INTEGER'], paramNames: ['days'], returns: 'DATE', impl: (days: number) => days }],
};

const UNIX_DATE: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'unix_date',
  category: 'DATE / TIME',
  description: 'Returns the current number of days for the system since 1970-01-01 00:00:00 UTC/GMT.',
  variants: [
    { params: [], returns: 'INTEGER', impl: () => Math.floor(Date.now() / MILLIS_PER_DAY) },
    {
      params: ['DATE'],
      paramNames: ['date'],
      returns: 'INTEGER',
      description: 'Returns the current number of days since 1970-01-01 00:00:00 UTC/GMT represented by the given date.',
      impl: (date: number) => date,
    },
  ],
};

const UNIX_TIMESTAMP: FunctionDefinition = {
  kind: 'SCALAR',
  name: 'unix_timestamp',
  category: 'DATE / TIME',
  description: 'Returns the current number of milliseconds for the system since 1970-01-01 00:00:00 UTC/GMT.',
  variants: [
    { params: [], returns: 'BIGINT', impl: () => BigInt(Date.now()) },
    {
      params: ['TIMESTAMP'],
      paramNames: ['timestamp'],
      returns: 'BIGINT',
      description: 'Returns the number of milliseconds since 1970-01-01 00:00:00 UTC/GMT represented by the given timestamp.',
      impl: (ts: number) => BigInt(ts),
    },
  ],
};

/** DATEADD, TIMEADD, TIMESTAMPADD and their SUB twins: (unit, interval, value). */
function shiftFunction(
  name: string,
  kind: 'DATE' | 'TIME' | 'TIMESTAMP',
  sign: 1 | -1,
  description: string,
): FunctionDefinition {
  const shift = (unit: string, interval: number, value: number): number => {
    switch (kind) {
      case 'DATE':
        return dateShift(value, sign * unitToMillis(unit, interval));
      case 'TIME': {
        const nanos = unitToNanos(unit, interval);
        // LocalTime.minus(Long.MIN_VALUE) is plus(Long.MAX_VALUE).plus(1).
        return timePlusNanos(value, sign === 1 ? nanos : nanos === LONG_MIN ? LONG_MAX + 1n : -nanos);
      }
      case 'TIMESTAMP':
        return value + sign * unitToMillis(unit, interval);
      default: {
        const unreachable: never = kind;
        throw new Error(`Unknown kind ${String(unreachable)}`);
      }
    }
  };
  return {
    kind: 'SCALAR',
    name,
    category: 'DATE / TIME',
    description,
    variants: [
      {
        params: ['INTERVALUNIT', 'INTEGER', kind],
        paramNames: ['unit', 'interval', kind.toLowerCase()],
        returns: kind,
        description,
        impl: shift,
      },
    ],
  };
}

const DATEADD = shiftFunction('dateadd', 'DATE', 1, 'Adds a duration to a DATE value.');
const DATESUB = shiftFunction('datesub', 'DATE', -1, 'Subtracts a duration from a DATE value.');
const TIMEADD = shiftFunction('timeadd', 'TIME', 1, 'Adds a duration to a TIME value.');
const TIMESUB = shiftFunction('timesub', 'TIME', -1, 'Subtracts a duration from a TIME value.');
const TIMESTAMPADD = shiftFunction('timestampadd', 'TIMESTAMP', 1, 'Adds a duration to a TIMESTAMP value.');
const TIMESTAMPSUB = shiftFunction('timestampsub', 'TIMESTAMP', -1, 'Subtracts a duration from a TIMESTAMP value.');

export const FUNCTIONS: FunctionDefinition[] = [
  CONVERT_TZ,
  DATEADD,
  DATESUB,
  DATETOSTRING,
  FORMAT_DATE,
  FORMAT_TIME,
  FORMAT_TIMESTAMP,
  FROM_DAYS,
  FROM_UNIXTIME,
  PARSE_DATE,
  PARSE_TIME,
  PARSE_TIMESTAMP,
  STRINGTODATE,
  STRINGTOTIMESTAMP,
  TIMEADD,
  TIMESTAMPADD,
  TIMESTAMPSUB,
  TIMESTAMPTOSTRING,
  TIMESUB,
  UNIX_DATE,
  UNIX_TIMESTAMP,
];
