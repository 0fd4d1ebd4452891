import type { FunctionDescription } from '../../../src/engine/index.js';
import {
  functionDescriptionJson,
  functionListJson,
  renderFunctionDescription,
  renderFunctionList,
} from '../../../src/cli/render/functions.js';

describe('SHOW FUNCTIONS', () => {
  it('groups functions by category with a blank row between, as ksqlDB’s FunctionNameListTableBuilder', () => {
    const out = renderFunctionList([
      { name: 'UCASE', category: 'STRING', type: 'SCALAR' },
      { name: 'SUM', category: 'AGGREGATE', type: 'AGGREGATE' },
      { name: 'ABS', category: 'MATHEMATICAL', type: 'SCALAR' },
      { name: 'COUNT', category: 'AGGREGATE', type: 'AGGREGATE' },
      { name: 'LCASE', category: 'STRING', type: 'SCALAR' },
    ]);
    expect(out).toBe(
      ' Function Name | Category     \n' +
        '------------------------------\n' +
        ' COUNT         | AGGREGATE    \n' +
        ' SUM           | AGGREGATE    \n' +
        '               |              \n' +
        ' ABS           | MATHEMATICAL \n' +
        '               |              \n' +
        ' LCASE         | STRING       \n' +
        ' UCASE         | STRING       \n' +
        '------------------------------\n' +
        'For detailed information about a function, run: DESCRIBE FUNCTION <Function Name>;\n',
    );
  });

  it('lists name and type when functions have no category, as ksqlDB does for older servers', () => {
    const out = renderFunctionList([
      { name: 'UCASE', category: '', type: 'SCALAR' },
      { name: 'COUNT', category: '', type: 'AGGREGATE' },
    ]);
    expect(out).toBe(
      ' Function Name | Category  \n' +
        '---------------------------\n' +
        ' COUNT         | AGGREGATE \n' +
        ' UCASE         | SCALAR    \n' +
        '---------------------------\n' +
        'For detailed information about a function, run: DESCRIBE FUNCTION <Function Name>;\n',
    );
  });

  it('has the shape of ksqlDB’s FunctionNameList entity', () => {
    expect(functionListJson([{ name: 'ABS', category: 'MATHEMATICAL', type: 'SCALAR' }])).toEqual({
      '@type': 'function_names',
      functions: [{ name: 'ABS', type: 'SCALAR', category: 'MATHEMATICAL' }],
    });
  });
});

describe('DESCRIBE FUNCTION', () => {
  it('wraps descriptions to the terminal as ksqlDB’s printFunctionDescription', () => {
    // ksqlDB's ConsoleTest.shouldPrintFunctionDescription (terminal 100 wide), without argument
    // descriptions, which the engine does not give; built-ins live in no jar.
    const foo: FunctionDescription = {
      name: 'foo',
      type: 'SCALAR',
      author: 'Andy',
      version: 'v1.1.0',
      description:
        'Description that is very, very, very, very, very, very, very, very, very, very, very, very, very, very, very, very, very, very, very, very, very long\n' +
        'and containing new lines\n' +
        '\tAND TABS\n' +
        'too!',
      variants: [
        {
          signature: 'arg1 INT[]',
          returns: 'LONG',
          description:
            'The function description, which too can be really, really, really, really, really, really, really, really, really, really, really, really, really, really, really, really, really, really, really, really, long\n' +
            'and contains\n' +
            '\ttabs and stuff',
        },
      ],
    };
    expect(renderFunctionDescription(foo, { width: 100 })).toBe(
      'Name        : FOO\n' +
        'Author      : Andy\n' +
        'Version     : v1.1.0\n' +
        'Overview    : Description that is very, very, very, very, very, very, very, very, very, very, very, \n' +
        '              very, very, very, very, very, very, very, very, very, very long\n' +
        '              and containing new lines\n' +
        '              \tAND TABS\n' +
        '              too!\n' +
        'Type        : SCALAR\n' +
        'Jar         : internal\n' +
        'Variations  : \n' +
        '\n' +
        '\tVariation   : FOO(arg1 INT[])\n' +
        '\tReturns     : LONG\n' +
        '\tDescription : The function description, which too can be really, really, really, really, really, \n' +
        '                really, really, really, really, really, really, really, really, really, really, \n' +
        '                really, really, really, really, really, long\n' +
        '                and contains\n' +
        '                \ttabs and stuff\n',
    );
  });

  it('wraps at 80 columns at least, and leaves out an empty author, version or description', () => {
    const ucase: FunctionDescription = {
      name: 'ucase',
      type: 'SCALAR',
      author: '',
      version: ' ',
      description: 'Converts a string to uppercase.',
      variants: [
        { signature: 'UCASE(input VARCHAR)', returns: 'VARCHAR', description: '' },
        { signature: 'input VARCHAR, locale VARCHAR', returns: 'VARCHAR', description: 'Uses the locale.' },
      ],
    };
    expect(renderFunctionDescription(ucase, { width: 20 })).toBe(
      'Name        : UCASE\n' +
        'Overview    : Converts a string to uppercase.\n' +
        'Type        : SCALAR\n' +
        'Jar         : internal\n' +
        'Variations  : \n' +
        '\n' +
        '\tVariation   : UCASE(input VARCHAR)\n' +
        '\tReturns     : VARCHAR\n' +
        '\n' +
        '\tVariation   : UCASE(input VARCHAR, locale VARCHAR)\n' +
        '\tReturns     : VARCHAR\n' +
        '\tDescription : Uses the locale.\n',
    );
  });

  it('has the shape of ksqlDB’s FunctionDescriptionList entity', () => {
    const json = functionDescriptionJson({
      name: 'substring',
      type: 'SCALAR',
      author: 'Confluent',
      version: '',
      description: 'Returns part of a string.',
      variants: [
        { signature: 'str VARCHAR, pos INT', returns: 'VARCHAR', description: 'From pos.' },
        { signature: 'DECIMAL(10, 2), VARCHAR[]', returns: 'VARCHAR', description: '' },
      ],
    });
    expect(json).toEqual({
      '@type': 'describe_function',
      name: 'SUBSTRING',
      description: 'Returns part of a string.',
      author: 'Confluent',
      version: '',
      path: 'internal',
      functions: [
        {
          arguments: [
            { name: 'str', type: 'VARCHAR', description: '', isVariadic: false },
            { name: 'pos', type: 'INT', description: '', isVariadic: false },
          ],
          returnType: 'VARCHAR',
          description: 'From pos.',
        },
        {
          arguments: [
            { name: '', type: 'DECIMAL(10, 2)', description: '', isVariadic: false },
            { name: '', type: 'VARCHAR', description: '', isVariadic: true },
          ],
          returnType: 'VARCHAR',
          description: '',
        },
      ],
      type: 'SCALAR',
    });
  });
});
