/**
 * The parts of kafkajs (pinned at 2.2.4) this adapter uses below its public
 * API: the cluster (connections, SASL/SSL, api version negotiation, broker
 * discovery) and the protocol's request encoders and response decoders.
 * kafkajs's producer and consumer are not used: its record encoding loses
 * the order of headers with different keys and cannot write null header
 * values, and its run()/eachBatch model has no place for onRevoke before a
 * partition moves. Every deep import is here, typed as this adapter uses it,
 * so an upgrade of kafkajs has one file to check.
 */

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A kafkajs protocol request ready to send: what Connection.send takes. */
export interface ProtocolRequest {
  request: {
    apiKey: number;
    apiVersion: number;
    apiName: string;
    encode: () => Promise<KafkaEncoder> | KafkaEncoder;
    expectResponse?: () => boolean;
  };
  response: {
    decode: (payload: Buffer) => Promise<unknown>;
    parse: (decoded: unknown) => Promise<unknown>;
  };
  requestTimeout?: number;
  logResponseError?: boolean;
}

export interface KafkaEncoder {
  writeBuffer(buffer: Buffer): KafkaEncoder;
  readonly buffer: Buffer;
}

export interface ApiVersionRange {
  minVersion: number;
  maxVersion: number;
}

/** A connected node of the cluster (kafkajs src/broker). */
export interface KafkaNode {
  nodeId: number | null;
  versions: Record<number, ApiVersionRange> | null;
  connectionPool: {
    host: string;
    port: number;
    send(request: ProtocolRequest): Promise<unknown>;
  };
  isConnected(): boolean;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  // The high-level request methods; responses are parsed (errors thrown) by kafkajs.
  heartbeat(args: { groupId: string; groupGenerationId: number; memberId: string }): Promise<unknown>;
  joinGroup(args: {
    groupId: string;
    sessionTimeout: number;
    rebalanceTimeout: number;
    memberId: string;
    protocolType: string;
    groupProtocols: Array<{ name: string; metadata: Buffer }>;
  }): Promise<JoinGroupResponse>;
  syncGroup(args: {
    groupId: string;
    generationId: number;
    memberId: string;
    groupAssignment: Array<{ memberId: string; memberAssignment: Buffer }>;
  }): Promise<{ memberAssignment: Buffer }>;
  leaveGroup(args: { groupId: string; memberId: string }): Promise<unknown>;
  offsetCommit(args: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
  }): Promise<unknown>;
  offsetFetch(args: {
    groupId: string;
    topics: Array<{ topic: string; partitions: Array<{ partition: number }> }> | null;
  }): Promise<{
    responses: Array<{
      topic: string;
      partitions: Array<{ partition: number; offset: string; errorCode?: number }>;
    }>;
  }>;
  describeGroups(args: { groupIds: string[] }): Promise<{
    groups: Array<{
      errorCode: number;
      groupId: string;
      groupState: string;
      protocolType: string;
      protocol: string;
      members: Array<{
        memberId: string;
        clientId: string;
        clientHost: string;
        memberMetadata: Buffer;
        memberAssignment: Buffer;
      }>;
    }>;
  }>;
  listGroups(): Promise<{ groups: Array<{ groupId: string; protocolType: string }> }>;
  deleteGroups(groupIds: string[]): Promise<Array<{ groupId: string; errorCode: number }>>;
  listOffsets(args: {
    replicaId?: number;
    isolationLevel: number;
    topics: Array<{ topic: string; partitions: Array<{ partition: number; timestamp: number }> }>;
  }): Promise<{
    responses: Array<{ topic: string; partitions: Array<{ partition: number; errorCode: number; offset: string }> }>;
  }>;
  createTopics(args: {
    topics: Array<{
      topic: string;
      numPartitions: number;
      replicationFactor: number;
      configEntries: Array<{ name: string; value: string }>;
    }>;
    validateOnly?: boolean;
    timeout?: number;
  }): Promise<unknown>;
  deleteTopics(args: { topics: string[]; timeout?: number }): Promise<unknown>;
  deleteRecords(args: {
    topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
  }): Promise<unknown>;
  describeConfigs(args: {
    resources: Array<{ type: number; name: string; configNames?: string[] | null }>;
    includeSynonyms?: boolean;
  }): Promise<{
    resources: Array<{
      errorCode: number;
      resourceName: string;
      configEntries: Array<{
        configName: string;
        configValue: string | null;
        isDefault?: boolean;
        configSource?: number;
        readOnly?: boolean;
      }>;
    }>;
  }>;
  initProducerId(args: { transactionalId: string | null; transactionTimeout: number }): Promise<{
    producerId: string;
    producerEpoch: number;
  }>;
  addPartitionsToTxn(args: {
    transactionalId: string;
    producerId: string;
    producerEpoch: number;
    topics: Array<{ topic: string; partitions: number[] }>;
  }): Promise<unknown>;
  addOffsetsToTxn(args: {
    transactionalId: string;
    producerId: string;
    producerEpoch: number;
    groupId: string;
  }): Promise<unknown>;
  txnOffsetCommit(args: {
    transactionalId: string;
    groupId: string;
    producerId: string;
    producerEpoch: number;
    topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
  }): Promise<unknown>;
  endTxn(args: {
    transactionalId: string;
    producerId: string;
    producerEpoch: number;
    transactionResult: boolean;
  }): Promise<unknown>;
}

