/** The persistent queries of an engine: ids as ksqlDB names them, SHOW QUERIES rows, statistics. */
import type { MetaStore } from '../planner/metastore.js';
import type { PersistentQuery } from '../runtime/index.js';
import type { QuerySummary, SourceStatistics } from './results.js';

/** CSAS_OUTPUT_0, CTAS_TOTALS_3, INSERTQUERY_5. */
export function queryIdFor(kind: 'CSAS' | 'CTAS' | 'INSERTQUERY', sink: string, n: number): string {
  return kind === 'INSERTQUERY' ? `INSERTQUERY_${n}` : `${kind}_${sink.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}_${n}`;
}

export class QueryRegistry {
  private readonly queries = new Map<string, PersistentQuery>();
  private counter = 0;

  nextNumber(): number {
    return this.counter++;
  }

  /** Numbers below n are taken (by queries restored from the command log). */
  advanceTo(n: number): void {
    if (n > this.counter) this.counter = n;
  }

  add(q: PersistentQuery): void {
    this.queries.set(q.id, q);
  }

  get(id: string): PersistentQuery | undefined {
    return this.queries.get(id);
  }

  remove(id: string): void {
    this.queries.delete(id);
  }

  all(): PersistentQuery[] {
    return [...this.queries.values()];
  }

  summary(q: PersistentQuery): QuerySummary {
    const sink = q.plan.sink;
    return {
      id: q.id,
      queryType: 'PERSISTENT',
      state: `${q.state}:1`,
      sinks: sink ? [sink.source.name] : [],
      sinkTopics: sink ? [sink.topic] : [],
      sql: q.sql,
    };
  }

  /** DESCRIBE EXTENDED's runtime statistics for a source: what queries wrote into it and failed reading it. */
  statistics(source: string, metastore: MetaStore): SourceStatistics | undefined {
    const writers = metastore.writersOf(source).map((id) => this.queries.get(id)).filter((q): q is PersistentQuery => !!q);
    const readers = metastore.readersOf(source).map((id) => this.queries.get(id)).filter((q): q is PersistentQuery => !!q);
    if (writers.length === 0 && readers.length === 0) return undefined;
    const now = Date.now();
    const total = writers.reduce((n, q) => n + q.metrics.messagesOut, 0);
    const failed = readers.reduce((n, q) => n + q.metrics.failed, 0);
    const since = Math.min(...[...writers, ...readers].map((q) => q.metrics.startedAt));
    const seconds = Math.max(1, (now - since) / 1000);
    const last = Math.max(0, ...writers.map((q) => q.metrics.lastMessageAt ?? 0));
    const lastFailed = Math.max(0, ...readers.map((q) => q.metrics.lastFailedAt ?? 0));
    return {
      messagesPerSec: total / seconds,
      totalMessages: total,
      ...(last > 0 ? { lastMessage: last } : {}),
      failedMessages: failed,
      failedMessagesPerSec: failed / seconds,
      ...(lastFailed > 0 ? { lastFailed } : {}),
    };
  }
}
