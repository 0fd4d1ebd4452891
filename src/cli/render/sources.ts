/** SHOW STREAMS / SHOW TABLES: ksqlDB's StreamsListTableBuilder and TablesListTableBuilder. */
import type { SourceSummary } from '../../engine/index.js';
import { byJavaString, printed, tableLines, type TableOptions } from './table.js';

export function renderSourceList(
  kind: 'STREAM' | 'TABLE',
  sources: readonly SourceSummary[],
  opts: TableOptions = {},
): string {
  const head = [kind === 'STREAM' ? 'Stream Name' : 'Table Name', 'Kafka Topic', 'Key Format', 'Value Format', 'Windowed'];
  const rows = [...sources]
    .sort((a, b) => byJavaString(a.name, b.name))
    .map((s) => [s.name, s.topic, s.keyFormat, s.valueFormat, String(s.windowed)]);
  return printed(tableLines(head, rows, opts));
}

/** The REST entity `{"@type":"streams","streams":[...]}` (or `tables`). */
export function sourceListJson(kind: 'STREAM' | 'TABLE', sources: readonly SourceSummary[]): Record<string, unknown> {
  const key = kind === 'STREAM' ? 'streams' : 'tables';
  return {
    '@type': key,
    [key]: sources.map((s) => ({
      type: s.kind,
      name: s.name,
      topic: s.topic,
      keyFormat: s.keyFormat,
      valueFormat: s.valueFormat,
      isWindowed: s.windowed,
    })),
  };
}
