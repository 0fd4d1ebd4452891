/**
 * One set of connections to a Kafka cluster under one client id: a kafkajs
 * Cluster (seed broker, api version negotiation, SASL/SSL, discovery of the
 * other nodes) plus what the adapter needs on top: requests sent with the
 * best version both sides speak and responses read without throwing on
 * per-item error codes, non-throwing metadata, and cached coordinators.
 *
 * kafkajs keeps two connections per node, one for Fetch and one for the
 * rest; Kafka answers one request per connection at a time, so whatever
 * blocks (a long-polling fetch, a JoinGroup waiting for the group) gets a
 * client of its own.
 */

import { BrokerError, ClientClosedError } from '../errors.js';
import { isConnectionError, isCoordinatorMoved, errorType, unwrap, isCoordinatorLoading } from './errors.js';
import {
  COORDINATOR_GROUP,
  Cluster,
  LoggerConsole,
  apiKeys,
  defaultSocketFactory,
  loggers,
  requests,
  type KafkaCluster,
  type KafkaNode,
  type ProtocolRequest,
} from './internals.js';

export type LogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

export interface ConnectionConfig {
  brokers: string[];
  ssl?: unknown;
  sasl?: unknown;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  logLevel: LogLevel;
  logCreator?: unknown;
  socketFactory?: unknown;
}

export interface BrokerNode {
  nodeId: number;
  host: string;
  port: number;
}

export interface PartitionMeta {
  partitionErrorCode: number;
  partitionId: number;
  leader: number;
  replicas: number[];
}

export interface TopicMeta {
  topicErrorCode: number;
  topic: string;
  isInternal: boolean;
  partitionMetadata: PartitionMeta[];
}

export interface MetadataResponse {
  brokers: BrokerNode[];
  controllerId: number;
  topicMetadata: TopicMeta[];
}

