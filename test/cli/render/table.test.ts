import { byJavaString, labelLine, printed, singleLine, tableLines } from '../../../src/cli/render/table.js';

describe('tableLines', () => {
  it('draws ksqlDB’s header, rule, rows, rule, each cell padded by one space', () => {
    expect(tableLines(['Stream Name', 'Kafka Topic'], [['A', 't1'], ['LONGER_NAME', 't2']])).toEqual([
      ' Stream Name | Kafka Topic ',
      '---------------------------',
      ' A           | t1          ',
      ' LONGER_NAME | t2          ',
      '---------------------------',
    ]);
  });

  it('draws both rules under an empty table, as ksqlDB does', () => {
    expect(tableLines(['Variable Name', 'Value'], [])).toEqual([
      ' Variable Name | Value ',
      '-----------------------',
      '-----------------------',
    ]);
  });

  it('cuts the rules, never the rows, to the terminal width', () => {
    expect(tableLines(['Property', 'Value'], [['auto.offset.reset', 'earliest']], { width: 10 })).toEqual([
      ' Property          | Value    ',
      '----------',
      ' auto.offset.reset | earliest ',
      '----------',
    ]);
  });

  it('leaves a table narrower than the terminal alone', () => {
    expect(tableLines(['Message'], [['Stream created']], { width: 80 })).toEqual([
      ' Message        ',
      '----------------',
      ' Stream created ',
      '----------------',
    ]);
  });

  it('never writes ANSI escape codes', () => {
    expect(tableLines(['A'], [['b']]).join('\n')).not.toMatch(/\u001b/);
  });
});

describe('text helpers', () => {
  it('pads labels to 20 characters, as ksqlDB’s %-20s', () => {
    expect(labelLine('Name', 'PAGEVIEWS')).toBe('Name                 : PAGEVIEWS');
  });

  it('terminates every printed line', () => {
    expect(printed(['a', '', 'b'])).toBe('a\n\nb\n');
    expect(printed([])).toBe('');
  });

  it('sorts as Java’s String.compareTo: upper case before lower case', () => {
    expect(['b', 'B', 'a', 'A'].sort(byJavaString)).toEqual(['A', 'B', 'a', 'b']);
  });

  it('puts a statement on one line as ksqlDB’s getQuerySingleLine does', () => {
    expect(singleLine('SELECT *\nFROM T\r\nEMIT CHANGES;')).toBe('SELECT * FROM T EMIT CHANGES;');
  });
});
