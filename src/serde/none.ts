/**
 * NONE: no columns. Writes null and reads null whatever the bytes (ksqlDB's KsqlVoidSerde);
 * the key of a keyless stream. Also what any format does for a key with no columns.
 */
import type { RowSerde } from './types.js';

export function createNoneSerde(format: string, isKey: boolean): RowSerde {
  return {
    format,
    isKey,
    serialize: () => null,
    deserialize: () => null,
  };
}
