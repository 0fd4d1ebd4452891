/**
 * DELIMITED: one CSV record per message, as ksqlDB reads and writes it with Apache Commons
 * CSV (CSVFormat.DEFAULT with the column delimiter): '"' quotes, doubled to escape, MINIMAL
 * quoting. Empty fields read as null; nulls write as empty fields. DECIMAL is written plain,
 * DATE as epoch days, TIME as millis of day, TIMESTAMP as epoch millis, BYTES as base64.
 * No ARRAY, MAP or STRUCT.
 */
import { Decimal, ensureFit, formatDouble, parseDouble, type SqlType } from '../schema/index.js';
import { decodeBase64Strict, decodeUtf8, encodeBase64, encodeUtf8 } from './bytes.js';
import { DeserializationError, SerdeConfigError, SerializationError } from './errors.js';
import { createNoneSerde } from './none.js';
import type { RowSerde, SerdeColumn } from './types.js';

const NAMED_DELIMITERS: Readonly<Record<string, string>> = { TAB: '\t', SPACE: ' ' };

/**
 * ksqlDB's Delimiter.parse: one character, or TAB / SPACE. Throws its messages (the planner
 * prefixes "Configuration VALUE_DELIMITER is invalid: ").
 */
export function parseDelimiter(text: string | undefined): string {
  if (text === undefined) return ',';
  // One character as it is: the planner has already read TAB / SPACE into theirs.
  if (text.length === 1) return text;
  if (text.trim() === '') {
    throw new SerdeConfigError(
      "Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'\nExample valid value: ';'",
    );
  }
  const named = NAMED_DELIMITERS[text];
  if (named !== undefined) return named;
  throw new SerdeConfigError(
    `Invalid delimiter value: '${text}'. Delimiter must be a single character or TAB,SPACE\nExample valid value: ';'`,
  );
}

type Parse = (field: string) => unknown;
type Print = (value: unknown) => string;

export function createDelimitedSerde(
  columns: readonly SerdeColumn[],
  isKey: boolean,
  delimiterProperty: string | undefined,
): RowSerde {
  const delimiter = parseDelimiter(delimiterProperty);
  const parsers = columns.map((c) => parserFor(c));
  const printers = columns.map((c) => printerFor(c));
  if (columns.length === 0) return createNoneSerde('DELIMITED', isKey);
  const target = isKey ? 'key' : 'value';
  const n = columns.length;
  const delimiterCode = delimiter.charCodeAt(0);

  return {
    format: 'DELIMITED',
    isKey,
    serialize(row, topic) {
      if (row === null) return null;
      let out = '';
      try {
        for (let i = 0; i < n; i++) {
          if (i > 0) out += delimiter;
          const value = row[i];
          if (value === null || value === undefined) continue;
          out += quoteField(printers[i](value), delimiterCode, i === 0);
        }
      } catch (e) {
        throw new SerializationError(target, topic, `Error serializing CSV message: ${(e as Error).message}`, {
          cause: e,
        });
      }
      return encodeUtf8(out);
    },
    deserialize(bytes, topic) {
      if (bytes === null) return null;
      try {
        const fields = parseFirstRecord(decodeUtf8(bytes), delimiterCode);
        if (fields === undefined) throw new Error('No fields in record');
        if (fields.length !== n) {
          throw new Error(`Column count mismatch on deserialization. topic: ${topic}, expected: ${n}, got: ${fields.length}`);
        }
        const row = new Array<unknown>(n);
        for (let i = 0; i < n; i++) {
          const field = fields[i];
          row[i] = field === '' ? null : parsers[i](field);
        }
        return row;
      } catch (e) {
        throw new DeserializationError(target, topic, `Error deserializing delimited: ${(e as Error).message}`, {
          cause: e,
        });
      }
    },
  };
}

function unsupported(column: SerdeColumn): SerdeConfigError {
  return new SerdeConfigError(
    `The 'DELIMITED' format does not support type '${column.type.kind}', column: \`${column.name}\``,
  );
}

