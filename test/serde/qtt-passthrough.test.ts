/**
 * ksqlDB's own expectations for JSON and DELIMITED bytes: every qtt case of the form
 * `CREATE ... INPUT (...) WITH (...); CREATE ... OUTPUT [WITH (...)] AS SELECT * FROM INPUT;`
 * is replayed through our serdes (input bytes -> row -> output bytes) and compared with the
 * expected output records.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  Decimal,
  array,
  decimal,
  map,
  struct,
  type SqlType,
  type StructField,
} from '../../src/schema/index.js';
import { createEmbeddedRegistry, createSerde, type RowSerde, type SerdeColumn } from '../../src/serde/index.js';
import { JsonNumber, JsonObject, parseJson, writeJsonValue, type JsonValue } from '../../src/serde/json-text.js';
import { qttDir } from '../support/paths.js';

interface Case {
  name: string;
  statements: string[];
  properties?: Record<string, string>;
  format?: string[];
  inputs?: { topic: string; key?: JsonValue; value?: JsonValue }[];
  outputs?: { topic: string; key?: JsonValue; value?: JsonValue }[];
  expectedException?: unknown;
}

// ---------------------------------------------------------------------------------------------
// A small reader of the column lists in the statements.

function splitTop(text: string, sep = ','): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '`') quote = !quote;
    else if (!quote && (c === '<' || c === '(')) depth++;
    else if (!quote && (c === '>' || c === ')')) depth--;
    else if (!quote && depth === 0 && c === sep) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter((p) => p !== '');
}

function identifier(text: string): [string, string] {
  const t = text.trim();
  if (t.startsWith('`')) {
    const end = t.indexOf('`', 1);
    return [t.slice(1, end), t.slice(end + 1).trim()];
  }
  const m = /^(\w+)\s*(.*)$/s.exec(t)!;
  return [m[1].toUpperCase(), m[2].trim()];
}

function parseType(text: string): SqlType {
  const t = text.trim();
  const upper = t.toUpperCase();
  const generic = /^(\w+)\s*<(.*)>$/s.exec(t);
  if (generic) {
    const kind = generic[1].toUpperCase();
    if (kind === 'ARRAY') return array(parseType(generic[2]));
    if (kind === 'MAP') {
      const [k, v] = splitTop(generic[2]);
      return map(parseType(k), parseType(v));
    }
    if (kind === 'STRUCT') {
      return struct(
        splitTop(generic[2]).map((f): StructField => {
          const [name, rest] = identifier(f);
          return { name, type: parseType(rest) };
        }),
      );
    }
  }
  const dec = /^DECIMAL\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/i.exec(t);
  if (dec) return decimal(Number(dec[1]), Number(dec[2]));
  const simple: Record<string, SqlType['kind']> = {
    INT: 'INTEGER',
    INTEGER: 'INTEGER',
    BIGINT: 'BIGINT',
    DOUBLE: 'DOUBLE',
    BOOLEAN: 'BOOLEAN',
    STRING: 'STRING',
    VARCHAR: 'STRING',
    BYTES: 'BYTES',
    DATE: 'DATE',
    TIME: 'TIME',
    TIMESTAMP: 'TIMESTAMP',
  };
  const kind = simple[upper.replace(/\(.*\)$/, '').trim()];
  if (!kind) throw new Error(`type ${t}`);
  return { kind } as SqlType;
}

interface Source {
  keys: SerdeColumn[];
  values: SerdeColumn[];
  props: Record<string, string>;
}

function withProps(text: string | undefined): Record<string, string> {
  const props: Record<string, string> = {};
  if (!text) return props;
  for (const part of splitTop(text)) {
    const m = /^(\w+)\s*=\s*'?(.*?)'?$/s.exec(part.trim());
    if (m) props[m[1].toUpperCase()] = m[2];
  }
  return props;
}

const CREATE_INPUT = /^CREATE (?:STREAM|TABLE) INPUT \((.*)\) WITH \((.*)\);$/is;
const CREATE_OUTPUT = /^CREATE (?:STREAM|TABLE) OUTPUT(?: WITH ?\((.*)\))? AS SELECT \* FROM INPUT;$/is;

function parseInput(statement: string): Source | undefined {
  const m = CREATE_INPUT.exec(statement.trim());
  if (!m) return undefined;
  const keys: SerdeColumn[] = [];
  const values: SerdeColumn[] = [];
  for (const element of splitTop(m[1])) {
    const [name, rest] = identifier(element);
    const isKey = /\s(PRIMARY\s+)?KEY$/i.test(rest);
    const type = parseType(rest.replace(/\s(PRIMARY\s+)?KEY$/i, ''));
    (isKey ? keys : values).push({ name, type });
  }
  return { keys, values, props: withProps(m[2]) };
}

// ---------------------------------------------------------------------------------------------
// Comparing JSON values numerically, as the QTT driver does.

function same(actual: JsonValue | undefined, expected: JsonValue | undefined): boolean {
  if (expected === undefined || expected === null) return actual === null || actual === undefined;
  if (actual === null || actual === undefined) return false;
  const num = (v: JsonValue): Decimal | undefined =>
    typeof v === 'number' ? Decimal.fromNumber(v) : v instanceof JsonNumber ? Decimal.parse(v.text) : undefined;
  const a = num(actual);
  const e = num(expected);
  if (a || e) return !!a && !!e && a.compareTo(e) === 0;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((x, i) => same(actual[i], x));
  }
  if (expected instanceof JsonObject) {
    if (!(actual instanceof JsonObject) || actual.keys.length !== expected.keys.length) return false;
    return expected.keys.every((k) => same(actual.get(k), expected.get(k)));
  }
  return actual === expected;
}

// ---------------------------------------------------------------------------------------------

const FILES = ['json.json', 'delimited.json', 'serdes.json', 'decimal.json', 'timestamp.json', 'time.json', 'date.json', 'bytes.json', 'key-schemas.json', 'kafka.json', 'formats.json'];
const SUPPORTED = new Set(['JSON', 'DELIMITED', 'KAFKA']);

interface Replay {
  file: string;
  test: Case;
  input: Source;
  output: Record<string, string>;
}

function replays(): Replay[] {
  const out: Replay[] = [];
  for (const file of FILES) {
    const text = fs.readFileSync(path.join(qttDir, file), 'utf8');
    const tests = (JSON.parse(text) as { tests: Case[] }).tests;
    // The same file again, keeping numbers' text.
    const exact = parseJson(text) as JsonObject;
    const exactTests = exact.get('tests') as JsonObject[];
    tests.forEach((test, i) => {
      if (test.expectedException || test.format || test.statements.length !== 2) return;
      const input = parseInput(test.statements[0]);
      const output = CREATE_OUTPUT.exec(test.statements[1].trim());
      if (!input || !output) return;
      const t = exactTests[i];
      const toRecords = (list: JsonValue | undefined) =>
        ((list as JsonObject[] | undefined) ?? []).map((r) => ({
          topic: r.get('topic') as string,
          key: r.get('key'),
          value: r.get('value'),
        }));
      out.push({
        file,
        test: { ...test, inputs: toRecords(t.get('inputs')), outputs: toRecords(t.get('outputs')) },
        input,
        output: withProps(output[1]),
      });
    });
  }
  return out;
}

const formatOf = (props: Record<string, string>, part: 'KEY' | 'VALUE', fallback: string): string =>
  (props[`${part}_FORMAT`] ?? props.FORMAT ?? fallback).toUpperCase();

async function serdeFor(
  format: string,
  columns: SerdeColumn[],
  isKey: boolean,
  props: Record<string, string>,
  config: Record<string, string>,
): Promise<RowSerde> {
  const wrapProp = props.WRAP_SINGLE_VALUE;
  const configWrap = config['ksql.persistence.wrap.single.values'];
  const wrapSingle = isKey ? undefined : wrapProp !== undefined ? wrapProp.toLowerCase() === 'true' : configWrap !== undefined ? configWrap === 'true' : undefined;
  const delimiter = props[`${isKey ? 'KEY' : 'VALUE'}_DELIMITER`];
  return createSerde({
    format,
    columns,
    isKey,
    wrapSingle: format === 'JSON' ? wrapSingle : undefined,
    properties: delimiter ? { delimiter } : {},
    registry: createEmbeddedRegistry(),
    topic: 't',
    sink: true,
  });
}

/** QTT record content -> the bytes the driver produces (strings as-is for DELIMITED/KAFKA STRING). */
function inputBytes(format: string, serde: RowSerde, columns: SerdeColumn[], content: JsonValue | undefined): Uint8Array | null {
  if (content === undefined || content === null) return null;
  if (format === 'JSON') return Buffer.from(writeJsonValue(content));
  if (format === 'DELIMITED') return Buffer.from(content as string);
  // KAFKA: the driver serializes the one column's value.
  const v = content;
  const type = columns[0].type;
  const value =
    type.kind === 'BIGINT' ? BigInt(v instanceof JsonNumber ? v.text : String(v)) : v instanceof JsonNumber ? Number(v.text) : v;
  return serde.serialize([value], 't');
}

