/**
 * DESCRIBE [EXTENDED] and DESCRIBE STREAMS/TABLES [EXTENDED]: ksqlDB's
 * Console.printSourceDescription, line for line.
 */
import type { FieldInfo, QuerySummary, SourceDescription, SourceStatistics } from '../../engine/index.js';
import { aggregateState, runningQueryJson } from './queries.js';
import { fieldInfo, fieldType } from './schema-info.js';
import { labelLine, printed, singleLine, tableLines, type TableOptions } from './table.js';

export function renderSourceDescription(d: SourceDescription, extended: boolean, opts: TableOptions = {}): string {
  return printed(descriptionLines(d, extended, opts));
}

/** Each description followed by a blank line, as ksqlDB prints a description list. */
export function renderSourceDescriptions(
  descriptions: readonly SourceDescription[],
  extended: boolean,
  opts: TableOptions = {},
): string {
  return printed(descriptions.flatMap((d) => [...descriptionLines(d, extended, opts), '']));
}

function descriptionLines(d: SourceDescription, extended: boolean, opts: TableOptions): string[] {
  const lines = [labelLine('Name', d.name)];
  if (!extended) {
    lines.push(...schemaLines(d, opts));
    lines.push('For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;');
    return lines;
  }
  lines.push(labelLine('Type', d.kind));
  lines.push(labelLine('Timestamp field', d.timestampColumn ?? 'Not set - using <ROWTIME>'));
  lines.push(labelLine('Key format', d.keyFormat));
  lines.push(labelLine('Value format', d.valueFormat));
  if (d.topic !== '') {
    // Without the topic's metadata ksqlDB leaves the partition counts out.
    const counts = d.partitions ? ` (partitions: ${d.partitions}, replication: ${d.replicas ?? 0})` : '';
    lines.push(labelLine('Kafka topic', d.topic) + counts);
  }
  lines.push(labelLine('Statement', d.statement));
  lines.push('');
  lines.push(...schemaLines(d, opts));
  lines.push(...queryLines(d.readQueries, d.kind, 'read'));
  lines.push(...queryLines(d.writeQueries, d.kind, 'write'));
  lines.push('', 'Local runtime statistics', '------------------------');
  lines.push(statisticsLine(d.statistics), errorStatisticsLine(d.statistics));
  lines.push(`(Statistics of the local KSQL server interaction with the Kafka topic ${d.topic})`);
  return lines;
}

function schemaLines(d: SourceDescription, opts: TableOptions): string[] {
  if (d.fields.length === 0) return [];
  return tableLines(['Field', 'Type'], d.fields.map((f) => [f.name, fieldType(f, d.windowType)]), opts);
}

// "write from" is ksqlDB's own wording.
function queryLines(queries: readonly QuerySummary[], kind: string, operation: 'read' | 'write'): string[] {
  if (queries.length === 0) return [];
  return [
    '',
    `Queries that ${operation} from this ${kind}`,
    '-'.repeat(35),
    ...queries.map((q) => `${q.id} (${aggregateState(q.state)}) : ${singleLine(q.sql)}`),
    '',
    'For query topology and execution plan please run: EXPLAIN <QueryId>',
  ];
}

/**
 * ksqlDB's MetricCollectors.format: `%16s:%10.0f` per stat (`%10.2f` when not
 * whole), then the time of the last event. A source nothing has read or written
 * has no statistics, and ksqlDB prints an empty line for them.
 */
export function statisticsLine(s: SourceStatistics | undefined): string {
  if (s === undefined || (s.totalMessages === 0 && s.lastMessage === undefined)) return '';
  return formatStats(
    [
      ['messages-per-sec', s.messagesPerSec],
      ['total-messages', s.totalMessages],
    ],
    'last-message',
    s.lastMessage,
  );
}

export function errorStatisticsLine(s: SourceStatistics | undefined): string {
  if (s === undefined || (s.failedMessages === 0 && s.lastFailed === undefined)) return '';
  return formatStats(
    [
      ['failed-messages', s.failedMessages],
      ['failed-messages-per-sec', s.failedMessagesPerSec],
    ],
    'last-failed',
    s.lastFailed,
  );
}

function formatStats(stats: readonly (readonly [string, number])[], lastLabel: string, last: number | undefined): string {
  const values = stats.map(([name, value]) => `${name.padStart(16)}:${formatStatValue(value).padStart(10)} `).join('');
  return `${values}${lastLabel.padStart(16)}: ${javaInstant(last).padStart(9)}`;
}

function formatStatValue(value: number): string {
  return value === Math.round(value) ? value.toFixed(0) : value.toFixed(2);
}

/**
 * Java's ISO_OFFSET_DATE_TIME in UTC, as ksqlDB prints event times: the
 * fraction of a second loses its trailing zeros, and disappears when zero.
 * No time is "n/a".
 */
export function javaInstant(epochMillis: number | undefined): string {
  if (epochMillis === undefined || epochMillis === 0) return 'n/a';
  const iso = new Date(epochMillis).toISOString();
  return iso.replace(/\.(\d{3})Z$/, (_match, fraction: string) => {
    const digits = fraction.replace(/0+$/, '');
    return digits === '' ? 'Z' : `.${digits}Z`;
  });
}

/** ksqlDB's REST `SourceDescription`. */
export function sourceDescriptionJson(d: SourceDescription, extended: boolean): Record<string, unknown> {
  return {
    name: d.name,
    windowType: d.windowType ?? null,
    readQueries: d.readQueries.map(runningQueryJson),
    writeQueries: d.writeQueries.map(runningQueryJson),
    fields: d.fields.map(fieldInfo),
    type: d.kind,
    timestamp: d.timestampColumn ?? '',
    statistics: extended ? statisticsLine(d.statistics) : '',
    errorStats: extended ? errorStatisticsLine(d.statistics) : '',
    extended,
    keyFormat: d.keyFormat,
    valueFormat: d.valueFormat,
    topic: d.topic,
    partitions: d.partitions ?? 0,
    replication: d.replicas ?? 0,
    statement: d.statement,
    queryOffsetSummaries: [],
    sourceConstraints: [],
  };
}