function parserFor(column: SerdeColumn): Parse {
  const type: SqlType = column.type;
  switch (type.kind) {
    case 'BOOLEAN':
      return (s) => s.toLowerCase() === 'true';
    case 'INTEGER':
    case 'TIME':
    case 'DATE':
      return (s) => Number(parseJavaLong(s, 32));
    case 'BIGINT':
      return (s) => parseJavaLong(s, 64);
    case 'TIMESTAMP':
      return (s) => Number(parseJavaLong(s, 64));
    case 'DOUBLE':
      return (s) => parseDouble(s);
    case 'STRING':
      return (s) => s;
    case 'DECIMAL':
      return (s) => ensureFit(Decimal.parse(s), type);
    case 'BYTES':
      return (s) => decodeBase64Strict(s);
    case 'ARRAY':
    case 'MAP':
    case 'STRUCT':
      throw unsupported(column);
    default: {
      const unreachable: never = type;
      throw new Error(`Unknown SQL type ${JSON.stringify(unreachable)}`);
    }
  }
}

function printerFor(column: SerdeColumn): Print {
  const type: SqlType = column.type;
  switch (type.kind) {
    case 'BOOLEAN':
    case 'INTEGER':
    case 'BIGINT':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      return (v) => String(v);
    case 'DOUBLE':
      return (v) => formatDouble(v as number);
    case 'STRING':
      return (v) => v as string;
    case 'DECIMAL':
      return (v) => (v as Decimal).toPlainString();
    case 'BYTES':
      return (v) => encodeBase64(v as Uint8Array);
    case 'ARRAY':
    case 'MAP':
    case 'STRUCT':
      throw unsupported(column);
    default: {
      const unreachable: never = type;
      throw new Error(`Unknown SQL type ${JSON.stringify(unreachable)}`);
    }
  }
}

function parseJavaLong(text: string, bits: 32 | 64): bigint {
  if (/^[+-]?\d+$/.test(text)) {
    const value = BigInt(text);
    if (BigInt.asIntN(bits, value) === value) return value;
  }
  throw new Error(`For input string: "${text}"`);
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

function isAlphanumeric(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/**
 * Commons CSV's MINIMAL quoting (the version ksqlDB ships): the first field of a record is
 * quoted when empty or when it starts with anything but a letter or digit; any field is
 * quoted when it starts with a character <= '#', contains a quote, the delimiter, CR or LF,
 * or ends with a character <= ' '. Quotes inside are doubled.
 */
export function quoteField(value: string, delimiter: number, first: boolean): string {
  const n = value.length;
  let quote = false;
  if (n === 0) {
    quote = first;
  } else {
    const c = value.charCodeAt(0);
    if ((first && !isAlphanumeric(c)) || c <= 0x23) {
      quote = true;
    } else {
      for (let i = 0; i < n; i++) {
        const ch = value.charCodeAt(i);
        if (ch === LF || ch === CR || ch === QUOTE || ch === delimiter) {
          quote = true;
          break;
        }
      }
      if (!quote && value.charCodeAt(n - 1) <= 0x20) quote = true;
    }
  }
  if (!quote) return value;
  return '"' + value.replaceAll('"', '""') + '"';
}

/**
 * The fields of the first record of CSV text, as Commons CSV's parser reads them (empty lines
 * skipped, quoted fields with "" escapes, whitespace allowed between a closing quote and the
 * delimiter); undefined when there is no record.
 */
export function parseFirstRecord(text: string, delimiter: number): string[] | undefined {
  const n = text.length;
  let i = 0;
  while (i < n && (text.charCodeAt(i) === LF || text.charCodeAt(i) === CR)) i++;
  if (i >= n) return undefined;
  const fields: string[] = [];
  for (;;) {
    if (i < n && text.charCodeAt(i) === QUOTE) {
      i++;
      let value = '';
      let runStart = i;
      for (;;) {
        if (i >= n) throw new Error('EOF reached before encapsulated token finished');
        if (text.charCodeAt(i) === QUOTE) {
          if (text.charCodeAt(i + 1) === QUOTE) {
            value += text.slice(runStart, i + 1);
            i += 2;
            runStart = i;
            continue;
          }
          value += text.slice(runStart, i);
          i++;
          break;
        }
        i++;
      }
      fields.push(value);
      for (;;) {
        if (i >= n) return fields;
        const c = text.charCodeAt(i);
        if (c === delimiter) {
          i++;
          break;
        }
        if (c === LF || c === CR) return fields;
        if (isJavaWhitespace(c)) {
          i++;
          continue;
        }
        throw new Error('(line 1) invalid char between encapsulated token and delimiter');
      }
      continue;
    }
    const start = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === delimiter || c === LF || c === CR) break;
      i++;
    }
    fields.push(text.slice(start, i));
    if (i >= n || text.charCodeAt(i) !== delimiter) return fields;
    i++;
  }
}

function isJavaWhitespace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
}
