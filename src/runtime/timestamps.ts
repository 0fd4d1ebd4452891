/**
 * Event time from a STRING column with TIMESTAMP_FORMAT: Java DateTimeFormatter
 * patterns, parsed as ksqlDB's timestamp parser does (case-insensitive, UTC by default).
 */
import { DEFAULT_ZONE, timestampPattern } from '../functions/index.js';

export function parseTimestampWithFormat(text: string, format: string): number | undefined {
  try {
    return timestampPattern(format).parseTimestamp(text, DEFAULT_ZONE);
  } catch {
    return undefined;
  }
}
