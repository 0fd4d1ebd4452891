import { BIGINT, BOOLEAN, BYTES, DOUBLE, INTEGER, STRING, decimal, formatType, type SqlType } from '../../src/schema/index.js';
import { DeserializationError, SerdeConfigError } from '../../src/serde/index.js';
import { col, fromHex, hex, serde } from './helpers.js';

const kafka = (type: Parameters<typeof col>[1], isKey = false) =>
  serde({ format: 'KAFKA', columns: [col('V', type)], isKey });

describe('KAFKA format: byte-exact with Kafka Java serializers', () => {
  test.each(([
    [INTEGER, 1, '00000001'],
    [INTEGER, -1, 'ffffffff'],
    [INTEGER, 2147483647, '7fffffff'],
    [INTEGER, -2147483648, '80000000'],
    [BIGINT, 1n, '0000000000000001'],
    [BIGINT, -2n, 'fffffffffffffffe'],
    [BIGINT, 9223372036854775807n, '7fffffffffffffff'],
    [BIGINT, 998877665544332211n, '0ddcb9f1ccd763b3'],
    [DOUBLE, 1.5, '3ff8000000000000'],
    [DOUBLE, -0.0, '8000000000000000'],
    [DOUBLE, 654.321, '408472916872b021'],
    [STRING, 'héllo', '68c3a96c6c6f'],
    [STRING, '', ''],
    [BYTES, Uint8Array.of(0, 255, 16), '00ff10'],
  ] as [SqlType, unknown, string][]).map(([type, value, expected]) => [formatType(type), type, value, expected] as const))('%s %p -> %s', async (_name, type, value, expected) => {
    const s = await kafka(type);
    const bytes = s.serialize([value], 't');
    expect(hex(bytes)).toBe(expected);
    expect(s.deserialize(bytes, 't')).toEqual([value]);
  });

  test('null row and null value are null records', async () => {
    const s = await kafka(INTEGER);
    expect(s.serialize(null, 't')).toBeNull();
    expect(s.serialize([null], 't')).toBeNull();
    expect(s.deserialize(null, 't')).toBeNull();
  });

  test('BIGINT round-trips past 2^53', async () => {
    const s = await kafka(BIGINT);
    const v = 2n ** 60n + 7n;
    expect(s.deserialize(s.serialize([v], 't'), 't')).toEqual([v]);
  });

  test('wrong sizes fail like the Java deserializers', async () => {
    const i = await kafka(INTEGER);
    expect(() => i.deserialize(fromHex('0001'), 't')).toThrow('Size of data received by IntegerDeserializer is not 4');
    const s = await kafka(BIGINT);
    expect(() => s.deserialize(fromHex('00'), 'input')).toThrow(DeserializationError);
    expect(() => s.deserialize(fromHex('00'), 'input')).toThrow(
      'Failed to deserialize value from topic: input. Size of data received by LongDeserializer is not 8',
    );
  });

  test('malformed UTF-8 reads with replacement characters, as new String(bytes, UTF_8)', async () => {
    const s = await kafka(STRING);
    expect(s.deserialize(fromHex('61ff62'), 't')).toEqual(['a\ufffdb']);
  });

  test('lone surrogates write as ?, as String.getBytes(UTF_8)', async () => {
    const s = await kafka(STRING);
    expect(hex(s.serialize(['a\ud800b'], 't'))).toBe('613f62');
  });

  test.each([BOOLEAN, decimal(4, 2), { kind: 'ARRAY', item: INTEGER } as const].map((t) => [formatType(t), t] as const))('rejects %s', async (_name, type) => {
    await expect(kafka(type)).rejects.toThrow(SerdeConfigError);
  });

  test('error text names the type', async () => {
    await expect(kafka(decimal(4, 2))).rejects.toThrow("The 'KAFKA' format does not support type 'DECIMAL'");
    await expect(kafka(BOOLEAN)).rejects.toThrow("The 'KAFKA' format does not support type 'BOOLEAN'");
  });

  test('more than one column is refused', async () => {
    await expect(serde({ format: 'KAFKA', columns: [col('A', INTEGER), col('B', STRING)] })).rejects.toThrow(
      "The 'KAFKA' format only supports a single field. Got: [`A` INTEGER, `B` STRING]",
    );
  });

  test('no columns: always null, whatever the bytes', async () => {
    const s = await serde({ format: 'KAFKA', columns: [], isKey: true });
    expect(s.serialize([], 't')).toBeNull();
    expect(s.deserialize(fromHex('0102'), 't')).toBeNull();
  });
});
