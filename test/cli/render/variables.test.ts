import { renderVariables, variablesJson } from '../../../src/cli/render/variables.js';

describe('SHOW VARIABLES', () => {
  it('lists variables sorted by name, as ksqlDB’s ListVariablesTableBuilder', () => {
    // The variables of ksqlDB's SHOW VARIABLES documentation.
    const out = renderVariables([
      { name: 'replicas', value: '3' },
      { name: 'format', value: 'AVRO' },
      { name: 'topicName', value: "'my_topic'" },
    ]);
    expect(out).toBe(
      ' Variable Name | Value      \n' +
        '----------------------------\n' +
        ' format        | AVRO       \n' +
        ' replicas      | 3          \n' +
        " topicName     | 'my_topic' \n" +
        '----------------------------\n',
    );
  });

  it('has the shape of ksqlDB’s VariablesList entity', () => {
    expect(variablesJson([{ name: 'format', value: 'AVRO' }])).toEqual({
      '@type': 'variables',
      variables: [{ name: 'format', value: 'AVRO' }],
    });
  });
});
