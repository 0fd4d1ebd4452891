import type { SourceSummary } from '../../../src/engine/index.js';
import { renderSourceList, sourceListJson } from '../../../src/cli/render/sources.js';

const source = (over: Partial<SourceSummary> & Pick<SourceSummary, 'name'>): SourceSummary => ({
  kind: 'STREAM',
  topic: over.name.toLowerCase(),
  keyFormat: 'KAFKA',
  valueFormat: 'JSON',
  windowed: false,
  isSource: false,
  ...over,
});

describe('SHOW STREAMS', () => {
  it('lists streams sorted by name, as ksqlDB’s StreamsListTableBuilder', () => {
    // ksqlDB's ConsoleTest.shouldPrintStreamsList, verbatim.
    const out = renderSourceList('STREAM', [
      source({ name: 'B', topic: 't2', keyFormat: 'KAFKA', valueFormat: 'AVRO', windowed: false }),
      source({ name: 'A', topic: 't1', keyFormat: 'JSON', valueFormat: 'JSON', windowed: true }),
    ]);
    expect(out).toBe(
      ' Stream Name | Kafka Topic | Key Format | Value Format | Windowed \n' +
        '------------------------------------------------------------------\n' +
        ' A           | t1          | JSON       | JSON         | true     \n' +
        ' B           | t2          | KAFKA      | AVRO         | false    \n' +
        '------------------------------------------------------------------\n',
    );
  });

  it('prints the header and both rules when there are no streams', () => {
    expect(renderSourceList('STREAM', [])).toBe(
      ' Stream Name | Kafka Topic | Key Format | Value Format | Windowed \n' +
        '------------------------------------------------------------------\n' +
        '------------------------------------------------------------------\n',
    );
  });
});

describe('SHOW TABLES', () => {
  it('lists tables under " Table Name ", as ksqlDB’s TablesListTableBuilder', () => {
    // ksqlDB's ConsoleTest.shouldPrintTablesList, verbatim.
    const out = renderSourceList('TABLE', [
      source({ name: 'B', kind: 'TABLE', topic: 't2', keyFormat: 'JSON', valueFormat: 'JSON', windowed: true }),
      source({ name: 'A', kind: 'TABLE', topic: 't1', keyFormat: 'KAFKA', valueFormat: 'AVRO', windowed: false }),
    ]);
    expect(out).toBe(
      ' Table Name | Kafka Topic | Key Format | Value Format | Windowed \n' +
        '-----------------------------------------------------------------\n' +
        ' A          | t1          | KAFKA      | AVRO         | false    \n' +
        ' B          | t2          | JSON       | JSON         | true     \n' +
        '-----------------------------------------------------------------\n',
    );
  });
});

describe('sourceListJson', () => {
  it('has the shape of ksqlDB’s StreamsList entity', () => {
    expect(sourceListJson('STREAM', [source({ name: 'PAGEVIEWS', topic: 'pageviews' })])).toEqual({
      '@type': 'streams',
      streams: [{ type: 'STREAM', name: 'PAGEVIEWS', topic: 'pageviews', keyFormat: 'KAFKA', valueFormat: 'JSON', isWindowed: false }],
    });
  });

  it('has the shape of ksqlDB’s TablesList entity', () => {
    expect(sourceListJson('TABLE', [source({ name: 'USERS', kind: 'TABLE', topic: 'users', windowed: true })])).toEqual({
      '@type': 'tables',
      tables: [{ type: 'TABLE', name: 'USERS', topic: 'users', keyFormat: 'KAFKA', valueFormat: 'JSON', isWindowed: true }],
    });
  });
});
