import { renderTypes, typesJson } from '../../../src/cli/render/types.js';

describe('SHOW TYPES', () => {
  it('lists types sorted by name, as ksqlDB’s TypeListTableBuilder', () => {
    // ksqlDB's ConsoleTest.shouldPrintTypesList, verbatim.
    const out = renderTypes([
      { name: 'typeB', schema: 'ARRAY<VARCHAR(STRING)>' },
      { name: 'typeA', schema: 'STRUCT<f1 VARCHAR(STRING)>' },
    ]);
    expect(out).toBe(
      ' Type Name | Schema                     \n' +
        '----------------------------------------\n' +
        ' typeA     | STRUCT<f1 VARCHAR(STRING)> \n' +
        ' typeB     | ARRAY<VARCHAR(STRING)>     \n' +
        '----------------------------------------\n',
    );
  });

  it('has the shape of ksqlDB’s TypeList entity: a map of name to schema', () => {
    expect(typesJson([{ name: 'ADDRESS', schema: 'STRUCT<NUMBER INTEGER, STREET VARCHAR(STRING)>' }])).toEqual({
      '@type': 'type_list',
      types: {
        ADDRESS: {
          type: 'STRUCT',
          fields: [
            { name: 'NUMBER', schema: { type: 'INTEGER', fields: null, memberSchema: null } },
            { name: 'STREET', schema: { type: 'STRING', fields: null, memberSchema: null } },
          ],
          memberSchema: null,
        },
      },
    });
  });
});
