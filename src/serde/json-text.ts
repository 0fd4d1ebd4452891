/**
 * JSON text as ksqlDB's Jackson reads and writes it, without JSON.parse's loss of precision:
 * numbers keep their text (so 1.50 stays 1.50 and 2^63-1 stays exact), duplicate keys keep
 * the last value, and strings are escaped as Jackson's UTF-8 generator escapes them.
 */
import { Decimal, formatDouble } from '../schema/index.js';

/**
 * A JSON number that a JS number cannot stand for exactly: any number with a fraction or
 * exponent (Jackson's DecimalNode, whose text ksqlDB keeps), or an integer of 16+ digits.
 * Integers of up to 15 digits parse to plain JS numbers.
 */
export class JsonNumber {
  constructor(
    readonly text: string,
    /** No fraction or exponent: Jackson's IntNode / LongNode / BigIntegerNode. */
    readonly integral: boolean,
  ) {}
}

/** A JSON object: keys and values in document order (duplicate keys kept; readers take the last). */
export class JsonObject {
  constructor(
    readonly keys: string[],
    readonly values: JsonValue[],
  ) {}

  /** The value of the last entry with this key, or undefined. */
  get(key: string): JsonValue | undefined {
    for (let i = this.keys.length - 1; i >= 0; i--) if (this.keys[i] === key) return this.values[i];
    return undefined;
  }
}

export type JsonValue = null | boolean | number | string | JsonNumber | JsonValue[] | JsonObject;

export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
}

// The parser is a set of functions over module state: parsing is synchronous and never
// re-entered, and this is measurably faster than fields of an object.
let src = '';
let pos = 0;
let len = 0;

/**
 * Parse the first JSON value in `text`. Like Jackson's readTree, content after that value
 * is ignored; an empty document is an error.
 */
export function parseJson(text: string): JsonValue {
  src = text;
  pos = 0;
  len = text.length;
  try {
    skipWhitespace();
    if (pos >= len) throw new JsonSyntaxError('No content to map due to end-of-input');
    return parseValue();
  } catch (e) {
    if (e instanceof RangeError) throw new JsonSyntaxError('JSON nested too deeply');
    throw e;
  } finally {
    src = '';
  }
}

/**
 * The names a row reader looks for among a top-level object's keys, compiled once per serde.
 * Records of one topic mostly list their keys in one order, so the name found at each key
 * position is remembered and compared in place first: a key that matches costs no string.
 */
export class JsonFieldTable {
  readonly index = new Map<string, number>();
  /** Names that can be compared with the raw key text (no escape or control character in them). */
  private readonly plain: boolean[];
  /** Per key position: the name index found there in the last object, or -1. */
  readonly guess: number[] = [];
  /** Values whose upper-cased key (not the exact one) is a name; filled when parseJsonFields returns FIELDS_UPPER. */
  readonly upper: (JsonValue | undefined)[];

  /** Per name: its values are read as DOUBLE, so numbers can be read straight to JS numbers. */
  readonly doubles: boolean[];

