import avsc from 'avsc';
import {
  BIGINT,
  BOOLEAN,
  BYTES,
  DATE,
  DOUBLE,
  Decimal,
  INTEGER,
  STRING,
  TIME,
  TIMESTAMP,
  array,
  decimal,
  field,
  formatType,
  map,
  struct,
  type SqlType,
} from '../../src/schema/index.js';
import {
  DeserializationError,
  SchemaNotCachedError,
  SerdeConfigError,
  SerializationError,
  avroKeySchemaFullName,
  createEmbeddedRegistry,
  type EmbeddedSchemaRegistry,
  type SchemaRegistry,
} from '../../src/serde/index.js';
import { col, hex, serde } from './helpers.js';

// avsc with 64-bit longs as bigints, to check our bytes against an independent encoder.
const bigLong = avsc.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: (x: unknown) => BigInt(x as number),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});
const avscType = (schema: string) =>
  avsc.Type.forSchema(JSON.parse(schema), { registry: { long: bigLong }, wrapUnions: 'auto' } as never);

async function registerAvro(registry: SchemaRegistry, subject: string, schema: unknown): Promise<number> {
  return registry.register(subject, { schemaType: 'AVRO', schema: JSON.stringify(schema) });
}

function framed(id: number, payload: Buffer | Uint8Array): Uint8Array {
  const out = Buffer.alloc(5 + payload.length);
  out.writeUInt32BE(id, 1);
  out.set(payload, 5);
  return out;
}

