/**
 * Every error the broker port throws. Callers decide whether to retry by the
 * `retriable` flag (as Kafka clients do), and on what went wrong by the class,
 * never by message text. Adapters translate their backend's errors into these.
 */

export interface BrokerErrorOptions {
  retriable?: boolean;
  cause?: unknown;
}

/** Root of the hierarchy: anything the broker port throws on purpose. */
export class BrokerError extends Error {
  /** True when the same call may succeed if tried again later. */
  readonly retriable: boolean;

  constructor(message: string, options: BrokerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
  }
}

/** createTopic of a name that is taken (Kafka TOPIC_ALREADY_EXISTS). */
export class TopicExistsError extends BrokerError {
  constructor(readonly topic: string) {
    super(`Topic '${topic}' already exists`);
  }
}

/**
 * The topic does not exist. Retriable as in Kafka (UNKNOWN_TOPIC_OR_PARTITION):
 * a topic just created elsewhere may not have reached this client yet.
 */
export class UnknownTopicError extends BrokerError {
  constructor(readonly topic: string) {
    super(`Unknown topic '${topic}'`, { retriable: true });
  }
}

/** A partition number outside 0..partitions-1 of an existing topic: a caller bug. */
export class UnknownPartitionError extends BrokerError {
  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {
    super(`Topic '${topic}' has no partition ${partition}`);
  }
}

/** A topic name, partition count, replication factor or config Kafka would refuse. */
export class InvalidTopicError extends BrokerError {
  constructor(
    readonly topic: string,
    reason: string,
  ) {
    super(`Invalid topic '${topic}': ${reason}`);
  }
}

/** A record the log refuses: negative timestamp, null key on a compacted topic. */
export class InvalidRecordError extends BrokerError {
  constructor(
    readonly topic: string,
    reason: string,
  ) {
    super(`Invalid record for topic '${topic}': ${reason}`);
  }
}

/** Fetch from an offset before the log start or past the log end. */
export class OffsetOutOfRangeError extends BrokerError {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
    readonly range: { beginning: number; end: number },
  ) {
    super(
      `Offset ${offset} is out of range [${range.beginning}, ${range.end}] for ${topic}-${partition}`,
    );
  }
}

/** describe/delete of a consumer group that has neither members nor offsets. */
export class UnknownGroupError extends BrokerError {
  constructor(readonly groupId: string) {
    super(`Unknown consumer group '${groupId}'`);
  }
}

/**
 * An operation that needs the group idle (committing from outside it, deleting
 * it) while it has live members.
 */
export class GroupNotEmptyError extends BrokerError {
  constructor(readonly groupId: string) {
    super(`Consumer group '${groupId}' has active members`);
  }
}

/**
 * A consumer committed or sought a partition it does not own (any more), as
 * after a rebalance (Kafka's CommitFailedException / IllegalStateException).
 */
export class NotAssignedError extends BrokerError {
  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {
    super(`Consumer does not own ${topic}-${partition}`);
  }
}

/** A newer transaction with the same transactional id took over; this one is dead. */
export class ProducerFencedError extends BrokerError {
  constructor(readonly transactionalId: string) {
    super(`Transactional producer '${transactionalId}' was fenced by a newer instance`);
  }
}

/** A transaction used after commit or abort, or committed after a failed operation. */
export class InvalidTxnStateError extends BrokerError {
  constructor(message: string) {
    super(message);
  }
}

/** The broker or consumer was closed; make a new one. */
export class ClientClosedError extends BrokerError {
  constructor(what: string) {
    super(`${what} is closed`);
  }
}

/** A consumer's poll/commit called while another of its calls is still running. */
export class ConcurrentUseError extends BrokerError {
  constructor(message: string) {
    super(message);
  }
}

/**
 * The disk refused an operation: full (ENOSPC, EDQUOT), read-only (EROFS),
 * no permission (EACCES, EPERM), too many open files, or an I/O error. The
 * operation left the log as it was. Retriable when waiting may help (space
 * freed, files closed).
 */
export class StorageError extends BrokerError {
  constructor(
    readonly path: string,
    readonly code: string,
    action: string,
    options: BrokerErrorOptions = {},
  ) {
    super(`${describeStorageCode(code)} (${code}) while ${action} ${path}`, {
      retriable: options.retriable ?? RETRIABLE_STORAGE_CODES.has(code),
      cause: options.cause,
    });
  }
}

const RETRIABLE_STORAGE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY']);

function describeStorageCode(code: string): string {
  switch (code) {
    case 'ENOSPC':
      return 'No space left on device';
    case 'EDQUOT':
      return 'Disk quota exceeded';
    case 'EACCES':
    case 'EPERM':
      return 'Permission denied';
    case 'EROFS':
      return 'Read-only file system';
    case 'EMFILE':
    case 'ENFILE':
      return 'Too many open files';
    case 'EIO':
      return 'I/O error';
    case 'ENOENT':
      return 'No such file or directory';
    default:
      return 'File system error';
  }
}

/**
 * A record of the embedded log failed its checksum or framing where it cannot
 * be a torn write (it is not the last thing in its segment): the file is
 * damaged. Names the file, the byte position and the offset at that place.
 */
export class CorruptRecordError extends BrokerError {
  constructor(
    readonly file: string,
    readonly position: number,
    readonly offset: number | null,
    reason: string,
  ) {
    super(`Corrupt record in ${file} at byte ${position}${offset === null ? '' : ` (offset ${offset})`}: ${reason}`);
  }
}
