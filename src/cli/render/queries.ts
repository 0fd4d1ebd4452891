/**
 * SHOW QUERIES (ksqlDB's QueriesTableBuilder) and SHOW QUERIES EXTENDED (its
 * query description, one per query, as EXPLAIN prints it).
 */
import type { QueryDescription, QuerySummary } from '../../engine/index.js';
import { fieldInfo, fieldType } from './schema-info.js';
import { labelLine, printed, singleLine, tableLines, type TableOptions } from './table.js';

const HEAD = ['Query ID', 'Query Type', 'Status', 'Sink Name', 'Sink Kafka Topic', 'Query String'];

export function renderQueryList(queries: readonly QuerySummary[], opts: TableOptions = {}): string {
  const rows = queries.map((q) => [q.id, q.queryType, q.state, q.sinks.join(','), q.sinkTopics.join(','), singleLine(q.sql)]);
  return printed([...tableLines(HEAD, rows, opts), 'For detailed information on a Query run: EXPLAIN <Query ID>;']);
}

export function renderQueryDescriptions(queries: readonly QuerySummary[]): string {
  const lines: string[] = [];
  for (const q of queries) {
    lines.push(labelLine('ID', q.id), labelLine('Query Type', q.queryType));
    if (q.sql.length > 0) lines.push(labelLine('SQL', q.sql));
    lines.push('');
    if (q.sinks.length > 0) {
      lines.push('', 'Sinks that this query writes to: ', '-'.repeat(35), ...q.sinks);
      lines.push('', 'For sink description please run: DESCRIBE [EXTENDED] <SinkId>');
    }
    // ksqlDB ends each description with its (here empty) error section, then a blank line.
    lines.push('', '');
  }
  return printed(lines);
}

/**
 * The one-word state ksqlDB shows beside a query in DESCRIBE EXTENDED, from
 * the per-host counts SHOW QUERIES shows ("RUNNING:1,ERROR:2" is ERROR).
 */
export function aggregateState(state: string): string {
  const counts = statusCount(state);
  if ((counts['ERROR'] ?? 0) > 0) return 'ERROR';
  const states = Object.keys(counts);
  return states.length === 1 ? (states[0] ?? state) : 'RUNNING';
}

/** "RUNNING:1,ERROR:2" as ksqlDB's JSON `statusCount` map; a bare state counts once. */
export function statusCount(state: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const part of state.split(',')) {
    const [name = '', count] = part.split(':');
    if (name.trim() === '') continue;
    counts[name.trim()] = count === undefined ? 1 : Number(count);
  }
  return counts;
}

/** ksqlDB's REST `RunningQuery`. */
export function runningQueryJson(q: QuerySummary): Record<string, unknown> {
  return {
    queryString: q.sql,
    sinks: [...q.sinks],
    sinkKafkaTopics: [...q.sinkTopics],
    id: q.id,
    statusCount: statusCount(q.state),
    queryType: q.queryType,
    state: aggregateState(q.state),
  };
}

export function queryListJson(queries: readonly QuerySummary[]): Record<string, unknown> {
  return { '@type': 'queries', queries: queries.map(runningQueryJson) };
}

/** ksqlDB's `query_descriptions` entity, with what a query summary holds. */
export function queryDescriptionsJson(queries: readonly QuerySummary[]): Record<string, unknown> {
  return {
    '@type': 'query_descriptions',
    queryDescriptions: queries.map((q) => ({
      id: q.id,
      statementText: q.sql,
      windowType: null,
      fields: [],
      sources: [],
      sinks: [...q.sinks],
      sinkKafkaTopics: [...q.sinkTopics],
      topology: '',
      executionPlan: '',
      overriddenProperties: {},
      ksqlHostQueryStatus: {},
      queryType: q.queryType,
      queryErrors: [],
      state: aggregateState(q.state),
    })),
  };
}

/** EXPLAIN: ksqlDB's Console.printQueryDescription. */
export function renderQueryDescription(d: QueryDescription, opts: TableOptions = {}): string {
  const lines: string[] = [];
  if (d.id !== '') lines.push(labelLine('ID', d.id));
  lines.push(labelLine('Query Type', d.queryType));
  lines.push(labelLine('SQL', singleLine(d.sql)));
  if (d.state !== undefined) lines.push(labelLine('Host Query Status', `{ksqlite=${d.state}}`));
  lines.push('');
  if (d.fields.length > 0) lines.push(...tableLines(['Field', 'Type'], d.fields.map((f) => [f.name, fieldType(f)]), opts));
  if (d.sources.length > 0) {
    lines.push('', 'Sources that this query reads from: ', '-'.repeat(35), ...d.sources);
    lines.push('', 'For source description please run: DESCRIBE [EXTENDED] <SourceId>');
  }
  if (d.sinks.length > 0) {
    lines.push('', 'Sinks that this query writes to: ', '-'.repeat(35), ...d.sinks);
    lines.push('', 'For sink description please run: DESCRIBE [EXTENDED] <SinkId>');
  }
  lines.push('', 'Execution plan      ', '--------------      ', d.executionPlan, '');
  return printed(lines);
}

/** ksqlDB's REST `queryDescription` entity. */
export function queryDescriptionJson(d: QueryDescription): Record<string, unknown> {
  return {
    '@type': 'queryDescription',
    statementText: d.sql,
    queryDescription: {
      id: d.id,
      statementText: d.sql,
      fields: d.fields.map(fieldInfo),
      sources: d.sources,
      sinks: d.sinks,
      executionPlan: d.executionPlan,
      queryType: d.queryType,
      ...(d.state !== undefined ? { state: d.state, ksqlHostQueryStatus: { ksqlite: d.state } } : {}),
    },
  };
}
