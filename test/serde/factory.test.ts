import { BIGINT, INTEGER, STRING } from '../../src/schema/index.js';
import {
  SERDE_FORMATS,
  SerdeConfigError,
  SerdeError,
  avroKeySchemaFullName,
  createEmbeddedRegistry,
  frame,
  readSchemaId,
} from '../../src/serde/index.js';
import { col, hex, serde } from './helpers.js';

describe('createSerde', () => {
  test('format names are case-insensitive', async () => {
    const s = await serde({ format: ' json ', columns: [col('A', INTEGER)] });
    expect(s.format).toBe('JSON');
    expect(SERDE_FORMATS).toContain('AVRO');
  });

  test('unknown formats', async () => {
    await expect(serde({ format: 'FOO', columns: [] })).rejects.toThrow(new SerdeConfigError('Unknown format: FOO'));
  });

  test('NONE: no columns allowed; always null', async () => {
    await expect(serde({ format: 'NONE', columns: [col('FOO', INTEGER)] })).rejects.toThrow(
      "The 'NONE' format can only be used when no columns are defined. Got: [`FOO` INTEGER]",
    );
    await expect(serde({ format: 'NONE', columns: [col('BAR', INTEGER)], isKey: true })).rejects.toThrow(
      'Got: [`BAR` INTEGER KEY]',
    );
    const none = await serde({ format: 'NONE', columns: [], isKey: true });
    expect(none.serialize([], 't')).toBeNull();
    expect(none.deserialize(Buffer.from('data that should be ignored'), 't')).toBeNull();
  });

  test('keys with no columns are null in every format', async () => {
    for (const format of ['KAFKA', 'JSON', 'JSON_SR', 'DELIMITED', 'AVRO']) {
      const s = await serde({ format, columns: [], isKey: true });
      expect(s.serialize([], 't')).toBeNull();
      expect(s.deserialize(Buffer.from('x'), 't')).toBeNull();
    }
  });

  test('bad schema ids', async () => {
    await expect(serde({ format: 'AVRO', columns: [col('A', INTEGER)], properties: { schemaId: 'x' } })).rejects.toThrow(
      "Invalid schema id: 'x'",
    );
    await expect(serde({ format: 'AVRO', columns: [col('A', INTEGER)], properties: { schemaId: '7' } })).rejects.toMatchObject({
      errorCode: 40403,
    });
    const registry = createEmbeddedRegistry();
    const id = await registry.register('j', { schemaType: 'JSON', schema: '{"type":"object"}' });
    await expect(
      serde({ format: 'AVRO', columns: [col('A', INTEGER)], registry, properties: { schemaId: String(id) } }),
    ).rejects.toThrow('is a JSON schema, not AVRO');
  });

  test('key and value subjects', async () => {
    const registry = createEmbeddedRegistry();
    await serde({ format: 'AVRO', columns: [col('K', BIGINT)], isKey: true, registry, topic: 'orders' });
    await serde({ format: 'JSON_SR', columns: [col('V', STRING)], registry, topic: 'orders' });
    expect(await registry.listSubjects()).toEqual(['orders-key', 'orders-value']);
    expect((await registry.getLatest('orders-key')).schema).toBe('"long"');
  });

  test('errors share one root with a retriable flag', () => {
    const e = new SerdeConfigError('x');
    expect(e).toBeInstanceOf(SerdeError);
    expect(e.retriable).toBe(false);
    expect(e.name).toBe('SerdeConfigError');
  });
});

describe('names and framing helpers', () => {
  test.each([
    ['OUTPUT', 'io.confluent.ksql.avro_schemas.OutputKey'],
    ['MY_OUTPUT_2', 'io.confluent.ksql.avro_schemas.MyOutput2Key'],
    ['CUSTOMERS_SRC_REKEY', 'io.confluent.ksql.avro_schemas.CustomersSrcRekeyKey'],
  ])('avroKeySchemaFullName(%s)', (name, expected) => {
    expect(avroKeySchemaFullName(name)).toBe(expected);
  });

  test('frame / readSchemaId', () => {
    const bytes = frame(258, Uint8Array.of(9));
    expect(hex(bytes)).toBe('000000010209');
    expect(readSchemaId(bytes)).toBe(258);
    expect(readSchemaId(Uint8Array.of(1, 0, 0, 0, 1))).toBeUndefined();
    expect(readSchemaId(Uint8Array.of(0, 0))).toBeUndefined();
  });
});