describe('AVRO: the schema a sink registers', () => {
  test('value record, as ksqlDB registers it', async () => {
    const registry = createEmbeddedRegistry();
    const s = await serde({ format: 'AVRO', columns: [col('FOO', INTEGER)], registry, topic: 'OUTPUT' });
    const latest = await registry.getLatest('OUTPUT-value');
    expect(latest.schema).toBe(
      '{"type":"record","name":"KsqlDataSourceSchema","namespace":"io.confluent.ksql.avro_schemas",' +
        '"fields":[{"name":"FOO","type":["null","int"],"default":null}],' +
        '"connect.name":"io.confluent.ksql.avro_schemas.KsqlDataSourceSchema"}',
    );
    expect(s.schemaId).toBe(latest.id);
    expect(s.schema).toBe(latest.schema);
  });

  test('key struct with nested struct (partition-by.json expected schema)', async () => {
    const registry = createEmbeddedRegistry();
    await serde({
      format: 'AVRO',
      columns: [col('F1', struct([field('F1', INTEGER), field('F2', INTEGER)]))],
      wrapSingle: true,
      isKey: true,
      registry,
      topic: 'OUTPUT',
      properties: { fullSchemaName: avroKeySchemaFullName('OUTPUT') },
    });
    expect(JSON.parse((await registry.getLatest('OUTPUT-key')).schema)).toEqual({
      type: 'record',
      name: 'OutputKey',
      namespace: 'io.confluent.ksql.avro_schemas',
      fields: [
        {
          name: 'F1',
          type: [
            'null',
            {
              type: 'record',
              name: 'OutputKey_F1',
              fields: [
                { name: 'F1', type: ['null', 'int'], default: null },
                { name: 'F2', type: ['null', 'int'], default: null },
              ],
              'connect.name': 'io.confluent.ksql.avro_schemas.OutputKey_F1',
            },
          ],
          default: null,
        },
      ],
      'connect.name': 'io.confluent.ksql.avro_schemas.OutputKey',
    });
  });

  test('a single STRUCT key column is the record itself (STRUCT - key - inference)', async () => {
    const registry = createEmbeddedRegistry();
    await serde({
      format: 'AVRO',
      columns: [col('ROWKEY', struct([field('F1', STRING)]))],
      isKey: true,
      registry,
      topic: 'OUTPUT',
      properties: { fullSchemaName: 'io.confluent.ksql.avro_schemas.OutputKey' },
    });
    expect(JSON.parse((await registry.getLatest('OUTPUT-key')).schema)).toEqual({
      type: 'record',
      name: 'OutputKey',
      namespace: 'io.confluent.ksql.avro_schemas',
      fields: [{ name: 'F1', type: ['null', 'string'], default: null }],
      'connect.name': 'io.confluent.ksql.avro_schemas.OutputKey',
    });
  });

  test('bare primitives, logical types, maps as MapEntry arrays', async () => {
    const registry = createEmbeddedRegistry();
    await serde({ format: 'AVRO', columns: [col('FOO', BOOLEAN)], wrapSingle: false, registry, topic: 'A' });
    expect((await registry.getLatest('A-value')).schema).toBe('"boolean"');

    await serde({
      format: 'AVRO',
      columns: [
        col('D', decimal(4, 2)),
        col('DT', DATE),
        col('TM', TIME),
        col('TS', TIMESTAMP),
        col('M', map(STRING, INTEGER)),
        col('A', array(struct([field('X', BYTES)]))),
      ],
      registry,
      topic: 'B',
    });
    const schema = JSON.parse((await registry.getLatest('B-value')).schema);
    const types = Object.fromEntries(
      (schema.fields as { name: string; type: unknown[] }[]).map((f) => [f.name, f.type[1]]),
    );
    expect(JSON.stringify(types.D)).toBe(
      '{"type":"bytes","scale":2,"precision":4,"connect.version":1,' +
        '"connect.parameters":{"scale":"2","connect.decimal.precision":"4"},' +
        '"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}',
    );
    expect(types.DT).toEqual({
      type: 'int',
      'connect.version': 1,
      'connect.name': 'org.apache.kafka.connect.data.Date',
      logicalType: 'date',
    });
    expect(types.TM).toMatchObject({ type: 'int', logicalType: 'time-millis' });
    expect(types.TS).toMatchObject({ type: 'long', logicalType: 'timestamp-millis' });
    expect(types.M).toEqual({
      type: 'array',
      items: {
        type: 'record',
        name: 'KsqlDataSourceSchema_M',
        fields: [
          { name: 'key', type: ['null', 'string'], default: null },
          { name: 'value', type: ['null', 'int'], default: null },
        ],
        'connect.internal.type': 'MapEntry',
      },
      'connect.name': 'io.confluent.ksql.avro_schemas.KsqlDataSourceSchema_M',
    });
    expect(types.A).toEqual({
      type: 'array',
      items: [
        'null',
        {
          type: 'record',
          name: 'KsqlDataSourceSchema_A',
          fields: [{ name: 'X', type: ['null', 'bytes'], default: null }],
          'connect.name': 'io.confluent.ksql.avro_schemas.KsqlDataSourceSchema_A',
        },
      ],
    });
    // avsc accepts it as a valid schema.
    expect(() => avscType(JSON.stringify(schema))).not.toThrow();
  });

  test('several maps get distinct entry records (multiple-avro-maps.json)', async () => {
    const s = await serde({ format: 'AVRO', columns: [col('M1', map(STRING, INTEGER)), col('M2', map(STRING, STRING))] });
    const names = (JSON.parse(s.schema!).fields as { type: [string, { items: { name: string } }] }[]).map((f) => f.type[1].items.name);
    expect(names).toEqual(['KsqlDataSourceSchema_M1', 'KsqlDataSourceSchema_M2']);
    const value = [new Map([['K1', 123]]), new Map([['K2', 'FOO']])];
    const bytes = s.serialize(value, 't')!;
    expect(avscType(s.schema!).fromBuffer(Buffer.from(bytes.subarray(5)))).toEqual({
      M1: [{ key: 'K1', value: 123 }],
      M2: [{ key: 'K2', value: 'FOO' }],
    });
    expect(s.deserialize(bytes, 't')).toEqual(value);
  });

  test('registering twice reuses the id', async () => {
    const registry = createEmbeddedRegistry();
    const a = await serde({ format: 'AVRO', columns: [col('FOO', INTEGER)], registry, topic: 'T' });
    const b = await serde({ format: 'AVRO', columns: [col('FOO', INTEGER)], registry, topic: 'T' });
    expect(a.schemaId).toBe(b.schemaId);
    expect(await registry.listVersions('T-value')).toEqual([1]);
  });

  test.each(([
    [map(INTEGER, DOUBLE), 'Avro only supports MAPs with STRING keys'],
    [struct([field('1x', INTEGER)]), 'Schema is not compatible with Avro: Illegal initial character: 1x'],
  ] as [SqlType, string][]).map(([type, message]) => [formatType(type), type, message] as const))('refuses %s', async (_name, type, message) => {
    await expect(serde({ format: 'AVRO', columns: [col('V', type)] })).rejects.toThrow(message);
  });

  test('column names Avro refuses', async () => {
    await expect(serde({ format: 'AVRO', columns: [col('1AvroDoesNotLikeFieldsThatStartWithNumbers', DOUBLE)] })).rejects.toThrow(
      new SerdeConfigError(
        'Schema is not compatible with Avro: Illegal initial character: 1AvroDoesNotLikeFieldsThatStartWithNumbers',
      ),
    );
    await expect(serde({ format: 'AVRO', columns: [col('a-b', DOUBLE)] })).rejects.toThrow('Illegal character in: a-b');
    await expect(
      serde({ format: 'AVRO', columns: [col('A', DOUBLE)], properties: { fullSchemaName: ' ' } }),
    ).rejects.toThrow('fullSchemaName cannot be empty. Format configuration: {fullSchemaName=}');
  });
});

