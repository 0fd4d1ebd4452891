/**
 * Kafka's RangeAssignor, for backends that coordinate groups themselves.
 * Chosen over round-robin because it keeps co-partitioned topics together:
 * with equal partition counts, partition p of every topic goes to the same
 * member, which is what a join task needs.
 */

import type { TopicPartition } from './port.js';

export interface AssignorMember {
  memberId: string;
  /** Topics the member subscribed to. */
  topics: readonly string[];
}

/**
 * Assign each topic's partitions 0..n-1 in contiguous ranges to the members
 * subscribed to it, in the given member order; the first n % m members get
 * one extra. Returns memberId -> partitions sorted by topic then partition.
 */
export function assignRanges(
  members: readonly AssignorMember[],
  partitionCounts: ReadonlyMap<string, number>,
): Map<string, TopicPartition[]> {
  const result = new Map<string, TopicPartition[]>();
  for (const m of members) result.set(m.memberId, []);
  const topics = [...partitionCounts.keys()].sort();
  for (const topic of topics) {
    const count = partitionCounts.get(topic) ?? 0;
    const subscribers = members.filter((m) => m.topics.includes(topic));
    if (subscribers.length === 0 || count === 0) continue;
    const per = Math.floor(count / subscribers.length);
    const extra = count % subscribers.length;
    subscribers.forEach((m, i) => {
      const start = i * per + Math.min(i, extra);
      const length = per + (i < extra ? 1 : 0);
      const owned = result.get(m.memberId)!;
      for (let p = start; p < start + length; p++) owned.push({ topic, partition: p });
    });
  }
  return result;
}
