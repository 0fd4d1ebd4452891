/**
 * The group leader's assignment: Kafka's range assignment (the port's
 * assignRanges, which keeps co-partitioned topics together) made
 * cooperative as in KIP-429. A partition still owned by another member is
 * not handed to its new owner in this generation: the owner sees it missing,
 * revokes it (onRevoke commits), and rejoins; the next generation gives it
 * away. So nobody reads a partition before its old owner let go of it.
 */

import { assignRanges } from '../assignor.js';
import type { TopicPartition } from '../port.js';

export interface MemberSubscription {
  memberId: string;
  topics: readonly string[];
  /** What the member owns now (it said so in its JoinGroup). */
  owned: readonly TopicPartition[];
  /** When it subscribed: earlier members come first in the range order. */
  joinedAt: number;
}

const key = (tp: TopicPartition): string => `${tp.topic}\u0000${tp.partition}`;

export function cooperativeAssignment(
  members: readonly MemberSubscription[],
  partitionCounts: ReadonlyMap<string, number>,
): Map<string, TopicPartition[]> {
  const ordered = [...members].sort(
    (a, b) => a.joinedAt - b.joinedAt || (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0),
  );
  const target = assignRanges(ordered, partitionCounts);
  const claims = new Map<string, Set<string>>();
  for (const m of members) {
    for (const tp of m.owned) {
      let owners = claims.get(key(tp));
      if (owners === undefined) claims.set(key(tp), (owners = new Set()));
      owners.add(m.memberId);
    }
  }
  const result = new Map<string, TopicPartition[]>();
  for (const m of ordered) {
    const mine = (target.get(m.memberId) ?? []).filter((tp) => {
      const owners = claims.get(key(tp));
      // Free, or already ours and nobody else's: take it now; otherwise wait for the others to let go.
      return owners === undefined || (owners.size === 1 && owners.has(m.memberId));
    });
    result.set(m.memberId, mine);
  }
  return result;
}
