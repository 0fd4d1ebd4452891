import type { QuerySummary, SourceDescription } from '../../../src/engine/index.js';
import {
  errorStatisticsLine,
  javaInstant,
  renderSourceDescription,
  renderSourceDescriptions,
  sourceDescriptionJson,
  statisticsLine,
} from '../../../src/cli/render/describe.js';
import { fieldType } from '../../../src/cli/render/schema-info.js';

const query = (id: string, sql: string, state = 'RUNNING:1'): QuerySummary => ({
  id,
  queryType: 'PERSISTENT',
  state,
  sinks: ['SINK'],
  sinkTopics: ['sink'],
  sql,
});

// The source of ksqlDB's ConsoleTest.testPrintSourceDescription.
const testSource: SourceDescription = {
  name: 'TestSource',
  kind: 'TABLE',
  topic: 'kadka-topic',
  keyFormat: 'kafka',
  valueFormat: 'avro',
  windowed: false,
  isSource: false,
  fields: [
    { name: 'ROWKEY', type: 'VARCHAR(STRING)', role: 'PRIMARY KEY' },
    { name: 'f_0', type: 'BOOLEAN' },
    { name: 'f_1', type: 'INTEGER' },
    { name: 'f_2', type: 'BIGINT' },
    { name: 'f_3', type: 'DOUBLE' },
    { name: 'f_4', type: 'VARCHAR(STRING)' },
    { name: 'f_5', type: 'ARRAY<VARCHAR(STRING)>' },
    { name: 'f_6', type: 'MAP<STRING, BIGINT>' },
    { name: 'f_7', type: 'STRUCT<a DOUBLE>' },
  ],
  statement: 'sql statement',
  partitions: 1,
  replicas: 1,
  readQueries: [],
  writeQueries: [],
};

describe('DESCRIBE', () => {
  it('prints the name, the columns with their key marker, and the hint, as ksqlDB does', () => {
    expect(renderSourceDescription(testSource, false)).toBe(
      'Name                 : TestSource\n' +
        ' Field  | Type                           \n' +
        '-----------------------------------------\n' +
        ' ROWKEY | VARCHAR(STRING)  (primary key) \n' +
        ' f_0    | BOOLEAN                        \n' +
        ' f_1    | INTEGER                        \n' +
        ' f_2    | BIGINT                         \n' +
        ' f_3    | DOUBLE                         \n' +
        ' f_4    | VARCHAR(STRING)                \n' +
        ' f_5    | ARRAY<VARCHAR(STRING)>         \n' +
        ' f_6    | MAP<STRING, BIGINT>            \n' +
        ' f_7    | STRUCT<a DOUBLE>               \n' +
        '-----------------------------------------\n' +
        'For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;\n',
    );
  });

  it('marks a stream’s key (key), a windowed key with its window type, and header columns', () => {
    const windowed: SourceDescription = {
      ...testSource,
      name: 'PAGEVIEWS_PER_REGION',
      kind: 'STREAM',
      windowType: 'TUMBLING',
      fields: [
        { name: 'REGIONID', type: 'VARCHAR(STRING)', role: 'KEY' },
        { name: 'NUMUSERS', type: 'BIGINT' },
        { name: 'TRACE', type: 'BYTES', role: 'HEADER', headerKey: 'trace-id' },
        { name: 'ALL_HEADERS', type: 'ARRAY<STRUCT<KEY VARCHAR(STRING), VALUE BYTES>>', role: 'HEADERS' },
      ],
    };
    expect(renderSourceDescription(windowed, false)).toBe(
      'Name                 : PAGEVIEWS_PER_REGION\n' +
        ' Field       | Type                                                      \n' +
        '-------------------------------------------------------------------------\n' +
        ' REGIONID    | VARCHAR(STRING)  (key) (Window type: TUMBLING)            \n' +
        ' NUMUSERS    | BIGINT                                                    \n' +
        " TRACE       | BYTES            (header('trace-id'))                     \n" +
        ' ALL_HEADERS | ARRAY<STRUCT<KEY VARCHAR(STRING), VALUE BYTES>> (headers) \n' +
        '-------------------------------------------------------------------------\n' +
        'For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;\n',
    );
  });

  it('omits the column table of a source without columns, as ksqlDB does', () => {
    expect(renderSourceDescription({ ...testSource, fields: [] }, false)).toBe(
      'Name                 : TestSource\n' + 'For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;\n',
    );
  });
});

