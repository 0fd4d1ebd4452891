import { errorJson, renderError } from '../../../src/cli/render/error.js';

describe('renderError', () => {
  it('points at the column of a one-line statement with a caret', () => {
    expect(
      renderError({
        message: "line 1:10: Syntax Error\nmismatched input 'FORM'",
        statementIndex: 2,
        line: 1,
        col: 10,
        statementText: 'SELECT * FORM T',
        sourceLine: 'SELECT * FORM T;',
      }),
    ).toBe(
      "Error in statement 2 (line 1): line 1:10: Syntax Error\nmismatched input 'FORM'\n" +
        'SELECT * FORM T\n' +
        '         ^\n',
    );
  });

  it('puts the caret under the offending line of a multi-line statement', () => {
    expect(
      renderError({
        message: "Unknown property: 'KAFKA_TOPC'",
        statementIndex: 3,
        line: 7,
        col: 9,
        statementText: "CREATE STREAM RATINGS (ID INT)\n  WITH (KAFKA_TOPC='ratings',\n        VALUE_FORMAT='AVRO')",
        sourceLine: "  WITH (KAFKA_TOPC='ratings',",
      }),
    ).toBe(
      "Error in statement 3 (line 7): Unknown property: 'KAFKA_TOPC'\n" +
        'CREATE STREAM RATINGS (ID INT)\n' +
        "  WITH (KAFKA_TOPC='ratings',\n" +
        '        ^\n' +
        "        VALUE_FORMAT='AVRO')\n",
    );
  });

  it('shows the script line after the statement when the statement does not hold it as written', () => {
    expect(
      renderError({
        message: 'line 1:24: Syntax Error',
        statementIndex: 2,
        line: 1,
        col: 24,
        statementText: 'SELECT * FORM T',
        sourceLine: "SET 'a'='b'; SELECT * FORM T;",
      }),
    ).toBe(
      'Error in statement 2 (line 1): line 1:24: Syntax Error\n' +
        'SELECT * FORM T\n' +
        "SET 'a'='b'; SELECT * FORM T;\n" +
        '                       ^\n',
    );
  });

  it('keeps tabs before the column so the caret lines up', () => {
    expect(renderError({ message: 'bad', col: 3, sourceLine: '\tX Y' })).toBe('Error: bad\n\tX Y\n\t ^\n');
  });

  it('prints the statement alone when no column is known', () => {
    expect(
      renderError({ message: 'Could not find STREAM/TABLE: FOO', statementIndex: 1, line: 4, statementText: 'DESCRIBE FOO' }),
    ).toBe('Error in statement 1 (line 4): Could not find STREAM/TABLE: FOO\nDESCRIBE FOO\n');
  });

  it('says as much as it knows', () => {
    expect(renderError({ message: 'boom' })).toBe('Error: boom\n');
    expect(renderError({ message: 'boom', statementIndex: 5 })).toBe('Error in statement 5: boom\n');
  });
});

describe('errorJson', () => {
  it('has the shape of ksqlDB’s statement error, with the position', () => {
    expect(errorJson({ message: 'boom', statementIndex: 1, line: 2, col: 3, statementText: 'X' })).toEqual({
      '@type': 'statement_error',
      error_code: 40001,
      message: 'boom',
      statementText: 'X',
      entities: [],
      statementIndex: 1,
      line: 2,
      col: 3,
    });
  });
});