function outputContent(format: string, serde: RowSerde, bytes: Uint8Array | null): JsonValue {
  if (bytes === null) return null;
  if (format === 'JSON') return parseJson(Buffer.from(bytes).toString('utf8'));
  if (format === 'DELIMITED') return Buffer.from(bytes).toString('utf8');
  const row = serde.deserialize(bytes, 't')!;
  const v = row[0];
  return typeof v === 'bigint' ? new JsonNumber(v.toString(), true) : (v as JsonValue);
}

const cases = replays().filter(({ test: t, input, output }) => {
  const config = t.properties ?? {};
  const inValue = formatOf(input.props, 'VALUE', config['ksql.persistence.default.format.value'] ?? 'JSON');
  const inKey = formatOf(input.props, 'KEY', 'KAFKA');
  return [inValue, inKey, formatOf(output, 'VALUE', inValue), formatOf(output, 'KEY', inKey)].every((f) => SUPPORTED.has(f));
});

test('the qtt files give us cases to replay', () => {
  expect(cases.length).toBeGreaterThan(30);
});

describe.each(cases.map((c) => [`${c.file}: ${c.test.name}`, c] as const))('%s', (_name, { test: t, input, output }) => {
  test('bytes match ksqlDB', async () => {
    const config = t.properties ?? {};
    const defaultKey = 'KAFKA';
    const inValueFormat = formatOf(input.props, 'VALUE', config['ksql.persistence.default.format.value'] ?? 'JSON');
    const inKeyFormat = formatOf(input.props, 'KEY', defaultKey);
    const outValueFormat = formatOf(output, 'VALUE', inValueFormat);
    const outKeyFormat = formatOf(output, 'KEY', inKeyFormat);

    const inValue = await serdeFor(inValueFormat, input.values, false, input.props, config);
    const inKey = await serdeFor(inKeyFormat, input.keys, true, input.props, config);
    const outProps = { ...inheritable(input.props), ...output };
    const outValue = await serdeFor(outValueFormat, input.values, false, outProps, config);
    const outKey = await serdeFor(outKeyFormat, input.keys, true, outProps, config);

    const produced: { key: JsonValue; value: JsonValue }[] = [];
    for (const record of t.inputs ?? []) {
      let keyRow: unknown[] | null;
      let valueRow: unknown[] | null;
      try {
        keyRow = inKey.deserialize(inputBytes(inKeyFormat, inKey, input.keys, record.key), 't');
        valueRow = inValue.deserialize(inputBytes(inValueFormat, inValue, input.values, record.value), 't');
      } catch {
        continue; // ksqlDB logs a deserialization error and skips the record
      }
      produced.push({
        key: outputContent(outKeyFormat, outKey, outKey.serialize(keyRow, 't')),
        value: outputContent(outValueFormat, outValue, outValue.serialize(valueRow, 't')),
      });
    }
    const expected = (t.outputs ?? []).filter((o) => o.topic === 'OUTPUT');
    expect(produced.length).toBe(expected.length);
    produced.forEach((p, i) => {
      const e = expected[i];
      const show = (v: JsonValue | undefined) => (v === undefined ? 'undefined' : writeJsonValue(v));
      if (input.keys.length > 0 && e.key !== undefined) {
        expect(`key ${show(p.key)}`).toBe(same(p.key, e.key) ? `key ${show(p.key)}` : `key ${show(e.key)}`);
      }
      expect(`value ${show(p.value)}`).toBe(same(p.value, e.value) ? `value ${show(p.value)}` : `value ${show(e.value)}`);
    });
  });
});

function inheritable(props: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['KEY_FORMAT', 'VALUE_FORMAT', 'FORMAT', 'KEY_DELIMITER', 'VALUE_DELIMITER']) if (props[k] !== undefined) out[k] = props[k];
  return out;
}