describe('AVRO: bytes', () => {
  test('wire header and Avro binary, byte-exact', async () => {
    const s = await serde({ format: 'AVRO', columns: [col('FOO', INTEGER), col('BAR', STRING)] });
    expect(hex(s.serialize([10, 'ab'], 't'))).toBe('00' + '00000001' + '0214' + '02' + '04' + '6162');
    expect(hex(s.serialize([null, null], 't'))).toBe('0000000001' + '00' + '00');
    expect(hex(s.serialize([-1, ''], 't'))).toBe('0000000001' + '0201' + '0200');
  });

  test('the header carries the registered id', async () => {
    const registry = createEmbeddedRegistry();
    for (let i = 0; i < 300; i++) {
      await registry.register(`x${i}-value`, { schemaType: 'AVRO', schema: JSON.stringify({ type: 'fixed', name: `F${i}`, size: 1 }) });
    }
    const s = await serde({ format: 'AVRO', columns: [col('FOO', INTEGER)], registry });
    expect(s.schemaId).toBe(301);
    expect(hex(s.serialize([1], 't')!.subarray(0, 5))).toBe('000000012d');
  });

  const allTypes: [string, SqlType, unknown][] = [
    ['BOOLEAN', BOOLEAN, true],
    ['INTEGER', INTEGER, -2147483648],
    ['BIGINT', BIGINT, -9223372036854775808n],
    ['BIGINT past 2^53', BIGINT, 998877665544332211n],
    ['DOUBLE', DOUBLE, -1.2345e-300],
    ['STRING', STRING, 'héllo 😀'],
    ['long STRING', STRING, 'x'.repeat(1000) + 'é'],
    ['BYTES', BYTES, Uint8Array.of(0, 1, 255)],
    ['DECIMAL', decimal(10, 3), Decimal.parse('-1234567.890')],
    ['DECIMAL 0', decimal(4, 2), Decimal.parse('0.00')],
    ['DATE', DATE, -3],
    ['TIME', TIME, 86399999],
    ['TIMESTAMP', TIMESTAMP, 1600000000123],
    ['ARRAY', array(STRING), ['a', null, '']],
    ['MAP', map(STRING, BIGINT), new Map<string, unknown>([['a', 1n], ['b', null]])],
    ['STRUCT', struct([field('A', INTEGER), field('b', struct([field('C', array(DOUBLE))]))]), { A: 1, b: { C: [1.5] } }],
  ];

  test.each(allTypes)('%s round-trips wrapped and bare', async (_name, type, value) => {
    for (const wrapSingle of [true, false]) {
      const s = await serde({ format: 'AVRO', columns: [col('V', type)], wrapSingle });
      expect(s.deserialize(s.serialize([value], 't'), 't')).toEqual([value]);
    }
  });

  test.each(allTypes)('%s: avsc reads what we write, and we read what avsc writes', async (_name, type, value) => {
    const s = await serde({ format: 'AVRO', columns: [col('V', type)] });
    const t = avscType(s.schema!);
    const bytes = s.serialize([value], 't')!;
    const decoded = t.fromBuffer(Buffer.from(bytes.subarray(5))) as Record<string, unknown>;
    const again = t.toBuffer(decoded);
    expect(hex(again)).toBe(hex(bytes.subarray(5)));
    expect(s.deserialize(framed(s.schemaId!, again), 't')).toEqual([value]);
  });

  test('null rows and null bare values are null records', async () => {
    const s = await serde({ format: 'AVRO', columns: [col('V', INTEGER)], wrapSingle: false });
    expect(s.serialize(null, 't')).toBeNull();
    expect(s.serialize([null], 't')).toBeNull();
    expect(s.deserialize(null, 't')).toBeNull();
  });

  test('bad bytes', async () => {
    const s = await serde({ format: 'AVRO', columns: [col('V', STRING)] });
    expect(() => s.deserialize(Uint8Array.of(1, 0, 0, 0, 1), 't')).toThrow('Unknown magic byte!');
    expect(() => s.deserialize(Uint8Array.of(0, 0, 0, 0, 1, 2, 40, 65), 't')).toThrow(DeserializationError);
    expect(() => s.deserialize(Uint8Array.of(0, 0, 0, 0, 99, 0), 't')).toThrow(SchemaNotCachedError);
  });

  test('a source serde reads but cannot write', async () => {
    const s = await serde({ format: 'AVRO', columns: [col('V', STRING)], sink: false });
    expect(s.schemaId).toBeUndefined();
    expect(() => s.serialize(['x'], 't')).toThrow(SerializationError);
  });
});