  constructor(
    readonly names: readonly string[],
    doubles: readonly boolean[] = [],
  ) {
    this.doubles = names.map((_, i) => doubles[i] === true);
    names.forEach((name, i) => this.index.set(name, i));
    this.plain = names.map((name) => !/["\\\u0000-\u001f]/.test(name));
    this.upper = new Array(names.length);
  }

  /** True when the key at the parse position (its opening quote) is exactly name `i`; moves past it then. */
  matchInPlace(i: number): boolean {
    const name = this.names[i] as string;
    if (!this.plain[i] || src.charCodeAt(pos + 1 + name.length) !== 0x22 || !src.startsWith(name, pos + 1)) return false;
    pos += name.length + 2;
    return true;
  }
}

/** parseJsonFields: the document is not an object (read it with parseJson). */
export const NOT_AN_OBJECT = 0;
/** parseJsonFields: the object's entries are in `out` by exact name. */
export const FIELDS_EXACT = 1;
/** parseJsonFields: as FIELDS_EXACT, and the table's `upper` holds entries matched upper-cased. */
export const FIELDS_UPPER = 2;

/**
 * Reads a top-level object straight into `out` (length = the table's names): each entry whose
 * key is a name lands at that name's index, the last one winning among duplicates; other
 * entries are parsed (so the document is checked as parseJson checks it) and dropped, except
 * that those whose upper-cased key is a name go to the table's `upper`. Content after the
 * object is ignored, as parseJson ignores it.
 */
export function parseJsonFields(text: string, table: JsonFieldTable, out: (JsonValue | undefined)[]): number {
  src = text;
  pos = 0;
  len = text.length;
  try {
    skipWhitespace();
    if (src.charCodeAt(pos) !== 0x7b) return NOT_AN_OBJECT;
    pos++;
    skipWhitespace();
    if (src.charCodeAt(pos) === 0x7d) return FIELDS_EXACT;
    let status = FIELDS_EXACT;
    const guess = table.guess;
    for (let k = 0; ; k++) {
      if (src.charCodeAt(pos) !== 0x22) throw unexpected('was expecting double-quote to start field name');
      let at = k < guess.length ? (guess[k] as number) : -1;
      let upper = false;
      if (at < 0 || !table.matchInPlace(at)) {
        const key = parseString();
        const found = table.index.get(key);
        if (found !== undefined) at = found;
        else {
          at = table.index.get(key.toUpperCase()) ?? -1;
          upper = at >= 0;
        }
        if (!upper) guess[k] = at;
      }
      skipColon();
      const c0 = src.charCodeAt(pos);
      const value = at >= 0 && table.doubles[at] && (c0 === 0x2d || (c0 >= 0x30 && c0 <= 0x39)) ? parseNumber(true) : parseValue();
      if (upper) {
        if (status === FIELDS_EXACT) {
          table.upper.fill(undefined);
          status = FIELDS_UPPER;
        }
        table.upper[at] = value;
      } else if (at >= 0) out[at] = value;
      if (objectEnds()) return status;
    }
  } catch (e) {
    if (e instanceof RangeError) throw new JsonSyntaxError('JSON nested too deeply');
    throw e;
  } finally {
    src = '';
  }
}

function skipWhitespace(): void {
  while (pos < len) {
    const c = src.charCodeAt(pos);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
    else return;
  }
}

function parseValue(): JsonValue {
  const c = src.charCodeAt(pos);
  switch (c) {
    case 0x22: // "
      return parseString();
    case 0x7b: // {
      return parseObject();
    case 0x5b: // [
      return parseArray();
    case 0x74: // t
      return parseLiteral('true', true);
    case 0x66: // f
      return parseLiteral('false', false);
    case 0x6e: // n
      return parseLiteral('null', null);
    default:
      if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return parseNumber();
      throw unexpected('expected a valid value (JSON String, Number, Array, Object or token \'null\', \'true\' or \'false\')');
  }
}

function parseLiteral<T extends JsonValue>(word: string, value: T): T {
  if (src.startsWith(word, pos)) {
    const after = src.charCodeAt(pos + word.length);
    // Jackson rejects "truex" but accepts "true," / "true}" / "true ".
    if (!(isIdentifierChar(after))) {
      pos += word.length;
      return value;
    }
  }
  let end = pos;
  while (end < len && isIdentifierChar(src.charCodeAt(end))) end++;
  throw new JsonSyntaxError(
    `Unrecognized token '${src.slice(pos, Math.max(end, pos + 1))}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`,
  );
}

function isIdentifierChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/** `asDouble`: the reader wants a DOUBLE, so every number is read as one (no JsonNumber kept). */
function parseNumber(asDouble = false): number | JsonNumber {
  const start = pos;
  let negative = false;
  if (src.charCodeAt(pos) === 0x2d) {
    negative = true;
    pos++;
  }
  let c = src.charCodeAt(pos);
  let value = 0;
  let digits = 0;
  if (c === 0x30) {
    pos++;
    digits = 1;
    c = src.charCodeAt(pos);
    if (c >= 0x30 && c <= 0x39) throw new JsonSyntaxError("Invalid numeric value: Leading zeroes not allowed");
  } else if (c >= 0x31 && c <= 0x39) {
    do {
      value = value * 10 + (c - 0x30);
      digits++;
      c = src.charCodeAt(++pos);
    } while (c >= 0x30 && c <= 0x39);
  } else {
    throw unexpected('expected digit (0-9) to follow minus sign, for valid numeric value');
  }
  let integral = true;
  if (c === 0x2e) {
    integral = false;
    c = src.charCodeAt(++pos);
    if (!(c >= 0x30 && c <= 0x39)) throw unexpected('Decimal point not followed by a digit');
    do c = src.charCodeAt(++pos);
    while (c >= 0x30 && c <= 0x39);
  }
  if (c === 0x65 || c === 0x45) {
    integral = false;
    c = src.charCodeAt(++pos);
    if (c === 0x2b || c === 0x2d) c = src.charCodeAt(++pos);
    if (!(c >= 0x30 && c <= 0x39)) throw unexpected('Exponent indicator not followed by a digit');
    do c = src.charCodeAt(++pos);
    while (c >= 0x30 && c <= 0x39);
  }
  if (integral && digits <= 15) return negative ? (value === 0 ? 0 : -value) : value;
  if (asDouble) return Number(src.slice(start, pos));
  return new JsonNumber(src.slice(start, pos), integral);
}

function parseString(): string {
  const start = ++pos;
  while (pos < len) {
    const c = src.charCodeAt(pos);
    if (c === 0x22) return src.slice(start, pos++);
    if (c === 0x5c) return parseEscapedString(start);
    if (c < 0x20) throw controlCharacter(c);
    pos++;
  }
  throw new JsonSyntaxError('Unexpected end-of-input: was expecting closing quote for a string value');
}

function parseEscapedString(start: number): string {
  let out = src.slice(start, pos);
  while (pos < len) {
    const c = src.charCodeAt(pos);
    if (c === 0x22) {
      pos++;
      return out;
    }
    if (c === 0x5c) {
      const e = src.charCodeAt(pos + 1);
      pos += 2;
      switch (e) {
        case 0x22:
          out += '"';
          break;
        case 0x5c:
          out += '\\';
          break;
        case 0x2f:
          out += '/';
          break;
        case 0x62:
          out += '\b';
          break;
        case 0x66:
          out += '\f';
          break;
        case 0x6e:
          out += '\n';
          break;
        case 0x72:
          out += '\r';
          break;
        case 0x74:
          out += '\t';
          break;
        case 0x75: {
          const hex = src.slice(pos, pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            throw new JsonSyntaxError('Unexpected character: expected a hex-digit for character escape sequence');
          }
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 4;
          break;
        }
        default:
          throw new JsonSyntaxError(`Unrecognized character escape '${String.fromCharCode(e)}' (code ${e})`);
      }
      continue;
    }
    if (c < 0x20) throw controlCharacter(c);
    const runStart = pos;
    do pos++;
    while (pos < len && src.charCodeAt(pos) !== 0x22 && src.charCodeAt(pos) !== 0x5c && src.charCodeAt(pos) >= 0x20);
    out += src.slice(runStart, pos);
  }
  throw new JsonSyntaxError('Unexpected end-of-input: was expecting closing quote for a string value');
}

function parseObject(): JsonObject {
  pos++;
  const keys: string[] = [];
  const values: JsonValue[] = [];
  skipWhitespace();
  if (src.charCodeAt(pos) === 0x7d) {
    pos++;
    return new JsonObject(keys, values);
  }
  for (;;) {
    if (src.charCodeAt(pos) !== 0x22) throw unexpected('was expecting double-quote to start field name');
    keys.push(parseString());
    skipColon();
    values.push(parseValue());
    if (objectEnds()) return new JsonObject(keys, values);
  }
}

/** After an object's key: the colon and the whitespace around it. */
function skipColon(): void {
  skipWhitespace();
  if (src.charCodeAt(pos) !== 0x3a) throw unexpected('was expecting a colon to separate field name and value');
  pos++;
  skipWhitespace();
}

/** After an object's value: true past its closing brace, false past a comma (the next key comes). */
function objectEnds(): boolean {
  skipWhitespace();
  const c = src.charCodeAt(pos);
  if (c === 0x2c) {
    pos++;
    skipWhitespace();
    return false;
  }
  if (c === 0x7d) {
    pos++;
    return true;
  }
  throw unexpected('was expecting comma to separate Object entries');
}

function parseArray(): JsonValue[] {
  pos++;
  const items: JsonValue[] = [];
  skipWhitespace();
  if (src.charCodeAt(pos) === 0x5d) {
    pos++;
    return items;
  }
  for (;;) {
    items.push(parseValue());
    skipWhitespace();
    const c = src.charCodeAt(pos);
    if (c === 0x2c) {
      pos++;
      skipWhitespace();
    } else if (c === 0x5d) {
      pos++;
      return items;
    } else {
      throw unexpected('was expecting comma to separate Array entries');
    }
  }
}

function unexpected(what: string): JsonSyntaxError {
  if (pos >= len) return new JsonSyntaxError(`Unexpected end-of-input: ${what}`);
  const c = src.charCodeAt(pos);
  return new JsonSyntaxError(`Unexpected character ('${String.fromCharCode(c)}' (code ${c})): ${what}`);
}

function controlCharacter(c: number): JsonSyntaxError {
  return new JsonSyntaxError(
    `Illegal unquoted character ((CTRL-CHAR, code ${c})): has to be escaped using backslash to be included in string value`,
  );
}

// ---------------------------------------------------------------------------------------------
// Writing

const HEX = '0123456789ABCDEF';
const NEEDS_ESCAPE_UTF8 = /[\u0000-\u001f"\\\ud800-\udfff]/;
const NEEDS_ESCAPE_CHARS = /[\u0000-\u001f"\\]/;

/**
 * A JSON string literal as Jackson's UTF-8 generator writes it (what Kafka's JsonSerializer
 * and Confluent's JSON Schema serializer produce): `"` `\` and control characters escaped
 * (\b \t \n \f \r, else \u00XX upper-case), and every UTF-16 surrogate written as a \uXXXX
 * escape (so a non-BMP character becomes an escaped surrogate pair).
 */
export function quoteJson(text: string): string {
  if (!NEEDS_ESCAPE_UTF8.test(text)) return '"' + text + '"';
  return '"' + escape(text, true) + '"';
}

/** As quoteJson, but as Jackson's character-based generator (writeValueAsString) does: surrogates kept. */
export function quoteJsonChars(text: string): string {
  if (!NEEDS_ESCAPE_CHARS.test(text)) return '"' + text + '"';
  return '"' + escape(text, false) + '"';
}

function escape(text: string, surrogates: boolean): string {
  let out = '';
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let replacement: string | undefined;
    if (c < 0x20) {
      switch (c) {
        case 0x08:
          replacement = '\\b';
          break;
        case 0x09:
          replacement = '\\t';
          break;
        case 0x0a:
          replacement = '\\n';
          break;
        case 0x0c:
          replacement = '\\f';
          break;
        case 0x0d:
          replacement = '\\r';
          break;
        default:
          replacement = '\\u00' + HEX[c >> 4] + HEX[c & 0xf];
      }
    } else if (c === 0x22) {
      replacement = '\\"';
    } else if (c === 0x5c) {
      replacement = '\\\\';
    } else if (surrogates && c >= 0xd800 && c <= 0xdfff) {
      replacement = '\\u' + HEX[c >> 12] + HEX[(c >> 8) & 0xf] + HEX[(c >> 4) & 0xf] + HEX[c & 0xf];
    }
    if (replacement !== undefined) {
      out += text.slice(runStart, i) + replacement;
      runStart = i + 1;
    }
  }
  return out + text.slice(runStart);
}

/**
 * A DOUBLE as Jackson writes it: Java's Double.toString ("1.0", "1.0E10", "4.9E-324"), and
 * NaN / Infinity as the strings "NaN" / "Infinity" (QUOTE_NON_NUMERIC_NUMBERS).
 */
export function formatJsonDouble(d: number): string {
  const abs = d < 0 ? -d : d;
  if (abs >= 1e-3 && abs < 1e7) {
    // JS and Java (JDK 19+) pick the same shortest digits; in this range both print them
    // plainly, except that Java always shows a fraction.
    const s = String(d);
    return Number.isInteger(d) ? s + '.0' : s;
  }
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  if (d !== d || abs === Infinity) return '"' + formatDouble(d) + '"';
  return formatDouble(d);
}

/** A DECIMAL as Jackson writes a BigDecimal: BigDecimal.toString() ("1.50", "1E-9"). */
export function formatJsonDecimal(d: Decimal): string {
  return d.toJavaString();
}

/**
 * A parsed JSON value written back compactly, as ksqlDB does when a JSON object lands in a
 * STRING column (Jackson writeValueAsString of the tree: fractions as BigDecimal.toString()).
 */
export function writeJsonValue(value: JsonValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return quoteJsonChars(value);
    case 'number':
    case 'boolean':
      return String(value);
    default:
      break;
  }
  if (value instanceof JsonNumber) return jsonNumberText(value);
  if (Array.isArray(value)) return '[' + value.map(writeJsonValue).join(',') + ']';
  const obj = value as JsonObject;
  // Jackson's tree keeps one entry per key: first position, last value.
  const seen = new Map<string, number>();
  const entries: [string, JsonValue][] = [];
  for (let i = 0; i < obj.keys.length; i++) {
    const at = seen.get(obj.keys[i]);
    if (at === undefined) {
      seen.set(obj.keys[i], entries.length);
      entries.push([obj.keys[i], obj.values[i]]);
    } else {
      entries[at][1] = obj.values[i];
    }
  }
  return '{' + entries.map(([k, v]) => quoteJsonChars(k) + ':' + writeJsonValue(v)).join(',') + '}';
}

/** The text Jackson's node gives for a number: BigInteger digits, or BigDecimal.toString(). */
export function jsonNumberText(n: JsonNumber): string {
  return n.integral ? BigInt(n.text).toString() : Decimal.parse(n.text).toJavaString();
}
