/**
 * What a client knows about topics: partition counts and leaders from
 * metadata (kept for a while, refreshed when a request says it is stale),
 * and whether a topic is compacted (read once, for the produce-time check
 * of null keys). Also the offset listings every part of the adapter needs.
 */

import { BrokerError, OffsetOutOfRangeError, UnknownPartitionError, UnknownTopicError } from '../errors.js';
import { isCompacted, type PartitionOffset } from '../port.js';
import { sleep, type KafkaClient, type TopicMeta } from './client.js';
import { errorOfCode, isConnectionError, isStaleMetadata, typeOfCode } from './errors.js';
import { EARLIEST, LATEST, READ_COMMITTED, RESOURCE_TOPIC } from './internals.js';

const UNKNOWN_TOPIC = 3;

export interface TopicLayout {
  readonly name: string;
  readonly partitions: number;
  /** Leader node id per partition, -1 while there is none. */
  readonly leaders: readonly number[];
  readonly replicas: number;
  readonly fetchedAt: number;
}

export class TopicCache {
  private readonly layouts = new Map<string, TopicLayout>();
  private readonly compaction = new Map<string, boolean>();

  constructor(
    private readonly client: KafkaClient,
    private readonly maxAgeMs = 60_000,
  ) {}

  /** The topic's layout, from cache when fresh; undefined when the topic does not exist. */
  async get(name: string, fresh = false): Promise<TopicLayout | undefined> {
    const known = this.layouts.get(name);
    if (!fresh && known !== undefined && Date.now() - known.fetchedAt < this.maxAgeMs) return known;
    const [layout] = await this.load([name]);
    return layout;
  }

  /** The layout or UnknownTopicError. */
  async require(name: string, fresh = false): Promise<TopicLayout> {
    const layout = await this.get(name, fresh);
    if (layout === undefined) throw new UnknownTopicError(name);
    return layout;
  }

  /** The layout, checking the partition exists (UnknownTopicError, UnknownPartitionError). */
  async requirePartition(name: string, partition: number, fresh = false): Promise<TopicLayout> {
    let layout = await this.require(name, fresh);
    if (!fresh && (partition >= layout.partitions || layout.leaders[partition]! < 0)) layout = await this.require(name, true);
    if (!Number.isInteger(partition) || partition < 0 || partition >= layout.partitions) {
      throw new UnknownPartitionError(name, partition);
    }
    return layout;
  }

  /** Layouts of several topics in one request; undefined entries for those that do not exist. */
  async load(names: readonly string[]): Promise<Array<TopicLayout | undefined>> {
    if (names.length === 0) return [];
    const response = await this.client.metadata(names);
    const byName = new Map(response.topicMetadata.map((t) => [t.topic, t]));
    return names.map((name) => {
      const meta = byName.get(name);
      if (meta === undefined || meta.topicErrorCode === UNKNOWN_TOPIC) {
        this.forget(name);
        return undefined;
      }
      return this.remember(meta);
    });
  }

  remember(meta: TopicMeta): TopicLayout {
    const partitions = [...meta.partitionMetadata].sort((a, b) => a.partitionId - b.partitionId);
    const layout: TopicLayout = {
      name: meta.topic,
      partitions: partitions.length,
      leaders: partitions.map((p) => (p.leader >= 0 ? p.leader : -1)),
      replicas: partitions[0]?.replicas.length ?? 0,
      fetchedAt: Date.now(),
    };
    this.layouts.set(meta.topic, layout);
    return layout;
  }

  forget(name: string): void {
    this.layouts.delete(name);
    this.compaction.delete(name);
  }

