import type { StatementResult, StatementResultType } from '../../../src/engine/index.js';

type StaticType = Exclude<StatementResultType, 'rows' | 'print'>;
import { renderError, renderErrorJson, renderJson, renderTabular, type StaticResult } from '../../../src/cli/render/index.js';

const query = { id: 'CSAS_A_0', queryType: 'PERSISTENT', state: 'RUNNING:1', sinks: ['A'], sinkTopics: ['a'], sql: 'CREATE STREAM A AS SELECT * FROM S;' } as const;
const source = { name: 'PAGEVIEWS', kind: 'STREAM', topic: 'pageviews', keyFormat: 'KAFKA', valueFormat: 'JSON', windowed: false, isSource: false } as const;
const description = {
  ...source,
  fields: [{ name: 'VIEWTIME', type: 'BIGINT' }],
  statement: "CREATE STREAM PAGEVIEWS (VIEWTIME BIGINT) WITH (KAFKA_TOPIC='pageviews', VALUE_FORMAT='JSON');",
  readQueries: [query],
  writeQueries: [],
  statistics: { messagesPerSec: 0.5, totalMessages: 10, lastMessage: 1_600_000_000_000, failedMessages: 1, failedMessagesPerSec: 0, lastFailed: 1_600_000_000_500 },
} as const;

/** One result of every kind: a kind added to the engine without a fixture here does not compile. */
const EXAMPLES: { readonly [K in StaticType]: Extract<StatementResult, { type: K }> } = {
  message: { type: 'message', message: 'Created query with ID CSAS_A_0', queryId: 'CSAS_A_0' },
  propertyChanged: { type: 'propertyChanged', name: 'auto.offset.reset', newValue: 'earliest' },
  variableChanged: { type: 'variableChanged', name: 'format', value: 'AVRO' },
  sources: { type: 'sources', kind: 'STREAM', extended: false, sources: [source] },
  sourceDescription: { type: 'sourceDescription', extended: true, description },
  sourceDescriptions: { type: 'sourceDescriptions', extended: false, descriptions: [description] },
  queries: { type: 'queries', extended: false, queries: [query] },
  queryDescription: {
    type: 'queryDescription',
    description: {
      id: 'CSAS_A_0',
      queryType: 'PERSISTENT',
      sql: 'CREATE STREAM A AS SELECT * FROM S;',
      state: 'RUNNING',
      fields: [{ name: 'ID', type: 'INTEGER', role: 'KEY' }, { name: 'V', type: 'VARCHAR(STRING)' }],
      sources: ['S'],
      sinks: ['A'],
      executionPlan: ' > [ SINK ] | Schema: ID INTEGER KEY, V STRING | Logger: CSAS_A_0.A',
    },
  },
  properties: { type: 'properties', properties: [{ name: 'auto.offset.reset', scope: 'CONSUMER', level: 'SESSION', defaultOverride: 'earliest', value: 'earliest' }] },
  topics: { type: 'topics', extended: true, topics: [{ name: 'pageviews', partitions: 1, replicas: 1, consumers: 1, consumerGroups: 1 }] },
  types: { type: 'types', types: [{ name: 'ADDRESS', schema: 'STRUCT<STREET VARCHAR(STRING)>' }] },
  variables: { type: 'variables', variables: [{ name: 'format', value: 'AVRO' }] },
  functions: { type: 'functions', functions: [{ name: 'ABS', category: 'MATHEMATICAL', type: 'SCALAR' }] },
  functionDescription: {
    type: 'functionDescription',
    description: { name: 'abs', type: 'SCALAR', description: 'Absolute value.', author: 'Confluent', version: '', variants: [{ signature: 'x DOUBLE', returns: 'DOUBLE', description: '' }] },
  },
};
const ALL = Object.values(EXAMPLES) as StaticResult[];

