import { fieldInfo, schemaInfo } from '../../../src/cli/render/schema-info.js';

const leaf = (type: string) => ({ type, fields: null, memberSchema: null });

describe('schemaInfo', () => {
  it('reads ksqlDB’s display types back into its REST SchemaInfo', () => {
    expect(schemaInfo('VARCHAR(STRING)')).toEqual(leaf('STRING'));
    expect(schemaInfo('BIGINT')).toEqual(leaf('BIGINT'));
    expect(schemaInfo('ARRAY<VARCHAR(STRING)>')).toEqual({ type: 'ARRAY', fields: null, memberSchema: leaf('STRING') });
    expect(schemaInfo('MAP<STRING, ARRAY<INTEGER>>')).toEqual({
      type: 'MAP',
      fields: null,
      memberSchema: { type: 'ARRAY', fields: null, memberSchema: leaf('INTEGER') },
    });
    expect(schemaInfo('DECIMAL(4, 2)')).toEqual({ type: 'DECIMAL', fields: null, memberSchema: null, parameters: { precision: 4, scale: 2 } });
  });

  it('reads nested structs', () => {
    expect(schemaInfo('STRUCT<a STRUCT<b DOUBLE>, c VARCHAR(STRING)>')).toEqual({
      type: 'STRUCT',
      fields: [
        { name: 'a', schema: { type: 'STRUCT', fields: [{ name: 'b', schema: leaf('DOUBLE') }], memberSchema: null } },
        { name: 'c', schema: leaf('STRING') },
      ],
      memberSchema: null,
    });
    expect(schemaInfo('STRUCT<>')).toEqual({ type: 'STRUCT', fields: [], memberSchema: null });
  });

  it('keeps a type it cannot read as its text', () => {
    expect(schemaInfo('ARRAY<')).toEqual(leaf('ARRAY<'));
    expect(schemaInfo('what is this')).toEqual(leaf('what is this'));
  });
});

describe('fieldInfo', () => {
  it('marks key and header columns as ksqlDB’s FieldInfo does', () => {
    expect(fieldInfo({ name: 'ID', type: 'INTEGER', role: 'PRIMARY KEY' })).toEqual({ name: 'ID', schema: leaf('INTEGER'), type: 'KEY' });
    expect(fieldInfo({ name: 'H', type: 'BYTES', role: 'HEADER', headerKey: 'k' })).toEqual({
      name: 'H',
      schema: leaf('BYTES'),
      type: 'HEADER',
      headerKey: 'k',
    });
    expect(fieldInfo({ name: 'V', type: 'DOUBLE' })).toEqual({ name: 'V', schema: leaf('DOUBLE') });
  });
});
