import { formatType, type SqlType } from '../../src/schema/index.js';
import { SerdeConfigError, createEmbeddedRegistry, getColumnsFromRegistry, type SerdeColumn } from '../../src/serde/index.js';
import { qttCase, registryFor } from './qtt.js';

/** Columns as "NAME TYPE, ..." with ksqlDB's type names. */
const show = (columns: SerdeColumn[]): string =>
  columns.map((c) => `${c.name} ${formatType(c.type as SqlType, { quoteFields: false })}`).join(', ');

async function infer(file: string, name: string, topic: string, isKey: boolean, format: string, options = {}) {
  const test = qttCase(file, name);
  return show(await getColumnsFromRegistry(registryFor(test, format), topic, isKey, format, options));
}

describe('schema inference from the registry (qtt vectors)', () => {
  test.each([
    ['should support primitives', 'C1 BOOLEAN, C2 INTEGER, C3 BIGINT, C4 DOUBLE, C5 STRING'],
    ['should convert enum to STRING', 'C1 STRING'],
    ['should support arrays', 'C1 ARRAY<STRING>'],
    ['should support maps', 'C1 MAP<STRING, BIGINT>'],
    ['should coerce column types that are not directly supported', 'C1 DOUBLE'],
    ['should not filter out bytes', 'EXPECTED INTEGER, C1 BYTES, C2 BYTES'],
  ])('avro.json: %s', async (name, expected) => {
    expect(await infer('avro.json', name, 'input', false, 'AVRO')).toBe(expected);
  });

  test('keys are one ROWKEY column', async () => {
    expect(await infer('avro.json', 'INT - key - key and value inference', 'input_topic', true, 'AVRO')).toBe('ROWKEY INTEGER');
    expect(await infer('avro.json', 'STRUCT - key - inference', 'input_topic', true, 'AVRO')).toBe('ROWKEY STRUCT<F1 STRING>');
    expect(await infer('avro.json', 'INT - key - key and value inference', 'input_topic', false, 'AVRO')).toBe('FOO INTEGER');
  });

  test('an anonymous value is one ROWVAL column with WRAP_SINGLE_VALUE=false', async () => {
    const name = 'INT - key - key and anonymous value inference';
    expect(await infer('avro.json', name, 'input_topic', false, 'AVRO', { wrapSingle: false })).toBe('ROWVAL INTEGER');
    await expect(infer('avro.json', name, 'input_topic', false, 'AVRO')).rejects.toThrow('WRAP_SINGLE_VALUE=false');
    expect(await infer('json_sr.json', name, 'input_topic', false, 'JSON_SR', { wrapSingle: false })).toBe('ROWVAL INTEGER');
  });

  test('logical types', async () => {
    expect(await infer('date.json', 'date schema inference', 'input', false, 'AVRO')).toBe('C1 DATE');
    expect(await infer('time.json', 'time schema inference', 'input', false, 'AVRO')).toBe('C1 TIME');
  });

  test('a schema given by id keeps its field names (elements.json)', async () => {
    const name = 'validate schema id without key value elements OK - AVRO';
    expect(await infer('elements.json', name, 'input', false, 'AVRO', { schemaId: 2 })).toBe('c1 INTEGER');
    expect(await infer('elements.json', name, 'input', true, 'AVRO', { schemaId: 1 })).toBe('ROWKEY INTEGER');
    const json = 'validate schema id without key value elements OK - JSON_SR SCHEMA';
    expect(await infer('elements.json', json, 'input', false, 'JSON_SR', { schemaId: 2 })).toBe('c1 BIGINT');
    expect(await infer('elements.json', json, 'input', true, 'JSON_SR', { schemaId: 1 })).toBe('ROWKEY INTEGER');
  });

  test('ids the case assigns (group-by.json)', async () => {
    const name = 'AVRO schema and schema id';
    expect(await infer('group-by.json', name, 'test_topic', false, 'AVRO', { schemaId: 101 })).toBe('A INTEGER, B INTEGER');
    expect(await infer('group-by.json', name, 'test_topic', true, 'AVRO', { schemaId: 100 })).toBe('ROWKEY INTEGER');
  });

  test.each([
    ['BOOLEAN - key - inference', 'ROWKEY BOOLEAN'],
    ['INT - key - inference', 'ROWKEY INTEGER'],
    ['BIGINT - key - inference', 'ROWKEY BIGINT'],
    ['DOUBLE - key - inference', 'ROWKEY DOUBLE'],
    ['STRING - key - inference', 'ROWKEY STRING'],
    ['DECIMAL - key - inference', 'ROWKEY DECIMAL(4, 2)'],
    ['ARRAY - key - inference', 'ROWKEY ARRAY<STRING>'],
    ['STRUCT - key - inference', 'ROWKEY STRUCT<F1 STRING>'],
  ])('json_sr.json: %s', async (name, expected) => {
    expect(await infer('json_sr.json', name, 'input_topic', true, 'JSON_SR')).toBe(expected);
    if (name !== 'STRUCT - key - inference') {
      expect(await infer('json_sr.json', name, 'input_topic', false, 'JSON_SR')).toBe('FOO INTEGER');
    }
  });

  test('general unions, nested records, unsupported fields', async () => {
    const registry = createEmbeddedRegistry();
    await registry.register('t-value', {
      schemaType: 'AVRO',
      schema: JSON.stringify({
        type: 'record',
        name: 'R',
        fields: [
          { name: 'u', type: ['null', 'int', 'string'] },
          { name: 'n', type: 'null' },
          { name: 'inner', type: { type: 'record', name: 'I', fields: [{ name: 'x', type: ['null', 'long'] }] } },
          { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
          { name: 'd', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 3 } },
          { name: 'f', type: { type: 'fixed', name: 'F', size: 4 } },
        ],
      }),
    });
    expect(show(await getColumnsFromRegistry(registry, 't', false, 'avro'))).toBe(
      'U STRUCT<INT INTEGER, STRING STRING>, INNER STRUCT<X BIGINT>, TS TIMESTAMP, D DECIMAL(9, 3), F BYTES',
    );
  });

  test('what cannot be inferred', async () => {
    const registry = createEmbeddedRegistry();
    await expect(getColumnsFromRegistry(registry, 'missing', false, 'AVRO')).rejects.toThrow(
      "Schema for message values on topic 'missing' does not exist in the Schema Registry.\nSubject: missing-value",
    );
    await expect(getColumnsFromRegistry(registry, 'x', false, 'JSON')).rejects.toThrow(SerdeConfigError);
    await registry.register('j-value', { schemaType: 'JSON', schema: '{"type":"object","properties":{}}' });
    await expect(getColumnsFromRegistry(registry, 'j', false, 'AVRO')).rejects.toThrow('is a JSON schema');
    await expect(getColumnsFromRegistry(registry, 'j', false, 'JSON_SR')).rejects.toThrow(
      'Schema does not include any columns with types that ksqlDB supports',
    );
    await registry.register('n-value', { schemaType: 'AVRO', schema: '"null"' });
    await expect(getColumnsFromRegistry(registry, 'n', false, 'AVRO', { wrapSingle: false })).rejects.toThrow(
      'Unsupported type at root of schema',
    );
  });
});
