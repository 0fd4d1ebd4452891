import type { SqlType } from '../../src/schema/index.js';
import { createEmbeddedRegistry, createSerde, type RowSerde, type SchemaRegistry, type SerdeColumn } from '../../src/serde/index.js';

export const col = (name: string, type: SqlType): SerdeColumn => ({ name, type });

export const hex = (bytes: Uint8Array | null): string | null =>
  bytes === null ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

export const fromHex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replaceAll(' ', ''), 'hex'));

export const text = (bytes: Uint8Array | null): string | null => (bytes === null ? null : Buffer.from(bytes).toString('utf8'));

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

export interface SerdeSpec {
  format: string;
  columns: SerdeColumn[];
  isKey?: boolean;
  wrapSingle?: boolean;
  properties?: Record<string, string>;
  registry?: SchemaRegistry;
  topic?: string;
  sink?: boolean;
}

export function serde(spec: SerdeSpec): Promise<RowSerde> {
  return createSerde({
    format: spec.format,
    columns: spec.columns,
    isKey: spec.isKey ?? false,
    wrapSingle: spec.wrapSingle,
    properties: spec.properties,
    registry: spec.registry ?? createEmbeddedRegistry(),
    topic: spec.topic ?? 't',
    sink: spec.sink ?? true,
  });
}