  /** Leader of a partition, refreshing metadata (with a short wait) while it has none. */
  async leader(name: string, partition: number, fresh = false): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const layout = await this.requirePartition(name, partition, fresh || attempt > 0);
      const leader = layout.leaders[partition]!;
      if (leader >= 0) return leader;
      if (attempt >= 50) throw errorOfCode(5); // LEADER_NOT_AVAILABLE
      await sleep(Math.min(20 * (attempt + 1), 200));
    }
  }

  /** Whether the topic keeps only the latest value per key (cleanup.policy has compact). */
  async compacted(name: string): Promise<boolean> {
    const known = this.compaction.get(name);
    if (known !== undefined) return known;
    const configs = await this.configs(name);
    const compacted = isCompacted(configs);
    this.compaction.set(name, compacted);
    return compacted;
  }

  /** The configs set on the topic itself (not broker defaults). */
  async configs(name: string, only?: string[]): Promise<Record<string, string>> {
    const node = await this.client.anyNode();
    const response = await this.client.send<{
      resources: Array<{
        errorCode: number;
        configEntries: Array<{ configName: string; configValue: string | null; isDefault?: boolean; configSource?: number }>;
      }>;
    }>(
      node,
      'DescribeConfigs',
      { resources: [{ type: RESOURCE_TOPIC, name, configNames: only ?? [] }], includeSynonyms: false },
      true,
    );
    const resource = response.resources[0];
    if (resource === undefined || resource.errorCode === UNKNOWN_TOPIC) throw new UnknownTopicError(name);
    if (resource.errorCode !== 0) throw errorOfCode(resource.errorCode);
    const out: Record<string, string> = {};
    for (const entry of resource.configEntries) {
      // configSource 1 is DYNAMIC_TOPIC_CONFIG: set on this topic.
      const own = entry.configSource !== undefined ? entry.configSource === 1 : entry.isDefault === false;
      if (own && entry.configValue !== null) out[entry.configName] = entry.configValue;
    }
    return out;
  }

  /**
   * One offset per partition of a topic: the log start (EARLIEST) or the
   * end (LATEST): by default read_committed, the last stable offset, the end
   * a reader of committed data can reach; isolation 0 gives the high-water mark.
   */
  async listOffsets(
    name: string,
    which: typeof EARLIEST | typeof LATEST,
    partitions?: readonly number[],
    isolationLevel = READ_COMMITTED,
  ): Promise<PartitionOffset[]> {
    for (let attempt = 0; ; attempt++) {
      const layout = await this.require(name, attempt > 0);
      const wanted = partitions ?? Array.from({ length: layout.partitions }, (_, p) => p);
      const byLeader = new Map<number, number[]>();
      for (const p of wanted) {
        if (p >= layout.partitions) throw new UnknownPartitionError(name, p);
        const leader = await this.leader(name, p);
        let list = byLeader.get(leader);
        if (list === undefined) byLeader.set(leader, (list = []));
        list.push(p);
      }
      try {
        const results = await Promise.all(
          [...byLeader].map(async ([leader, list]) => {
            const node = await this.client.node(leader);
            const response = await this.client.send<{
              responses: Array<{ topic: string; partitions: Array<{ partition: number; errorCode: number; offset: string }> }>;
            }>(
              node,
              'ListOffsets',
              {
                replicaId: -1,
                isolationLevel,
                topics: [{ topic: name, partitions: list.map((partition) => ({ partition, timestamp: which })) }],
              },
              true,
            );
            return response.responses.flatMap((r) => r.partitions);
          }),
        );
        const out: PartitionOffset[] = [];
        let retry = false;
        for (const p of results.flat()) {
          if (p.errorCode === UNKNOWN_TOPIC) {
            if ((await this.get(name, true)) === undefined) throw new UnknownTopicError(name);
            retry = true;
          } else if (isStaleMetadata(typeOfCode(p.errorCode))) {
            retry = true;
          } else if (p.errorCode !== 0) {
            throw errorOfCode(p.errorCode);
          }
          out.push({ partition: p.partition, offset: Number(p.offset) });
        }
        if (!retry) return out.sort((a, b) => a.partition - b.partition);
      } catch (error) {
        if (attempt >= 10 || !isConnectionError(error)) throw error;
      }
      if (attempt >= 10) throw new BrokerError(`Listing offsets of '${name}': no leader answered`, { retriable: true });
      await sleep(Math.min(20 * (attempt + 1), 200));
    }
  }

  /** [log start, end] of one partition, for OffsetOutOfRangeError. */
  async range(name: string, partition: number): Promise<{ beginning: number; end: number }> {
    const [beginning, end] = await Promise.all([
      this.listOffsets(name, EARLIEST, [partition]),
      this.listOffsets(name, LATEST, [partition]),
    ]);
    return { beginning: beginning[0]!.offset, end: end[0]!.offset };
  }

  async outOfRange(name: string, partition: number, offset: number): Promise<OffsetOutOfRangeError> {
    return new OffsetOutOfRangeError(name, partition, offset, await this.range(name, partition));
  }
}