export interface JoinGroupResponse {
  generationId: number;
  groupProtocol: string;
  leaderId: string;
  memberId: string;
  members: Array<{ memberId: string; memberMetadata: Buffer }>;
}

export interface ClusterOptions {
  logger: KafkaLogger;
  socketFactory: unknown;
  brokers: string[];
  ssl?: unknown;
  sasl?: unknown;
  clientId: string;
  connectionTimeout: number;
  authenticationTimeout?: number;
  reauthenticationThreshold?: number;
  requestTimeout: number;
  enforceRequestTimeout: boolean;
  metadataMaxAge: number;
  retry: { retries?: number; initialRetryTime?: number; maxRetryTime?: number };
  allowAutoTopicCreation: boolean;
  maxInFlightRequests: number | null;
  isolationLevel: number;
  instrumentationEmitter: null;
}

export interface KafkaCluster {
  brokerPool: {
    metadata: {
      controllerId: number;
      brokers: Array<{ nodeId: number; host: string; port: number }>;
    } | null;
    seedBroker: KafkaNode | undefined;
    findConnectedBroker(): Promise<KafkaNode>;
  };
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  findBroker(args: { nodeId: number | string }): Promise<KafkaNode>;
  findControllerBroker(): Promise<KafkaNode>;
  getNodeIds(): string[];
}

export interface KafkaLogger {
  namespace(name: string): KafkaLogger;
}

export const Cluster = require('kafkajs/src/cluster/index.js') as new (options: ClusterOptions) => KafkaCluster;

export const loggers = require('kafkajs/src/loggers/index.js') as {
  LEVELS: { NOTHING: number; ERROR: number; WARN: number; INFO: number; DEBUG: number };
  createLogger(options: { level: number; logCreator: unknown }): KafkaLogger;
};
export const LoggerConsole = require('kafkajs/src/loggers/console.js') as unknown;
export const defaultSocketFactory = require('kafkajs/src/network/socketFactory.js') as () => unknown;

export const Encoder = require('kafkajs/src/protocol/encoder.js') as new (size?: number) => KafkaEncoder;

type RequestDefinition = {
  versions: string[];
  protocol(args: { version: number }): (args: Record<string, unknown>) => ProtocolRequest;
};

export const requests = (require('kafkajs/src/protocol/requests/index.js') as { requests: Record<string, RequestDefinition> })
  .requests;

export const apiKeys = require('kafkajs/src/protocol/requests/apiKeys.js') as Record<string, number>;

export const protocolErrors = require('kafkajs/src/protocol/error.js') as {
  errorCodes: Array<{ type: string; code: number; retriable: boolean; message: string }>;
  createErrorFromCode(code: number): Error & { type: string; code: number; retriable: boolean };
};

/** Decompression of record batches by their attributes (gzip built in; others as registered with kafkajs). */
export const compression = require('kafkajs/src/protocol/message/compression/index.js') as {
  lookupCodecByAttributes(attributes: number): { decompress(buffer: Buffer): Promise<Buffer> } | undefined;
};

export const COORDINATOR_GROUP = 0;
export const COORDINATOR_TRANSACTION = 1;
export const RESOURCE_TOPIC = 2;
export const READ_COMMITTED = 1;
export const EARLIEST = -2;
export const LATEST = -1;