describe('DESCRIBE EXTENDED', () => {
  // The source of ksqlDB's ConsoleTest.shouldPrintTopicDescribeExtended.
  const extended: SourceDescription = {
    ...testSource,
    keyFormat: 'json',
    fields: [
      { name: 'ROWKEY', type: 'VARCHAR(STRING)', role: 'PRIMARY KEY' },
      { name: 'f_0', type: 'VARCHAR(STRING)' },
    ],
    timestampColumn: '2000-01-01',
    partitions: 2,
    replicas: 1,
    statement: 'sql statement text',
    readQueries: [query('readId', 'read query', 'RUNNING:1,ERROR:2')],
    writeQueries: [query('writeId', 'write query', 'RUNNING:1,ERROR:2')],
  };

  it('prints topic, formats, statement, columns, queries and statistics as ksqlDB does', () => {
    expect(renderSourceDescription(extended, true)).toBe(
      'Name                 : TestSource\n' +
        'Type                 : TABLE\n' +
        'Timestamp field      : 2000-01-01\n' +
        'Key format           : json\n' +
        'Value format         : avro\n' +
        'Kafka topic          : kadka-topic (partitions: 2, replication: 1)\n' +
        'Statement            : sql statement text\n' +
        '\n' +
        ' Field  | Type                           \n' +
        '-----------------------------------------\n' +
        ' ROWKEY | VARCHAR(STRING)  (primary key) \n' +
        ' f_0    | VARCHAR(STRING)                \n' +
        '-----------------------------------------\n' +
        '\n' +
        'Queries that read from this TABLE\n' +
        '-----------------------------------\n' +
        'readId (ERROR) : read query\n' +
        '\n' +
        'For query topology and execution plan please run: EXPLAIN <QueryId>\n' +
        '\n' +
        'Queries that write from this TABLE\n' +
        '-----------------------------------\n' +
        'writeId (ERROR) : write query\n' +
        '\n' +
        'For query topology and execution plan please run: EXPLAIN <QueryId>\n' +
        '\n' +
        'Local runtime statistics\n' +
        '------------------------\n' +
        '\n' +
        '\n' +
        '(Statistics of the local KSQL server interaction with the Kafka topic kadka-topic)\n',
    );
  });

  it('prints the running queries of the tutorial pipeline with their statistics', () => {
    const ratingsEnriched: SourceDescription = {
      name: 'RATINGS_ENRICHED',
      kind: 'STREAM',
      topic: 'ratings-with-customer-data',
      keyFormat: 'KAFKA',
      valueFormat: 'AVRO',
      windowed: false,
      isSource: false,
      fields: [
        { name: 'RATING_ID', type: 'BIGINT' },
        { name: 'STARS', type: 'INTEGER' },
      ],
      statement: "CREATE STREAM RATINGS_ENRICHED WITH (KAFKA_TOPIC='ratings-with-customer-data', PARTITIONS=1) AS\n  SELECT R.RATING_ID, R.STARS FROM RATINGS R;",
      partitions: 1,
      replicas: 1,
      readQueries: [
        query('CSAS_UNHAPPY_PLATINUM_CUSTOMERS_5', 'CREATE STREAM UNHAPPY_PLATINUM_CUSTOMERS AS\n  SELECT STARS FROM RATINGS_ENRICHED;'),
      ],
      writeQueries: [],
      statistics: {
        messagesPerSec: 2.37,
        totalMessages: 358,
        lastMessage: Date.UTC(2019, 10, 6, 14, 0, 30, 564),
        failedMessages: 0,
        failedMessagesPerSec: 0,
      },
    };
    expect(renderSourceDescription(ratingsEnriched, true)).toBe(
      'Name                 : RATINGS_ENRICHED\n' +
        'Type                 : STREAM\n' +
        'Timestamp field      : Not set - using <ROWTIME>\n' +
        'Key format           : KAFKA\n' +
        'Value format         : AVRO\n' +
        'Kafka topic          : ratings-with-customer-data (partitions: 1, replication: 1)\n' +
        "Statement            : CREATE STREAM RATINGS_ENRICHED WITH (KAFKA_TOPIC='ratings-with-customer-data', PARTITIONS=1) AS\n" +
        '  SELECT R.RATING_ID, R.STARS FROM RATINGS R;\n' +
        '\n' +
        ' Field     | Type    \n' +
        '---------------------\n' +
        ' RATING_ID | BIGINT  \n' +
        ' STARS     | INTEGER \n' +
        '---------------------\n' +
        '\n' +
        'Queries that read from this STREAM\n' +
        '-----------------------------------\n' +
        'CSAS_UNHAPPY_PLATINUM_CUSTOMERS_5 (RUNNING) : CREATE STREAM UNHAPPY_PLATINUM_CUSTOMERS AS   SELECT STARS FROM RATINGS_ENRICHED;\n' +
        '\n' +
        'For query topology and execution plan please run: EXPLAIN <QueryId>\n' +
        '\n' +
        'Local runtime statistics\n' +
        '------------------------\n' +
        'messages-per-sec:      2.37   total-messages:       358     last-message: 2019-11-06T14:00:30.564Z\n' +
        '\n' +
        '(Statistics of the local KSQL server interaction with the Kafka topic ratings-with-customer-data)\n',
    );
  });

  it('leaves the partition counts out when the topic’s metadata is unknown', () => {
    const out = renderSourceDescription({ ...extended, partitions: undefined, replicas: undefined }, true);
    expect(out).toContain('Kafka topic          : kadka-topic\n');
  });
});

