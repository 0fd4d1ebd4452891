import type { QuerySummary } from '../../../src/engine/index.js';
import {
  aggregateState,
  queryDescriptionsJson,
  queryListJson,
  renderQueryDescriptions,
  renderQueryList,
  statusCount,
} from '../../../src/cli/render/queries.js';

describe('SHOW QUERIES', () => {
  it('lists queries as ksqlDB’s QueriesTableBuilder, with the EXPLAIN hint', () => {
    // ksqlDB's ConsoleTest.testPrintQueries, verbatim: its terminal is 100 wide, so the rules stop there.
    const q: QuerySummary = {
      id: '0',
      queryType: 'PUSH',
      state: 'RUNNING:1,ERROR:2',
      sinks: ['Test'],
      sinkTopics: ['Test topic'],
      sql: 'select * from t1 emit changes',
    };
    expect(renderQueryList([q], { width: 100 })).toBe(
      ' Query ID | Query Type | Status            | Sink Name | Sink Kafka Topic | Query String                  \n' +
        '----------------------------------------------------------------------------------------------------\n' +
        ' 0        | PUSH       | RUNNING:1,ERROR:2 | Test      | Test topic       | select * from t1 emit changes \n' +
        '----------------------------------------------------------------------------------------------------\n' +
        'For detailed information on a Query run: EXPLAIN <Query ID>;\n',
    );
  });

  it('keeps the engine’s order and puts each statement on one line', () => {
    const out = renderQueryList([
      { id: 'CSAS_B_1', queryType: 'PERSISTENT', state: 'RUNNING:1', sinks: ['B'], sinkTopics: ['B'], sql: 'CREATE STREAM B AS\nSELECT * FROM A;' },
      { id: 'CSAS_A_0', queryType: 'PERSISTENT', state: 'RUNNING:1', sinks: ['A'], sinkTopics: ['a'], sql: 'CREATE STREAM A AS SELECT * FROM S;' },
    ]);
    expect(out).toBe(
      ' Query ID | Query Type | Status    | Sink Name | Sink Kafka Topic | Query String                        \n' +
        '--------------------------------------------------------------------------------------------------------\n' +
        ' CSAS_B_1 | PERSISTENT | RUNNING:1 | B         | B                | CREATE STREAM B AS SELECT * FROM A; \n' +
        ' CSAS_A_0 | PERSISTENT | RUNNING:1 | A         | a                | CREATE STREAM A AS SELECT * FROM S; \n' +
        '--------------------------------------------------------------------------------------------------------\n' +
        'For detailed information on a Query run: EXPLAIN <Query ID>;\n',
    );
  });

  it('prints an empty list with both rules and the hint', () => {
    expect(renderQueryList([])).toBe(
      ' Query ID | Query Type | Status | Sink Name | Sink Kafka Topic | Query String \n' +
        '------------------------------------------------------------------------------\n' +
        '------------------------------------------------------------------------------\n' +
        'For detailed information on a Query run: EXPLAIN <Query ID>;\n',
    );
  });
});

describe('SHOW QUERIES EXTENDED', () => {
  it('prints each query as ksqlDB’s query description', () => {
    const out = renderQueryDescriptions([
      { id: 'CSAS_A_0', queryType: 'PERSISTENT', state: 'RUNNING:1', sinks: ['A'], sinkTopics: ['a'], sql: 'CREATE STREAM A AS SELECT * FROM S;' },
    ]);
    expect(out).toBe(
      'ID                   : CSAS_A_0\n' +
        'Query Type           : PERSISTENT\n' +
        'SQL                  : CREATE STREAM A AS SELECT * FROM S;\n' +
        '\n' +
        '\n' +
        'Sinks that this query writes to: \n' +
        '-----------------------------------\n' +
        'A\n' +
        '\n' +
        'For sink description please run: DESCRIBE [EXTENDED] <SinkId>\n' +
        '\n' +
        '\n',
    );
  });
});

describe('query states', () => {
  it('aggregates per-host counts as ksqlDB’s QueryStatusCount: any ERROR wins', () => {
    expect(aggregateState('RUNNING:1,ERROR:2')).toBe('ERROR');
    expect(aggregateState('RUNNING:1')).toBe('RUNNING');
    expect(aggregateState('PAUSED:1')).toBe('PAUSED');
    expect(aggregateState('RUNNING')).toBe('RUNNING');
  });

  it('reads the counts back into ksqlDB’s statusCount map', () => {
    expect(statusCount('RUNNING:1,ERROR:2')).toEqual({ RUNNING: 1, ERROR: 2 });
    expect(statusCount('PAUSED')).toEqual({ PAUSED: 1 });
  });
});

describe('JSON', () => {
  const q: QuerySummary = { id: 'CSAS_A_0', queryType: 'PERSISTENT', state: 'RUNNING:1', sinks: ['A'], sinkTopics: ['a'], sql: 'CREATE STREAM A AS SELECT * FROM S;' };

  it('has the shape of ksqlDB’s Queries entity', () => {
    expect(queryListJson([q])).toEqual({
      '@type': 'queries',
      queries: [
        {
          queryString: 'CREATE STREAM A AS SELECT * FROM S;',
          sinks: ['A'],
          sinkKafkaTopics: ['a'],
          id: 'CSAS_A_0',
          statusCount: { RUNNING: 1 },
          queryType: 'PERSISTENT',
          state: 'RUNNING',
        },
      ],
    });
  });

  it('describes queries as ksqlDB’s query_descriptions entity', () => {
    const json = queryDescriptionsJson([q]);
    expect(json['@type']).toBe('query_descriptions');
    expect(json['queryDescriptions']).toEqual([
      expect.objectContaining({ id: 'CSAS_A_0', statementText: q.sql, sinks: ['A'], queryType: 'PERSISTENT', state: 'RUNNING' }),
    ]);
  });
});
