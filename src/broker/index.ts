/**
 * The broker module's public surface: the port the runtime codes against,
 * its errors, Kafka's default partitioner, and the adapters' factories.
 */

export type {
  Broker,
  ConsumedRecord,
  Consumer,
  GroupDescription,
  GroupMember,
  GroupPartitionLag,
  GroupState,
  Header,
  PartitionOffset,
  ProducerRecord,
  RecordMetadata,
  SubscribeOptions,
  TopicDescription,
  TopicPartition,
  TopicPartitionOffset,
  TopicSpec,
  Transaction,
} from './port.js';
export { CLEANUP_POLICY, isCompacted } from './port.js';
export * from './errors.js';
export {
  createDefaultPartitioner,
  murmur2,
  partitionForKey,
  toPositive,
  type Partitioner,
} from './partitioner.js';
export { createMemoryBroker, type MemoryBroker, type MemoryBrokerOptions } from './local/memory.js';
export { createFileBroker, type FileBroker, type FileBrokerOptions } from './local/file/index.js';
export { namespacedBroker } from './namespaced.js';
// The Kafka adapter (src/broker/kafka/) is imported on its own, on demand: it loads kafkajs.
