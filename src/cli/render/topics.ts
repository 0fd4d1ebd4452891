/** SHOW TOPICS [EXTENDED]: ksqlDB's KafkaTopicsListTableBuilder (Simple and Extended). */
import type { TopicInfo } from '../../engine/index.js';
import { byJavaString, printed, tableLines, type TableOptions } from './table.js';

export function renderTopics(topics: readonly TopicInfo[], extended: boolean, opts: TableOptions = {}): string {
  const head = ['Kafka Topic', 'Partitions', 'Partition Replicas'];
  if (extended) head.push('Consumers', 'ConsumerGroups');
  const rows = sorted(topics).map((t) => {
    const row = [t.name, String(t.partitions), String(t.replicas)];
    if (extended) row.push(String(t.consumers ?? 0), String(t.consumerGroups ?? 0));
    return row;
  });
  const main = printed(tableLines(head, rows, opts));
  if (!extended) return main;
  // Beyond ksqlDB: who reads each topic and how far behind they are.
  const lagRows = sorted(topics).flatMap((t) =>
    (t.groups ?? []).map((g) => [
      t.name,
      g.groupId,
      String(g.members),
      g.partitions.map((p) => `${p.partition}:${p.committed ?? '-'}/${p.end}`).join(' '),
      String(g.totalLag),
    ]),
  );
  if (lagRows.length === 0) return main;
  return `${main}\n${printed(tableLines(['Kafka Topic', 'Consumer Group', 'Members', 'Committed/End per partition', 'Lag'], lagRows, opts))}`;
}

/** ksqlDB's `kafka_topics` / `kafka_topics_extended` entities: replicas per partition. */
export function topicsJson(topics: readonly TopicInfo[], extended: boolean): Record<string, unknown> {
  return {
    '@type': extended ? 'kafka_topics_extended' : 'kafka_topics',
    topics: sorted(topics).map((t) => {
      const replicaInfo = Array.from({ length: t.partitions }, () => t.replicas);
      return extended
        ? {
            name: t.name,
            replicaInfo,
            consumerCount: t.consumers ?? 0,
            consumerGroupCount: t.consumerGroups ?? 0,
            ...(t.groups ? { consumerGroups: t.groups } : {}),
          }
        : { name: t.name, replicaInfo };
    }),
  };
}

// ksqlDB lists topics sorted by name (a TreeMap on the server).
function sorted(topics: readonly TopicInfo[]): TopicInfo[] {
  return [...topics].sort((a, b) => byJavaString(a.name, b.name));
}