describe('renderTabular', () => {
  it('prints SHOW STREAMS as a ksqlDB session shows it, after a blank line', () => {
    expect(renderTabular(EXAMPLES.sources)).toBe(
      '\n' +
        ' Stream Name | Kafka Topic | Key Format | Value Format | Windowed \n' +
        '------------------------------------------------------------------\n' +
        ' PAGEVIEWS   | pageviews   | KAFKA      | JSON         | false    \n' +
        '------------------------------------------------------------------\n',
    );
  });

  it('prints the Message table of a persistent query', () => {
    expect(renderTabular(EXAMPLES.message)).toBe(
      '\n' +
        ' Message                        \n' +
        '--------------------------------\n' +
        ' Created query with ID CSAS_A_0 \n' +
        '--------------------------------\n',
    );
  });

  it('prints DESCRIBE EXTENDED with its statistics', () => {
    expect(renderTabular(EXAMPLES.sourceDescription)).toBe(
      '\n' +
        'Name                 : PAGEVIEWS\n' +
        'Type                 : STREAM\n' +
        'Timestamp field      : Not set - using <ROWTIME>\n' +
        'Key format           : KAFKA\n' +
        'Value format         : JSON\n' +
        'Kafka topic          : pageviews\n' +
        "Statement            : CREATE STREAM PAGEVIEWS (VIEWTIME BIGINT) WITH (KAFKA_TOPIC='pageviews', VALUE_FORMAT='JSON');\n" +
        '\n' +
        ' Field    | Type   \n' +
        '-------------------\n' +
        ' VIEWTIME | BIGINT \n' +
        '-------------------\n' +
        '\n' +
        'Queries that read from this STREAM\n' +
        '-----------------------------------\n' +
        'CSAS_A_0 (RUNNING) : CREATE STREAM A AS SELECT * FROM S;\n' +
        '\n' +
        'For query topology and execution plan please run: EXPLAIN <QueryId>\n' +
        '\n' +
        'Local runtime statistics\n' +
        '------------------------\n' +
        'messages-per-sec:      0.50   total-messages:        10     last-message: 2020-09-13T12:26:40Z\n' +
        ' failed-messages:         1 failed-messages-per-sec:         0      last-failed: 2020-09-13T12:26:40.5Z\n' +
        '(Statistics of the local KSQL server interaction with the Kafka topic pageviews)\n',
    );
  });

  it('prints SET as one line without the blank line, and DEFINE as nothing, as ksqlDB’s CLI', () => {
    expect(renderTabular(EXAMPLES.propertyChanged)).toBe(
      "Successfully changed local property 'auto.offset.reset' to 'earliest'. Use the UNSET command to revert your change.\n",
    );
    expect(renderTabular(EXAMPLES.variableChanged)).toBe('');
  });

  it('cuts table rules to the terminal width', () => {
    expect(renderTabular(EXAMPLES.sources, { width: 20 })).toBe(
      '\n' +
        ' Stream Name | Kafka Topic | Key Format | Value Format | Windowed \n' +
        '--------------------\n' +
        ' PAGEVIEWS   | pageviews   | KAFKA      | JSON         | false    \n' +
        '--------------------\n',
    );
  });

  it.each(ALL.map((r) => [r.type, r] as const))('renders %s without ANSI codes, every line terminated', (_type, result) => {
    const out = renderTabular(result);
    expect(out).not.toMatch(/\u001b\[/);
    if (out !== '') expect(out.endsWith('\n')).toBe(true);
  });
});

describe('renderJson', () => {
  it.each(ALL.map((r) => [r.type, r] as const))('renders %s as JSON that parses back to a typed entity', (_type, result) => {
    const parsed = JSON.parse(renderJson(result)) as Record<string, unknown>;
    expect(typeof parsed['@type']).toBe('string');
    expect(parsed['warnings']).toEqual([]);
    // Rendering is stable: the same result gives the same text.
    expect(renderJson(result)).toBe(renderJson(result));
  });

  it('renders SHOW STREAMS as ksqlDB’s streams entity', () => {
    expect(JSON.parse(renderJson(EXAMPLES.sources, { statementText: 'SHOW STREAMS;' }))).toEqual({
      '@type': 'streams',
      streams: [{ type: 'STREAM', name: 'PAGEVIEWS', topic: 'pageviews', keyFormat: 'KAFKA', valueFormat: 'JSON', isWindowed: false }],
      statementText: 'SHOW STREAMS;',
      warnings: [],
    });
  });

  it('carries the formatted statistics of DESCRIBE EXTENDED as ksqlDB does', () => {
    const parsed = JSON.parse(renderJson(EXAMPLES.sourceDescription)) as { '@type': string; sourceDescription: Record<string, unknown> };
    expect(parsed['@type']).toBe('sourceDescription');
    expect(parsed.sourceDescription['statistics']).toBe(
      'messages-per-sec:      0.50   total-messages:        10     last-message: 2020-09-13T12:26:40Z',
    );
    expect(parsed.sourceDescription['extended']).toBe(true);
  });

  it('names each kind as ksqlDB’s REST API does', () => {
    const types = ALL.map((r) => (JSON.parse(renderJson(r)) as { '@type': string })['@type']);
    expect(types).toEqual([
      'currentStatus',
      'property_set',
      'variable_defined',
      'streams',
      'sourceDescription',
      'source_descriptions',
      'queries',
      'queryDescription',
      'properties',
      'kafka_topics_extended',
      'type_list',
      'variables',
      'function_names',
      'describe_function',
    ]);
  });
});

describe('EXPLAIN', () => {
  it('prints the query description with its execution plan, as ksqlDB does', () => {
    expect(renderTabular(EXAMPLES.queryDescription)).toBe(
      [
        '',
        'ID                   : CSAS_A_0',
        'Query Type           : PERSISTENT',
        'SQL                  : CREATE STREAM A AS SELECT * FROM S;',
        'Host Query Status    : {ksqlite=RUNNING}',
        '',
        ' Field | Type                   ',
        '--------------------------------',
        ' ID    | INTEGER          (key) ',
        ' V     | VARCHAR(STRING)        ',
        '--------------------------------',
        '',
        'Sources that this query reads from: ',
        '-----------------------------------',
        'S',
        '',
        'For source description please run: DESCRIBE [EXTENDED] <SourceId>',
        '',
        'Sinks that this query writes to: ',
        '-----------------------------------',
        'A',
        '',
        'For sink description please run: DESCRIBE [EXTENDED] <SinkId>',
        '',
        'Execution plan      ',
        '--------------      ',
        ' > [ SINK ] | Schema: ID INTEGER KEY, V STRING | Logger: CSAS_A_0.A',
        '',
        '',
      ].join('\n'),
    );
  });
});

describe('errors', () => {
  it('renders a StatementError compiler style', () => {
    expect(renderError({ message: 'Syntax Error', statementIndex: 1, line: 1, col: 8, statementText: 'SELEC * FROM T', sourceLine: 'SELEC * FROM T;' })).toBe(
      'Error in statement 1 (line 1): Syntax Error\nSELEC * FROM T\n       ^\n',
    );
  });

  it('renders an error as JSON that parses', () => {
    expect(JSON.parse(renderErrorJson({ message: 'boom' }))).toEqual({
      '@type': 'statement_error',
      error_code: 40001,
      message: 'boom',
      statementText: null,
      entities: [],
      statementIndex: null,
      line: null,
      col: null,
    });
  });
});
