import { BIGINT, BYTES, DATE, DOUBLE, INTEGER, STRING, TIME, TIMESTAMP, array, decimal, field, map, struct, type SqlType } from '../../src/schema/index.js';
import { jsonSchemaFor } from '../../src/serde/index.js';
import { physicalJsonSchema, sqlTypeOfJsonSchema } from '../../src/serde/json-schema.js';
import { col } from './helpers.js';

const types: [string, SqlType][] = [
  ['INTEGER', INTEGER],
  ['BIGINT', BIGINT],
  ['DOUBLE', DOUBLE],
  ['STRING', STRING],
  ['BYTES', BYTES],
  ['DECIMAL', decimal(4, 2)],
  ['DATE', DATE],
  ['TIME', TIME],
  ['TIMESTAMP', TIMESTAMP],
  ['ARRAY', array(STRING)],
  ['MAP', map(STRING, BIGINT)],
  ['STRUCT', struct([field('A', INTEGER), field('b', array(DOUBLE))])],
];

describe('JSON schemas (JSON_SR)', () => {
  test('decimal and logical types as JsonSchemaData writes them', () => {
    expect(jsonSchemaFor([col('K', decimal(4, 2))], false)).toEqual({
      oneOf: [
        { type: 'null' },
        {
          type: 'number',
          title: 'org.apache.kafka.connect.data.Decimal',
          'connect.version': 1,
          'connect.type': 'bytes',
          'connect.parameters': { scale: '2', 'connect.decimal.precision': '4' },
        },
      ],
    });
    expect(jsonSchemaFor([col('M', map(STRING, INTEGER))], true)).toEqual({
      type: 'object',
      properties: {
        M: {
          'connect.index': 0,
          oneOf: [
            { type: 'null' },
            { type: 'object', additionalProperties: { oneOf: [{ type: 'null' }, { type: 'integer', 'connect.type': 'int32' }] }, 'connect.type': 'map' },
          ],
        },
      },
    });
  });

  test.each(types)('%s reads back as the same type', (_name, type) => {
    expect(sqlTypeOfJsonSchema(JSON.stringify(jsonSchemaFor([col('V', type)], false)), true)).toEqual(type);
  });

  test('plain JSON schemas: integer is BIGINT, number DOUBLE, names upper-cased', () => {
    expect(
      sqlTypeOfJsonSchema({
        type: 'object',
        properties: { id: { type: 'integer' }, score: { type: 'number' }, tags: { type: 'array', items: { type: 'string' } }, ok: { type: ['boolean', 'null'] } },
      }),
    ).toEqual(struct([field('ID', BIGINT), field('SCORE', DOUBLE), field('TAGS', array(STRING)), field('OK', { kind: 'BOOLEAN' })]));
  });

  test('physical schema: order, defaults, required', () => {
    expect(
      physicalJsonSchema(
        JSON.stringify({
          type: 'object',
          required: ['a', 'b'],
          properties: { b: { 'connect.index': 1, type: 'string' }, a: { 'connect.index': 0, oneOf: [{ type: 'null' }, { type: 'integer' }] }, c: { type: 'string', default: 'x' } },
        }),
      ),
    ).toEqual({
      properties: [
        { name: 'a', required: false },
        { name: 'b', required: true },
        { name: 'c', required: false, defaultJson: '"x"' },
      ],
    });
  });
});