const LEVELS: Record<LogLevel, number> = {
  nothing: loggers.LEVELS.NOTHING,
  error: loggers.LEVELS.ERROR,
  warn: loggers.LEVELS.WARN,
  info: loggers.LEVELS.INFO,
  debug: loggers.LEVELS.DEBUG,
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class KafkaClient {
  readonly cluster: KafkaCluster;
  private closed = false;
  /** `${type}:${key}` -> coordinator node id. */
  private readonly coordinators = new Map<string, number>();
  private readonly dropping = new WeakMap<KafkaNode, Promise<void>>();

  constructor(
    readonly config: ConnectionConfig,
    readonly clientId: string,
  ) {
    const logger = loggers.createLogger({ level: LEVELS[config.logLevel], logCreator: config.logCreator ?? LoggerConsole });
    this.cluster = new Cluster({
      logger,
      socketFactory: quietSockets(
        (config.socketFactory as SocketFactory | undefined) ?? (defaultSocketFactory() as SocketFactory),
      ),
      brokers: config.brokers,
      ssl: config.ssl,
      sasl: config.sasl,
      clientId,
      connectionTimeout: Math.min(config.connectionTimeoutMs, 10_000),
      requestTimeout: config.requestTimeoutMs,
      enforceRequestTimeout: true,
      metadataMaxAge: 300_000,
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 },
      allowAutoTopicCreation: false,
      maxInFlightRequests: null,
      isolationLevel: 1,
      instrumentationEmitter: null,
    });
  }

  /**
   * Connect to a seed broker and learn the cluster's nodes, within the
   * connection timeout; the error names the addresses tried.
   */
  async connect(): Promise<void> {
    const attempt = (async () => {
      await this.cluster.connect();
      await this.cluster.refreshMetadata();
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.config.connectionTimeoutMs} ms`)),
        this.config.connectionTimeoutMs,
      );
    });
    try {
      await Promise.race([attempt, timeout]);
    } catch (error) {
      attempt.catch(() => undefined);
      await this.disconnect().catch(() => undefined);
      const cause = unwrap(error);
      throw new BrokerError(`Cannot connect to Kafka at ${this.config.brokers.join(',')}: ${cause.message}`, {
        retriable: true,
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  ensureOpen(what = 'Broker'): void {
    if (this.closed) throw new ClientClosedError(what);
  }

  /** Any connected node (for metadata and cluster-wide requests). */
  async anyNode(): Promise<KafkaNode> {
    this.ensureOpen();
    return this.cluster.brokerPool.findConnectedBroker();
  }

  /** The node of this id, connected; metadata is refreshed once if it is unknown. */
  async node(nodeId: number): Promise<KafkaNode> {
    this.ensureOpen();
    try {
      return await this.cluster.findBroker({ nodeId });
    } catch (error) {
      if (unwrap(error).name !== 'KafkaJSBrokerNotFound') throw error;
      await this.cluster.refreshMetadata();
      return this.cluster.findBroker({ nodeId });
    }
  }

  /** Ids of the nodes known from the last metadata. */
  nodeIds(): number[] {
    return this.cluster.getNodeIds().map(Number);
  }

  /**
   * Send a request with the highest version both kafkajs and the node
   * implement. raw: the decoded response as is, without kafkajs's check of
   * error codes (for requests whose items fail one by one).
   */
  async send<T>(node: KafkaNode, apiName: string, args: Record<string, unknown>, raw = false): Promise<T> {
    const request = this.build(node, apiName, args);
    return this.sendBuilt<T>(node, raw ? rawResponse(request) : request);
  }

  /** Build a request for a node, at the best common version (exposed for custom encoders). */
  build(node: KafkaNode, apiName: string, args: Record<string, unknown>): ProtocolRequest {
    return requests[apiName]!.protocol({ version: this.version(node, apiName) })(args);
  }

  /** The version of an API this client speaks with a node. */
  version(node: KafkaNode, apiName: string, ceiling = Number.MAX_SAFE_INTEGER): number {
    const definition = requests[apiName]!;
    const range = node.versions?.[apiKeys[apiName]!];
    if (range === undefined) throw new BrokerError(`Kafka at ${address(node)} does not support ${apiName}`);
    const implemented = Math.max(...definition.versions.map(Number));
    const version = Math.min(implemented, range.maxVersion, ceiling);
    if (version < range.minVersion) {
      throw new BrokerError(
        `Kafka at ${address(node)} needs ${apiName} v${range.minVersion}+, kafkajs speaks up to v${implemented}`,
      );
    }
    return version;
  }

  async sendBuilt<T>(node: KafkaNode, request: ProtocolRequest): Promise<T> {
    this.ensureOpen();
    try {
      return (await node.connectionPool.send({ ...request, logResponseError: false })) as T;
    } catch (error) {
      if (unwrap(error).name === 'KafkaJSConnectionClosedError') await this.drop(node);
      throw error;
    }
  }

  /** Close a node's connections after one broke (once, however many requests saw it); the next request reconnects. */
  private drop(node: KafkaNode): Promise<void> {
    let dropping = this.dropping.get(node);
    if (dropping === undefined) {
      dropping = node
        .disconnect()
        .catch(() => undefined)
        .finally(() => this.dropping.delete(node));
      this.dropping.set(node, dropping);
    }
    return dropping;
  }

  /** Metadata of these topics (null: all), per-topic errors left in the response. */
  async metadata(topics: readonly string[] | null): Promise<MetadataResponse> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        const node = await this.anyNode();
        return await this.send<MetadataResponse>(
          node,
          'Metadata',
          { topics: topics === null ? [] : [...topics], allowAutoTopicCreation: false },
          true,
        );
      } catch (error) {
        if (!isConnectionError(error) || this.closed) throw error;
        lastError = error;
        await sleep(100 * (attempt + 1));
      }
    }
    throw lastError;
  }

  /** The coordinator of a group (type 0) or transactional id (type 1), cached until it moves. */
  async coordinator(key: string, type = COORDINATOR_GROUP): Promise<KafkaNode> {
    const cacheKey = `${type}:${key}`;
    const known = this.coordinators.get(cacheKey);
    if (known !== undefined) {
      try {
        return await this.node(known);
      } catch {
        this.coordinators.delete(cacheKey);
      }
    }
    let lastError: unknown;
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        const node = await this.anyNode();
        const response = await this.send<{ coordinator: { nodeId: number } }>(node, 'GroupCoordinator', {
          groupId: key,
          coordinatorType: type,
        });
        this.coordinators.set(cacheKey, response.coordinator.nodeId);
        return await this.node(response.coordinator.nodeId);
      } catch (error) {
        const t = errorType(error);
        if (this.closed || !(isCoordinatorMoved(t) || isCoordinatorLoading(t) || isConnectionError(error))) throw error;
        lastError = error;
        await sleep(Math.min(50 * (attempt + 1), 500));
      }
    }
    throw lastError;
  }

  forgetCoordinator(key: string, type = COORDINATOR_GROUP): void {
    this.coordinators.delete(`${type}:${key}`);
  }

  /**
   * Send to a coordinator, finding it again when it moved or was loading.
   * Other errors are the caller's.
   */
  async toCoordinator<T>(key: string, type: number, call: (node: KafkaNode) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const node = await this.coordinator(key, type);
      try {
        return await call(node);
      } catch (error) {
        const t = errorType(error);
        const moved = isCoordinatorMoved(t) || isConnectionError(error);
        if (this.closed || attempt >= 20 || !(moved || isCoordinatorLoading(t))) throw error;
        if (moved) this.forgetCoordinator(key, type);
        await sleep(Math.min(50 * (attempt + 1), 500));
      }
    }
  }

  isClosed(): boolean {
    return this.closed;
  }

  async disconnect(): Promise<void> {
    this.closed = true;
    await this.cluster.disconnect().catch(() => undefined);
  }
}

type SocketFactory = (args: unknown) => { setMaxListeners(n: number): unknown };

/**
 * kafkajs's Connection.disconnect unrefs its socket, which on a socket whose
 * connect failed adds a 'connect' listener that never fires; while a broker
 * is down for a while (a restart), every reconnect attempt adds one and Node
 * warns of a leak. They go with the dead socket; only the warning is silenced.
 */
function quietSockets(factory: SocketFactory): SocketFactory {
  return (args) => {
    const socket = factory(args);
    socket.setMaxListeners(0);
    return socket;
  };
}

function rawResponse(request: ProtocolRequest): ProtocolRequest {
  return { ...request, response: { ...request.response, parse: async (decoded) => decoded } };
}

export function address(node: KafkaNode): string {
  return `${node.connectionPool.host}:${node.connectionPool.port}`;
}