describe('AVRO: reading other writers (ksqlDB ConnectDataTranslator rules)', () => {
  let registry: EmbeddedSchemaRegistry;
  beforeEach(() => {
    registry = createEmbeddedRegistry();
  });

  async function readAs(writerSchema: unknown, value: unknown, columns: ReturnType<typeof col>[], wrapSingle?: boolean) {
    const id = await registerAvro(registry, 'in-value', writerSchema);
    const payload = avscType(JSON.stringify(writerSchema)).toBuffer(value);
    const s = await serde({ format: 'AVRO', columns, registry, sink: false, wrapSingle });
    return s.deserialize(framed(id, payload), 'in');
  }

  const blah = (fields: unknown[]) => ({ name: 'blah', type: 'record', fields });

  test('primitives, matched case-insensitively', async () => {
    const row = await readAs(
      blah([
        { name: 'c1', type: 'boolean' },
        { name: 'c2', type: 'int' },
        { name: 'c3', type: 'long' },
        { name: 'c4', type: 'double' },
        { name: 'c5', type: 'string' },
      ]),
      { c1: true, c2: 1, c3: 400000000000n, c4: 1.284765648, c5: 'hello' },
      [col('C1', BOOLEAN), col('C2', INTEGER), col('C3', BIGINT), col('C4', DOUBLE), col('C5', STRING)],
    );
    expect(row).toEqual([true, 1, 400000000000n, 1.284765648, 'hello']);
  });

  test('enum as STRING, float as DOUBLE, fixed as BYTES, missing columns null, extra fields skipped', async () => {
    const row = await readAs(
      blah([
        { name: 'skipme', type: { type: 'map', values: { type: 'array', items: 'string' } } },
        { name: 'suit', type: { type: 'enum', name: 'Suit', symbols: ['SPADES', 'HEARTS'] } },
        { name: 'f', type: 'float' },
        { name: 'md5', type: ['null', { type: 'fixed', size: 2, name: 'md5' }] },
      ]),
      { skipme: { a: ['x'] }, suit: 'HEARTS', f: 4.0, md5: Buffer.from([1, 2]) },
      [col('SUIT', STRING), col('F', DOUBLE), col('MD5', BYTES), col('ABSENT', INTEGER)],
    );
    expect(row).toEqual(['HEARTS', 4, Uint8Array.of(1, 2), null]);
  });

  test('widening: int to BIGINT and TIMESTAMP; scalars to STRING', async () => {
    const row = await readAs(
      blah([
        { name: 'I', type: 'int' },
        { name: 'L', type: 'int' },
        { name: 'S1', type: 'int' },
        { name: 'S2', type: 'float' },
        { name: 'S3', type: 'boolean' },
        { name: 'S4', type: 'long' },
      ]),
      { I: 7, L: 5, S1: 10, S2: 1.1, S3: false, S4: 998877665544332211n },
      [col('I', BIGINT), col('L', TIMESTAMP), col('S1', STRING), col('S2', STRING), col('S3', STRING), col('S4', STRING)],
    );
    expect(row).toEqual([7n, 5, '10', '1.1', 'false', '998877665544332211']);
  });

  test('an anonymous primitive value into one column (WRAP_SINGLE_VALUE=false)', async () => {
    expect(await readAs('int', 10, [col('FOO', INTEGER)], false)).toEqual([10]);
    expect(await readAs('int', 10, [col('FOO', STRING)], false)).toEqual(['10']);
    expect(await readAs({ type: 'array', items: ['null', 'string'] }, ['a', null], [col('FOO', array(STRING))], false)).toEqual([
      ['a', null],
    ]);
    expect(await readAs({ type: 'map', values: ['null', 'int'] }, { a: 1, c: null }, [col('FOO', map(STRING, STRING))], false)).toEqual([
      new Map([
        ['a', '1'],
        ['c', null],
      ]),
    ]);
  });

  test('a general union is a STRUCT of its branches', async () => {
    const row = await readAs(
      blah([{ name: 'u', type: ['null', 'int', 'string', { type: 'record', name: 'Inner', fields: [{ name: 'x', type: 'int' }] }] }]),
      { u: 'hi' },
      [col('U', struct([field('INT', INTEGER), field('STRING', STRING), field('INNER', struct([field('X', INTEGER)]))]))],
    );
    expect(row).toEqual([{ INT: null, STRING: 'hi', INNER: null }]);
    // A null branch is a null struct.
    const nul = await readAs(blah([{ name: 'u', type: ['null', 'int', 'string'] }]), { u: null }, [
      col('U', struct([field('INT', INTEGER), field('STRING', STRING)])),
    ]);
    expect(nul).toEqual([null]);
  });

  test('writer maps and MapEntry arrays both read as MAP', async () => {
    const row = await readAs(
      blah([
        { name: 'm1', type: { type: 'map', values: 'long' } },
        {
          name: 'm2',
          type: {
            type: 'array',
            items: {
              type: 'record',
              name: 'E',
              'connect.internal.type': 'MapEntry',
              fields: [
                { name: 'key', type: ['null', 'string'] },
                { name: 'value', type: ['null', 'string'] },
              ],
            },
          },
        },
      ]),
      { m1: { f1: 1n }, m2: [{ key: 'K2', value: 'FOO' }] },
      [col('M1', map(STRING, BIGINT)), col('M2', map(STRING, STRING))],
    );
    expect(row).toEqual([new Map([['f1', 1n]]), new Map([['K2', 'FOO']])]);
  });

  test('decimals are rescaled to the column', async () => {
    const row = await readAs(
      blah([{ name: 'd', type: { type: 'bytes', logicalType: 'decimal', precision: 5, scale: 1 } }]),
      { d: Buffer.from([0x04, 0xd2]) },
      [col('D', decimal(6, 2))],
    );
    expect(row).toEqual([Decimal.parse('123.40')]);
  });

  test('a type that cannot be read fails every record, with ksqlDB text', async () => {
    await expect(readAs(blah([{ name: 'a', type: 'long' }]), { a: 1n }, [col('A', INTEGER)])).rejects.toThrow(
      'Cannot deserialize type int64 as type int32 for path: ->A',
    );
    await expect(readAs(blah([{ name: 'a', type: 'string' }]), { a: 'x' }, [col('A', BOOLEAN)])).rejects.toThrow(
      'Cannot deserialize type string as type boolean for path: ->A',
    );
    await expect(readAs('int', 1, [col('A', INTEGER), col('B', INTEGER)])).rejects.toThrow(
      'Cannot deserialize type int32 as type struct for path: ',
    );
  });

  test('each writer schema id is compiled once and cached', async () => {
    const schemaA = blah([{ name: 'A', type: 'int' }]);
    const schemaB = blah([{ name: 'B', type: 'string' }, { name: 'A', type: 'long' }]);
    const idA = await registerAvro(registry, 'in-value', schemaA);
    const idB = await registerAvro(registry, 'in-value', schemaB);
    const s = await serde({ format: 'AVRO', columns: [col('A', BIGINT), col('B', STRING)], registry, sink: false });
    expect(s.deserialize(framed(idA, avscType(JSON.stringify(schemaA)).toBuffer({ A: 1 })), 't')).toEqual([1n, null]);
    expect(s.deserialize(framed(idB, avscType(JSON.stringify(schemaB)).toBuffer({ B: 'x', A: 2n })), 't')).toEqual([2n, 'x']);
  });
});

