/** Builds DESCRIBE / SHOW results from the metastore's sources. */
import type { DataSource } from '../planner/metastore.js';
import type { SqlType } from '../schema/index.js';
import type { FieldInfo, QuerySummary, SourceDescription, SourceStatistics, SourceSummary } from './results.js';

/** A type as ksqlDB's CLI shows it in DESCRIBE: STRING as VARCHAR(STRING), map keys as STRING. */
export function displayType(t: SqlType): string {
  switch (t.kind) {
    case 'STRING':
      return 'VARCHAR(STRING)';
    case 'DECIMAL':
      return `DECIMAL(${t.precision}, ${t.scale})`;
    case 'ARRAY':
      return `ARRAY<${displayType(t.item)}>`;
    case 'MAP':
      return `MAP<STRING, ${displayType(t.value)}>`;
    case 'STRUCT':
      return `STRUCT<${t.fields.map((f) => `${f.name} ${displayType(f.type)}`).join(', ')}>`;
    default:
      return t.kind;
  }
}

export function summarizeSource(source: DataSource): SourceSummary {
  return {
    name: source.name,
    kind: source.kind,
    topic: source.topic,
    keyFormat: source.keyFormat.format,
    valueFormat: source.valueFormat.format,
    windowed: source.window !== undefined,
    isSource: source.isSource,
  };
}

export function sourceFields(source: DataSource): FieldInfo[] {
  return source.schema.columns().map((c): FieldInfo => {
    const type = displayType(c.type);
    if (c.namespace === 'KEY') return { name: c.name, type, role: source.kind === 'TABLE' ? 'PRIMARY KEY' : 'KEY' };
    if (c.namespace === 'HEADERS') {
      return c.headerKey === undefined ? { name: c.name, type, role: 'HEADERS' } : { name: c.name, type, role: 'HEADER', headerKey: c.headerKey };
    }
    return { name: c.name, type };
  });
}

export interface DescribeExtras {
  readonly partitions?: number | undefined;
  readonly replicas?: number | undefined;
  readonly readQueries: readonly QuerySummary[];
  readonly writeQueries: readonly QuerySummary[];
  readonly statistics?: SourceStatistics;
}

export function describeSource(source: DataSource, extras: DescribeExtras): SourceDescription {
  return {
    ...summarizeSource(source),
    fields: sourceFields(source),
    statement: source.sql,
    ...(source.timestamp ? { timestampColumn: source.timestamp.column } : {}),
    ...(source.window ? { windowType: source.window.type } : {}),
    ...(extras.partitions !== undefined ? { partitions: extras.partitions } : {}),
    ...(extras.replicas !== undefined ? { replicas: extras.replicas } : {}),
    readQueries: extras.readQueries,
    writeQueries: extras.writeQueries,
    ...(extras.statistics ? { statistics: extras.statistics } : {}),
  };
}
