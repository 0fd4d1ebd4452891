/**
 * kafkajs errors (and Kafka's error codes) in the port's vocabulary. Callers
 * that know what a code means in their context (an unknown topic, a fenced
 * producer) map it there; everything else becomes a BrokerError carrying
 * Kafka's retriable flag and the original error as cause.
 */

import { BrokerError } from '../errors.js';
import { protocolErrors } from './internals.js';

/** What a kafkajs error looks like, as far as we read it. */
export interface KafkaJsError extends Error {
  type?: string;
  code?: number | string;
  retriable?: boolean;
  cause?: unknown;
  broker?: string;
}

/** The innermost kafkajs error: the retrier wraps what went wrong in "retries exceeded". */
export function unwrap(error: unknown): KafkaJsError {
  let e = error as KafkaJsError;
  for (let i = 0; i < 5; i++) {
    const inner = e?.cause as KafkaJsError | undefined;
    if (
      inner !== undefined &&
      inner !== e &&
      (e.name === 'KafkaJSNumberOfRetriesExceeded' || e.name === 'KafkaJSNonRetriableError') &&
      inner instanceof Error
    ) {
      e = inner;
    } else {
      break;
    }
  }
  return e;
}

/** Codes newer than kafkajs 2.2.4's table (it stops at 88). */
const NEWER_CODES: Record<number, { type: string; retriable: boolean; message: string }> = {
  89: { type: 'THROTTLING_QUOTA_EXCEEDED', retriable: true, message: 'The throttling quota has been exceeded' },
  90: { type: 'PRODUCER_FENCED', retriable: false, message: 'A newer producer with the same transactional id fenced this one' },
  100: { type: 'UNKNOWN_TOPIC_ID', retriable: true, message: 'The request included a topic id that does not exist' },
  105: { type: 'TRANSACTIONAL_ID_NOT_FOUND', retriable: false, message: 'The transactional id cannot be found' },
  110: { type: 'FENCED_MEMBER_EPOCH', retriable: false, message: 'The member epoch is fenced by the group coordinator' },
  113: { type: 'STALE_MEMBER_EPOCH', retriable: false, message: 'The member epoch is stale' },
};

/** Kafka's error type name (UNKNOWN_TOPIC_OR_PARTITION, ...) of an error, if it is a protocol error. */
export function errorType(error: unknown): string | undefined {
  const e = unwrap(error);
  if (e?.type === 'KAFKAJS_UNKNOWN_ERROR_CODE') {
    const code = /Unknown error code (\d+)/.exec(e.message)?.[1];
    if (code !== undefined) return typeOfCode(Number(code));
  }
  return e?.type;
}

const CODE_TO_TYPE = new Map(protocolErrors.errorCodes.map((e) => [e.code, e]));

/** A Kafka error code's type name, e.g. 3 → UNKNOWN_TOPIC_OR_PARTITION. */
export function typeOfCode(code: number): string {
  return CODE_TO_TYPE.get(code)?.type ?? NEWER_CODES[code]?.type ?? `UNKNOWN_ERROR_CODE_${code}`;
}

/** A Kafka error code as a kafkajs-like error (type, code, message, retriable). */
export function errorOfCode(code: number): KafkaJsError {
  const newer = NEWER_CODES[code];
  if (newer !== undefined)
    return Object.assign(new Error(newer.message), {
      name: 'KafkaJSProtocolError',
      type: newer.type,
      code,
      retriable: newer.retriable,
    });
  return protocolErrors.createErrorFromCode(code);
}

/** The coordinator is loading its state: ask again shortly. */
export function isCoordinatorLoading(type: string | undefined): boolean {
  return type === 'GROUP_LOAD_IN_PROGRESS' || type === 'COORDINATOR_LOAD_IN_PROGRESS';
}

/** Errors after which the same request, sent again (after a metadata refresh), may succeed. */
const STALE_METADATA = new Set([
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
  'LEADER_NOT_AVAILABLE',
  'UNKNOWN_LEADER_EPOCH',
  'FENCED_LEADER_EPOCH',
  'REPLICA_NOT_AVAILABLE',
  'KAFKA_STORAGE_ERROR',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'REQUEST_TIMED_OUT',
  'NETWORK_EXCEPTION',
  'OFFSET_NOT_AVAILABLE',
]);

export function isStaleMetadata(type: string | undefined): boolean {
  return type !== undefined && STALE_METADATA.has(type);
}

const COORDINATOR_MOVED = new Set([
  'NOT_COORDINATOR_FOR_GROUP',
  'NOT_COORDINATOR',
  'GROUP_COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_NOT_AVAILABLE',
]);

export function isCoordinatorMoved(type: string | undefined): boolean {
  return type !== undefined && COORDINATOR_MOVED.has(type);
}

/** Errors of the connection rather than of the request: the request may not have arrived. */
export function isConnectionError(error: unknown): boolean {
  const e = unwrap(error);
  return (
    e.name === 'KafkaJSConnectionError' ||
    e.name === 'KafkaJSConnectionClosedError' ||
    e.name === 'KafkaJSRequestTimeoutError' ||
    e.name === 'KafkaJSBrokerNotFound' ||
    e.name === 'KafkaJSLockTimeout'
  );
}

/** Anything kafkajs threw, as a BrokerError (port errors pass through). */
export function toBrokerError(error: unknown, what: string): BrokerError {
  if (error instanceof BrokerError) return error;
  const e = unwrap(error);
  const message = e?.message ?? String(error);
  const retriable = e?.retriable ?? isConnectionError(e);
  return new BrokerError(`${what}: ${message}`, { retriable: retriable === true, cause: error });
}
