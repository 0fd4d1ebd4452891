/**
 * A view of a broker in which every topic, consumer group and transactional
 * id carries a prefix the user of the view never sees: several independent
 * tenants (the test runner's cases on one real Kafka cluster) share a
 * cluster without their names meeting. Topics and groups outside the prefix
 * are invisible through the view.
 */
import type {
  Broker,
  ConsumedRecord,
  Consumer,
  GroupDescription,
  SubscribeOptions,
  TopicPartition,
  TopicPartitionOffset,
  Transaction,
} from './port.js';

export function namespacedBroker(inner: Broker, prefix: string): Broker {
  const add = (name: string): string => prefix + name;
  const strip = (name: string): string => (name.startsWith(prefix) ? name.slice(prefix.length) : name);
  const mine = (name: string): boolean => name.startsWith(prefix);
  const tpIn = <T extends TopicPartition>(tp: T): T => ({ ...tp, topic: add(tp.topic) });
  const tpOut = <T extends TopicPartition>(tp: T): T => ({ ...tp, topic: strip(tp.topic) });
  const recordOut = (r: ConsumedRecord): ConsumedRecord => ({ ...r, topic: strip(r.topic) });

  const consumerView = (c: Consumer, groupId: string): Consumer => ({
    groupId,
    get memberId() {
      return c.memberId;
    },
    assignment: () => c.assignment().map(tpOut),
    poll: async (max, timeout) => (await c.poll(max, timeout)).map(recordOut),
    positions: () => c.positions().map(tpOut),
    seek: (topic, partition, offset) => c.seek(add(topic), partition, offset),
    commit: (offsets?: readonly TopicPartitionOffset[]) => c.commit(offsets?.map(tpIn)),
    waitForData: (ms) => c.waitForData(ms),
    close: () => c.close(),
  });

  const transactionView = (t: Transaction): Transaction => ({
    produce: (topic, records) => t.produce(add(topic), records),
    sendOffsets: (groupId, offsets) => t.sendOffsets(add(groupId), offsets.map(tpIn)),
    commit: () => t.commit(),
    abort: () => t.abort(),
  });

  const view: Broker = {
    createTopic: (spec) => inner.createTopic({ ...spec, name: add(spec.name) }),
    describeTopic: async (name) => {
      const d = await inner.describeTopic(add(name));
      return d && { ...d, name };
    },
    listTopics: async () => (await inner.listTopics()).filter(mine).map(strip),
    topicExists: (name) => inner.topicExists(add(name)),
    deleteTopic: (name) => inner.deleteTopic(add(name)),
    deleteRecords: (topic, offsets) => inner.deleteRecords(add(topic), offsets),
    produce: (topic, records) => inner.produce(add(topic), records),
    fetch: async (topic, partition, from, max, wait) => (await inner.fetch(add(topic), partition, from, max, wait)).map(recordOut),
    endOffsets: (topic) => inner.endOffsets(add(topic)),
    beginningOffsets: (topic) => inner.beginningOffsets(add(topic)),
    commitOffsets: (groupId, offsets) => inner.commitOffsets(add(groupId), offsets.map(tpIn)),
    committedOffsets: (groupId, topic) => inner.committedOffsets(add(groupId), add(topic)),
    listGroups: async () => (await inner.listGroups()).filter(mine).map(strip),
    describeGroup: async (groupId): Promise<GroupDescription | undefined> => {
      const g = await inner.describeGroup(add(groupId));
      return (
        g && {
          ...g,
          groupId,
          members: g.members.map((m) => ({ ...m, assignment: m.assignment.map(tpOut) })),
          offsets: g.offsets.filter((o) => mine(o.topic)).map(tpOut),
        }
      );
    },
    deleteGroup: (groupId) => inner.deleteGroup(add(groupId)),
    subscribe: async (options: SubscribeOptions) => {
      const { onAssign, onRevoke } = options;
      const consumer = await inner.subscribe({
        ...options,
        groupId: add(options.groupId),
        topics: options.topics.map(add),
        ...(onAssign ? { onAssign: (ps: TopicPartition[]) => onAssign(ps.map(tpOut)) } : {}),
        ...(onRevoke ? { onRevoke: (ps: TopicPartition[]) => onRevoke(ps.map(tpOut)) } : {}),
      });
      return consumerView(consumer, options.groupId);
    },
    // The view does not own the broker: closing it leaves the broker to its owner.
    close: async () => undefined,
  };
  const transaction = inner.transaction?.bind(inner);
  if (transaction) view.transaction = async (id: string) => transactionView(await transaction(add(id)));
  return view;
}
