import protobuf from 'protobufjs';
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
import { SchemaNotCachedError, SerdeConfigError, createEmbeddedRegistry, getColumnsFromRegistry } from '../../src/serde/index.js';
import { loadProto, parseProto, protobufSchemaFor } from '../../src/serde/protobuf-schema.js';
import { col, hex, serde } from './helpers.js';
import { qttCase, registryFor } from './qtt.js';

const primitives = [col('I', INTEGER), col('L', BIGINT), col('D', DOUBLE), col('B', BOOLEAN), col('S', STRING)];

/** protobufjs, for an independent encoder/decoder of the same schema. */
function pbType(schema: string, name = 'ConnectDefault1'): protobuf.Type {
  return protobuf.parse(schema, { keepCase: true }).root.lookupType(name);
}

describe('PROTOBUF: the schema a sink registers (protobuf.json expected schemas)', () => {
  test.each([
    [undefined, 'syntax = "proto3";\n\nmessage ConnectDefault1 {\n  int32 I = 1;\n  int64 L = 2;\n  double D = 3;\n  bool B = 4;\n  string S = 5;\n}\n'],
    [
      'OPTIONAL',
      'syntax = "proto3";\n\nmessage ConnectDefault1 {\n  optional int32 I = 1;\n  optional int64 L = 2;\n  optional double D = 3;\n  optional bool B = 4;\n  optional string S = 5;\n}\n',
    ],
    [
      'WRAPPER',
      'syntax = "proto3";\n\nimport "google/protobuf/wrappers.proto";\n\nmessage ConnectDefault1 {\n  google.protobuf.Int32Value I = 1;\n  google.protobuf.Int64Value L = 2;\n  google.protobuf.DoubleValue D = 3;\n  google.protobuf.BoolValue B = 4;\n  google.protobuf.StringValue S = 5;\n}\n',
    ],
  ])('nullable representation %s', async (nullable, expected) => {
    const registry = createEmbeddedRegistry();
    const s = await serde({
      format: 'PROTOBUF',
      columns: primitives,
      registry,
      topic: 'OUTPUT',
      properties: nullable ? { nullableRepresentation: nullable } : {},
    });
    const latest = await registry.getLatest('OUTPUT-value');
    expect(latest.schemaType).toBe('PROTOBUF');
    expect(latest.schema).toBe(expected.trim());
    expect(s.schema).toBe(expected);
  });

  test('nested structs, containers and logical types', () => {
    const text = protobufSchemaFor([
      col('FOO', struct([field('F0', INTEGER), field('INNER', struct([field('X', STRING)]))])),
      col('ARR', array(BIGINT)),
      col('M', map(STRING, DOUBLE)),
      col('DEC', decimal(4, 2)),
      col('DT', DATE),
      col('TM', TIME),
      col('TS', TIMESTAMP),
    ]);
    expect(text).toBe(
      [
        'syntax = "proto3";',
        '',
        'import "confluent/type/decimal.proto";',
        'import "google/protobuf/timestamp.proto";',
        'import "google/type/date.proto";',
        'import "google/type/timeofday.proto";',
        '',
        'message ConnectDefault1 {',
        '  ConnectDefault2 FOO = 1;',
        '  repeated int64 ARR = 2;',
        '  map<string, double> M = 3;',
        '  confluent.type.Decimal DEC = 4 [(confluent.field_meta) = { params: [{ key: "precision", value: "4" }, { key: "scale", value: "2" }] }];',
        '  google.type.Date DT = 5;',
        '  google.type.TimeOfDay TM = 6;',
        '  google.protobuf.Timestamp TS = 7;',
        '',
        '  message ConnectDefault2 {',
        '    int32 F0 = 1;',
        '    ConnectDefault3 INNER = 2;',
        '',
        '    message ConnectDefault3 {',
        '      string X = 1;',
        '    }',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    // It reads back as the same columns.
    expect(loadProto(text).file.messages[0].fields.map((f) => f.name)).toEqual(['FOO', 'ARR', 'M', 'DEC', 'DT', 'TM', 'TS']);
  });

  test('WRAP_SINGLE_VALUE=false is refused', async () => {
    await expect(serde({ format: 'PROTOBUF', columns: [col('FOO', INTEGER)], wrapSingle: false })).rejects.toThrow(
      new SerdeConfigError("Format 'PROTOBUF' does not support 'WRAP_SINGLE_VALUE' set to 'false'."),
    );
  });
});

describe('PROTOBUF: bytes', () => {
  test('wire header, message index 0, proto3 binary; checked with protobufjs', async () => {
    const s = await serde({ format: 'PROTOBUF', columns: primitives });
    const bytes = s.serialize([1, 998877665544332211n, 1.5, true, 'foo'], 't')!;
    expect(hex(bytes.subarray(0, 6))).toBe('000000000100');
    expect(hex(bytes.subarray(6, 8))).toBe('0801');
    const decoded = pbType(s.schema!).decode(bytes.subarray(6)).toJSON();
    expect(decoded).toEqual({ I: 1, L: '998877665544332211', D: 1.5, B: true, S: 'foo' });
    expect(s.deserialize(bytes, 't')).toEqual([1, 998877665544332211n, 1.5, true, 'foo']);
  });

  test('proto3 defaults: nulls and zeros are not written, and read back as defaults', async () => {
    const s = await serde({ format: 'PROTOBUF', columns: primitives });
    const bytes = s.serialize([null, 0n, null, false, null], 't')!;
    expect(hex(bytes)).toBe('000000000100');
    expect(s.deserialize(bytes, 't')).toEqual([0, 0n, 0, false, '']);
  });

  test.each(['OPTIONAL', 'WRAPPER'])('%s keeps nulls apart from zeros', async (nullable) => {
    const s = await serde({ format: 'PROTOBUF', columns: primitives, properties: { nullableRepresentation: nullable } });
    expect(s.deserialize(s.serialize([null, 0n, null, false, null], 't'), 't')).toEqual([null, 0n, null, false, null]);
    expect(s.deserialize(s.serialize([0, null, 0, null, ''], 't'), 't')).toEqual([0, null, 0, null, '']);
  });

  test('negative int32 is a 10-byte varint, as protobuf-java writes it', async () => {
    const s = await serde({ format: 'PROTOBUF', columns: [col('I', INTEGER)] });
    expect(hex(s.serialize([-1], 't')!.subarray(6))).toBe('08ffffffffffffffffff01');
  });

  const values: [string, SqlType, unknown][] = [
    ['INTEGER', INTEGER, -2147483648],
    ['BIGINT', BIGINT, -9223372036854775808n],
    ['DOUBLE', DOUBLE, -1.25e-300],
    ['STRING', STRING, 'héllo 😀'.repeat(30)],
    ['BYTES', BYTES, Uint8Array.of(0, 1, 255)],
    ['BOOLEAN', BOOLEAN, true],
    ['DECIMAL', decimal(10, 3), Decimal.parse('-1234567.890')],
    ['DATE', DATE, 19000],
    ['DATE before 1970', DATE, -800],
    ['TIME', TIME, 86399999],
    ['TIMESTAMP', TIMESTAMP, 1600000000123],
    ['TIMESTAMP before 1970', TIMESTAMP, -1001],
    ['ARRAY', array(STRING), ['a', '', 'b']],
    ['ARRAY of numbers (packed)', array(BIGINT), [1n, -1n, 300n]],
    ['ARRAY of structs', array(struct([field('X', INTEGER)])), [{ X: 1 }, { X: 0 }]],
    ['MAP', map(STRING, BIGINT), new Map<string, unknown>([['a', 1n], ['b', 2n]])],
    ['STRUCT', struct([field('A', INTEGER), field('B', struct([field('C', array(DOUBLE))]))]), { A: 1, B: { C: [1.5] } }],
  ];
  test.each(values)('%s round-trips', async (_name, type, value) => {
    const s = await serde({ format: 'PROTOBUF', columns: [col('K', STRING), col('V', type)] });
    expect(s.deserialize(s.serialize(['k', value], 't'), 't')).toEqual(['k', value]);
  });

  test.each(values.filter(([, type]) => !['DECIMAL', 'DATE', 'TIME', 'TIMESTAMP'].includes(type.kind)))(
    '%s: protobufjs reads what we write, and we read what it writes back',
    async (_name, type, value) => {
      const s = await serde({ format: 'PROTOBUF', columns: [col('K', STRING), col('V', type)] });
      const bytes = s.serialize(['k', value], 't')!;
      const t = pbType(s.schema!);
      const again = t.encode(t.decode(bytes.subarray(6))).finish();
      // protobufjs does not pack proto3 repeated numbers (protobuf-java and we do); both read either.
      if (!/ARRAY<(BIGINT|DOUBLE)>/.test(formatType(type))) expect(hex(again)).toBe(hex(bytes.subarray(6)));
      expect(s.deserialize(Uint8Array.from([...bytes.subarray(0, 6), ...again]), 't')).toEqual(['k', value]);
    },
  );

  test('containers and structs: nulls', async () => {
    const s = await serde({
      format: 'PROTOBUF',
      columns: [col('A', array(INTEGER)), col('M', map(STRING, STRING)), col('S', struct([field('FOO', INTEGER)]))],
    });
    expect(s.deserialize(s.serialize([null, null, null], 't'), 't')).toEqual([[], new Map(), null]);
    expect(s.deserialize(s.serialize([[0], new Map([['1', 'a']]), {}], 't'), 't')).toEqual([[0], new Map([['1', 'a']]), { FOO: 0 }]);
  });

  test('we read what protobufjs writes, packed or not, fields in any order', async () => {
    const schema = 'syntax = "proto3"; message M { repeated int32 xs = 1 [packed = false]; string s = 2; sint64 z = 3; repeated int32 ys = 4; }';
    const registry = createEmbeddedRegistry();
    const id = await registry.register('in-value', { schemaType: 'PROTOBUF', schema });
    const t = pbType(schema, 'M');
    const payload = t.encode(t.fromObject({ xs: [1, 2], s: 'x', z: -5, ys: [7, 8] })).finish();
    const s = await serde({
      format: 'PROTOBUF',
      columns: [col('YS', array(INTEGER)), col('Z', BIGINT), col('S', STRING), col('XS', array(INTEGER))],
      registry,
      sink: false,
    });
    expect(s.deserialize(Uint8Array.from([0, 0, 0, 0, id, 0, ...payload]), 't')).toEqual([[7, 8], -5n, 'x', [1, 2]]);
    expect(() => s.deserialize(Uint8Array.from([0, 0, 0, 0, 9, 0]), 't')).toThrow(SchemaNotCachedError);
  });

  test('PROTOBUF_NOSR: the bare message', async () => {
    const s = await serde({ format: 'PROTOBUF_NOSR', columns: primitives });
    const bytes = s.serialize([1, null, null, null, 'a'], 't')!;
    expect(hex(bytes)).toBe('08012a0161');
    expect(s.deserialize(bytes, 't')).toEqual([1, 0n, 0, false, 'a']);
  });
});

describe('PROTOBUF: registered schemas (protobuf.json, elements.json)', () => {
  test('inference', async () => {
    const infer = async (name: string) => {
      const registry = registryFor(qttCase('protobuf.json', name), 'PROTOBUF');
      return (await getColumnsFromRegistry(registry, 'input', false, 'PROTOBUF')).map((c) => `${c.name} ${c.type.kind}`);
    };
    expect(await infer('protobuf inference - primitives')).toEqual(['C1 BOOLEAN', 'C2 INTEGER', 'C3 BIGINT', 'C4 DOUBLE', 'C5 STRING']);
    expect(await infer('should convert enum to STRING')).toEqual(['C1 STRING']);
    expect(await infer('should support arrays')).toEqual(['C1 ARRAY']);
    expect(await infer('should convert nested types to STRUCT')).toEqual(['C1 STRUCT']);
    expect(await infer('protobuf inference - other scalars')).toEqual(['C1 DOUBLE', 'C2 BIGINT', 'C3 BIGINT', 'C4 INTEGER', 'C5 BIGINT']);
    const partial = await getColumnsFromRegistry(
      registryFor(qttCase('protobuf.json', 'protobuf inference - partial schema'), 'PROTOBUF'),
      'input',
      false,
      'PROTOBUF',
    );
    expect(partial[5]).toEqual({ name: 'C6', type: decimal(4, 2) });
  });

  test('keys are the key message fields; a schema id keeps names; full names select the message', async () => {
    const byId = qttCase('elements.json', 'validate schema id without key value elements OK - PROTOBUF');
    expect(await getColumnsFromRegistry(registryFor(byId, 'PROTOBUF'), 'input', true, 'PROTOBUF', { schemaId: 1 })).toEqual([
      { name: 'c0', type: INTEGER },
    ]);
    const multi = qttCase('elements.json', 'validate schema id and schema full name from multiple schema definitions OK - PROTOBUF');
    const registry = registryFor(multi, 'PROTOBUF');
    expect(
      await getColumnsFromRegistry(registry, 'input', true, 'PROTOBUF', { schemaId: 1, fullSchemaName: 'KeySchema2' }),
    ).toEqual([{ name: 'K1', type: INTEGER }]);
    // Writing with KeySchema2 (the second message) puts message index [1] on the wire.
    const s = await serde({
      format: 'PROTOBUF',
      columns: [col('K1', INTEGER)],
      isKey: true,
      registry,
      properties: { schemaId: '1', fullSchemaName: 'KeySchema2' },
    });
    const bytes = s.serialize([42], 't')!;
    expect(hex(bytes)).toBe('0000000001' + '0202' + '082a');
    expect(s.deserialize(bytes, 't')).toEqual([42]);
  });

  test('a float field reads as its exact value (protobuf inference - other scalars)', async () => {
    const schema = 'syntax = "proto3"; message ConfluentDefault1 {float c1 = 1; uint32 c2 = 2; uint64 c3 = 3; sint32 c4 = 4; sint64 c5 = 5;}';
    const registry = createEmbeddedRegistry();
    const id = await registry.register('input-value', { schemaType: 'PROTOBUF', schema });
    const t = pbType(schema, 'ConfluentDefault1');
    const payload = t.encode(t.fromObject({ c1: 1.1234, c2: 1, c3: 400000000000, c4: 1, c5: 400000000000 })).finish();
    const columns = (await getColumnsFromRegistry(registry, 'input', false, 'PROTOBUF')).map((c) => col(c.name, c.type));
    const s = await serde({ format: 'PROTOBUF', columns, registry, sink: false });
    expect(s.deserialize(Uint8Array.from([0, 0, 0, 0, id, 0, ...payload]), 't')).toEqual([
      1.1233999729156494,
      1n,
      400000000000n,
      1,
      400000000000n,
    ]);
  });

  test('with a schema id: writes by the registered message (elements.json: extra field read as default)', async () => {
    const registry = createEmbeddedRegistry();
    const id = await registry.register('OUTPUT-value', {
      schemaType: 'PROTOBUF',
      schema: 'syntax = "proto3"; message ConnectDefault1 { int32 c1 = 1; string c2 = 2; }',
    });
    const s = await serde({ format: 'PROTOBUF', columns: [col('c1', INTEGER)], registry, properties: { schemaId: String(id) } });
    const bytes = s.serialize([4], 't')!;
    const reader = await serde({ format: 'PROTOBUF', columns: [col('c1', INTEGER), col('c2', STRING)], registry, sink: false });
    expect(reader.deserialize(bytes, 't')).toEqual([4, '']);
    await expect(
      serde({ format: 'PROTOBUF', columns: [col('c3', INTEGER)], registry, properties: { schemaId: String(id) } }),
    ).rejects.toThrow('Schema from Schema Registry misses field with name: c3');
  });

  test('the .proto reader handles what registries hold', () => {
    const file = parseProto(`
      // comment
      syntax = "proto3";
      package com.acme;
      import "google/protobuf/timestamp.proto";
      option java_package = "x";
      /* block */
      message Outer {
        reserved 3, 4;
        enum Kind { A = 0; B = 1 [deprecated = true]; }
        message Inner { int64 at = 1; }
        Kind kind = 1;
        oneof choice { string name = 5; Inner inner = 6; }
        map<string, Inner> byName = 7 [json_name = "by"];
        google.protobuf.Timestamp ts = 8;
      }
      service S { rpc Get (Outer) returns (Outer); }
    `);
    expect(file.package).toBe('com.acme');
    expect(file.messages[0].fields.map((f) => [f.name, f.number, f.oneof ?? ''])).toEqual([
      ['kind', 1, ''],
      ['name', 5, 'choice'],
      ['inner', 6, 'choice'],
      ['byName', 7, ''],
      ['ts', 8, ''],
    ]);
  });
});