describe('DESCRIBE STREAMS', () => {
  it('prints each description followed by a blank line', () => {
    const a = { ...testSource, name: 'A', fields: [{ name: 'X', type: 'INTEGER' }] };
    const b = { ...testSource, name: 'B', fields: [{ name: 'Y', type: 'DOUBLE' }] };
    expect(renderSourceDescriptions([a, b], false)).toBe(
      'Name                 : A\n' +
        ' Field | Type    \n' +
        '-----------------\n' +
        ' X     | INTEGER \n' +
        '-----------------\n' +
        'For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;\n' +
        '\n' +
        'Name                 : B\n' +
        ' Field | Type   \n' +
        '----------------\n' +
        ' Y     | DOUBLE \n' +
        '----------------\n' +
        'For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;\n' +
        '\n',
    );
  });
});

describe('runtime statistics', () => {
  it('formats whole numbers without decimals, as ksqlDB’s %10.0f', () => {
    expect(
      statisticsLine({
        messagesPerSec: 0,
        totalMessages: 1210214,
        lastMessage: Date.UTC(2021, 8, 27, 20, 34, 48, 584),
        failedMessages: 0,
        failedMessagesPerSec: 0,
      }),
    ).toBe('messages-per-sec:         0   total-messages:   1210214     last-message: 2021-09-27T20:34:48.584Z');
  });

  it('prints failures only once there were some', () => {
    const base = { messagesPerSec: 1, totalMessages: 10, failedMessages: 0, failedMessagesPerSec: 0 };
    expect(errorStatisticsLine(base)).toBe('');
    expect(errorStatisticsLine({ ...base, failedMessages: 2, failedMessagesPerSec: 0.5, lastFailed: Date.UTC(2019, 10, 6, 14, 0, 31, 500) })).toBe(
      ' failed-messages:         2 failed-messages-per-sec:      0.50      last-failed: 2019-11-06T14:00:31.5Z',
    );
  });

  it('prints nothing for a source no query has touched', () => {
    expect(statisticsLine(undefined)).toBe('');
    expect(statisticsLine({ messagesPerSec: 0, totalMessages: 0, failedMessages: 0, failedMessagesPerSec: 0 })).toBe('');
  });

  it('prints times as Java’s ISO_OFFSET_DATE_TIME in UTC', () => {
    expect(javaInstant(Date.UTC(2019, 11, 16, 12, 36, 23, 16))).toBe('2019-12-16T12:36:23.016Z');
    expect(javaInstant(Date.UTC(2019, 11, 16, 12, 36, 23, 10))).toBe('2019-12-16T12:36:23.01Z');
    expect(javaInstant(Date.UTC(2019, 11, 16, 12, 36, 0, 0))).toBe('2019-12-16T12:36:00Z');
    expect(javaInstant(undefined)).toBe('n/a');
  });
});

describe('fieldType', () => {
  it('pads the type to 16 before the marker, as ksqlDB’s %-16s', () => {
    expect(fieldType({ name: 'ID', type: 'INTEGER', role: 'KEY' })).toBe('INTEGER          (key)');
    expect(fieldType({ name: 'ID', type: 'ARRAY<VARCHAR(STRING)>', role: 'PRIMARY KEY' })).toBe('ARRAY<VARCHAR(STRING)> (primary key)');
    expect(fieldType({ name: 'V', type: 'DOUBLE' })).toBe('DOUBLE');
  });
});

describe('sourceDescriptionJson', () => {
  it('has the shape of ksqlDB’s SourceDescription entity', () => {
    const json = sourceDescriptionJson(
      { ...testSource, fields: [testSource.fields[0]!, { name: 'f_6', type: 'MAP<STRING, BIGINT>' }], readQueries: [query('Q1', 'x')] },
      true,
    );
    expect(json).toEqual({
      name: 'TestSource',
      windowType: null,
      readQueries: [
        { queryString: 'x', sinks: ['SINK'], sinkKafkaTopics: ['sink'], id: 'Q1', statusCount: { RUNNING: 1 }, queryType: 'PERSISTENT', state: 'RUNNING' },
      ],
      writeQueries: [],
      fields: [
        { name: 'ROWKEY', schema: { type: 'STRING', fields: null, memberSchema: null }, type: 'KEY' },
        { name: 'f_6', schema: { type: 'MAP', fields: null, memberSchema: { type: 'BIGINT', fields: null, memberSchema: null } } },
      ],
      type: 'TABLE',
      timestamp: '',
      statistics: '',
      errorStats: '',
      extended: true,
      keyFormat: 'kafka',
      valueFormat: 'avro',
      topic: 'kadka-topic',
      partitions: 1,
      replication: 1,
      statement: 'sql statement',
      queryOffsetSummaries: [],
      sourceConstraints: [],
    });
  });
});
