/**
 * The processing log: records that could not be processed (bad bytes, bad
 * timestamps, expressions that threw) are reported here with where they came
 * from, counted, and skipped — never allowed to stop a query.
 */
import type { ConsumedRecord } from '../broker/port.js';

export interface ProcessingLogEntry {
  readonly time: number;
  readonly queryId: string;
  readonly message: string;
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: number;
}

/** Where a query reports its failures. */
export interface ProcessingLogger {
  /** A record that could not be read: counted as a failed message. */
  deserializationError(message: string, record: ConsumedRecord): void;
  /** Any other processing error (the record may still produce output with nulls). */
  error(message: string, record?: ConsumedRecord): void;
}

/** Keeps the most recent entries in memory and calls a listener for each. */
export class ProcessingLog {
  private readonly entries: ProcessingLogEntry[] = [];

  constructor(
    private readonly capacity = 1000,
    private readonly listener?: (entry: ProcessingLogEntry) => void,
  ) {}

  /** A logger for one query; `onFailure` counts records that were dropped. */
  forQuery(queryId: string, onFailure: (record: ConsumedRecord | undefined) => void): ProcessingLogger {
    const add = (message: string, record: ConsumedRecord | undefined) => {
      const entry: ProcessingLogEntry = {
        time: Date.now(),
        queryId,
        message,
        ...(record ? { topic: record.topic, partition: record.partition, offset: record.offset } : {}),
      };
      this.entries.push(entry);
      if (this.entries.length > this.capacity) this.entries.shift();
      this.listener?.(entry);
    };
    return {
      deserializationError: (message, record) => {
        add(message, record);
        onFailure(record);
      },
      error: (message, record) => {
        add(message, record);
        if (record) onFailure(record);
      },
    };
  }

  recent(): readonly ProcessingLogEntry[] {
    return this.entries;
  }
}