describe('AVRO: writing with a registered schema (VALUE_SCHEMA_ID)', () => {
  const transaction = {
    name: 'Transaction',
    namespace: 'com.acme.namespace',
    type: 'record',
    fields: [
      { name: 'eventID', type: 'string' },
      {
        name: 'transaction',
        type: {
          name: 'transaction',
          type: 'record',
          fields: [
            { name: 'num_shares', type: ['null', 'int'] },
            { name: 'amount', type: ['null', 'int'] },
            {
              name: 'customer',
              type: {
                name: 'customer',
                type: 'record',
                fields: [
                  { name: 'first_name', type: 'string' },
                  { name: 'last_name', type: 'string' },
                  { name: 'email', type: 'string' },
                ],
              },
            },
          ],
        },
      },
      { name: 'optField', type: 'string', default: 'foo' },
    ],
  };
  const columns = [
    col('eventID', STRING),
    col(
      'transaction',
      struct([
        field('num_shares', INTEGER),
        field('amount', INTEGER),
        field('customer', struct([field('first_name', STRING), field('last_name', STRING), field('email', STRING)])),
      ]),
    ),
  ];

  test('fields by name, defaults for the rest (avro.json VALUE_SCHEMA_ID)', async () => {
    const registry = createEmbeddedRegistry();
    const id = await registerAvro(registry, 'model-transaction-value', transaction);
    const s = await serde({ format: 'AVRO', columns, registry, topic: 'model-transaction', properties: { schemaId: String(id) } });
    expect(s.schemaId).toBe(id);
    const value = ['1', { num_shares: null, amount: null, customer: { first_name: 'Jill', last_name: 'Smith', email: 'jsmith@foo.com' } }];
    const bytes = s.serialize(value, 't')!;
    expect(avscType(JSON.stringify(transaction)).fromBuffer(Buffer.from(bytes.subarray(5)))).toEqual({
      eventID: '1',
      transaction: { num_shares: null, amount: null, customer: { first_name: 'Jill', last_name: 'Smith', email: 'jsmith@foo.com' } },
      optField: 'foo',
    });
    expect(s.deserialize(bytes, 't')).toEqual(value);
    // Nothing new is registered.
    expect(await registry.listSubjects()).toEqual(['model-transaction-value']);
  });

  test('a null for a non-null field is a serialization error', async () => {
    const registry = createEmbeddedRegistry();
    const id = await registerAvro(registry, 'x-value', transaction);
    const s = await serde({ format: 'AVRO', columns, registry, properties: { schemaId: String(id) } });
    expect(() => s.serialize([null, null], 't')).toThrow(SerializationError);
  });

  test('columns the schema lacks, and required fields without default, are refused', async () => {
    const registry = createEmbeddedRegistry();
    const id = await registerAvro(registry, 'x-value', {
      type: 'record',
      name: 'R',
      fields: [{ name: 'A', type: 'int' }, { name: 'REQ', type: 'string' }],
    });
    await expect(
      serde({ format: 'AVRO', columns: [col('A', INTEGER), col('B', INTEGER)], registry, properties: { schemaId: String(id) } }),
    ).rejects.toThrow('Schema from Schema Registry misses field with name: B');
    await expect(
      serde({ format: 'AVRO', columns: [col('A', INTEGER)], registry, properties: { schemaId: String(id) } }),
    ).rejects.toThrow('Missing default value for required Avro field: [REQ]. This field appears in Avro schema in Schema Registry');
  });
});
