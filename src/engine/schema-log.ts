/**
 * The embedded schema registry made durable and shared: its changes are
 * records of an internal topic on the same log (as Confluent's registry keeps
 * them in `_schemas`). Every process applies the same records in log order to
 * its own embedded registry, so ids and versions agree everywhere; a
 * registration is appended first and its id read back from the log.
 */
import type { Broker } from '../broker/index.js';
import {
  createEmbeddedRegistry,
  normalizeDefinition,
  type EmbeddedSchemaRegistry,
  type RegisteredSchema,
  type SchemaDefinition,
  type SchemaRegistry,
  type SubjectVersion,
} from '../serde/index.js';
import { ensureTopic } from './command-log.js';

type SchemaCommand =
  | { readonly op: 'register'; readonly subject: string; readonly definition: SchemaDefinition }
  | { readonly op: 'delete'; readonly subject: string; readonly permanent: boolean };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function schemaTopicName(serviceId: string): string {
  return `_ksqlite_${serviceId}_schemas`;
}

/** A registry whose state lives on `topic` of the broker; reads catch up with the log first. */
export async function createLogRegistry(broker: Broker, topic: string): Promise<SchemaRegistry> {
  await ensureTopic(broker, topic);
  const inner: EmbeddedSchemaRegistry = createEmbeddedRegistry();
  let next = 0;
  /** What applying each of this process's own records gave, by offset (for the appender to pick up). */
  const outcomes = new Map<number, { value?: unknown; error?: unknown }>();
  const pending = new Set<number>();

  const readLog = async (): Promise<void> => {
    for (;;) {
      const batch = await broker.fetch(topic, 0, next, 1000);
      if (batch.length === 0) return;
      for (const r of batch) {
        next = r.offset + 1;
        if (r.value === null) continue;
        let c: SchemaCommand;
        try {
          c = JSON.parse(decoder.decode(r.value)) as SchemaCommand;
        } catch {
          continue;
        }
        // A command that does not apply (a delete of a deleted subject) changes nothing, everywhere alike.
        let outcome: { value?: unknown; error?: unknown };
        try {
          outcome = { value: c.op === 'register' ? await inner.register(c.subject, c.definition) : await inner.deleteSubject(c.subject, c.permanent) };
        } catch (error) {
          outcome = { error };
        }
        if (pending.has(r.offset)) outcomes.set(r.offset, outcome);
      }
    }
  };

  // One reader at a time: each record is applied exactly once.
  let reading: Promise<void> = Promise.resolve();
  const catchUp = (): Promise<void> => {
    reading = reading.catch(() => undefined).then(readLog);
    return reading;
  };

  /** Appends a command, applies the log up to it, and gives what applying it gave. */
  const run = async (c: SchemaCommand): Promise<unknown> => {
    const [meta] = await broker.produce(topic, [{ key: encoder.encode(c.subject), value: encoder.encode(JSON.stringify(c)), timestamp: Date.now(), partition: 0 }]);
    const offset = meta?.offset ?? -1;
    pending.add(offset);
    try {
      await catchUp();
    } finally {
      pending.delete(offset);
    }
    const outcome = outcomes.get(offset);
    outcomes.delete(offset);
    if (!outcome) throw new Error(`schema registry record ${offset} of ${topic} was not read back`);
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  };

  await catchUp();
  const read = async <T>(fn: () => Promise<T>): Promise<T> => {
    await catchUp();
    return fn();
  };

  return {
    async register(subject: string, definition: SchemaDefinition): Promise<number> {
      await catchUp();
      // Already under the subject (the usual case: every CREATE and query start registers): no record.
      const wanted = normalizeDefinition(definition);
      for (const version of await inner.listVersions(subject).catch(() => [] as number[])) {
        const v = await inner.getVersion(subject, version);
        if (v.schemaType === wanted.schemaType && v.schema === wanted.schema && sameReferences(v, wanted)) return v.id;
      }
      return (await run({ op: 'register', subject, definition })) as number;
    },
    getById: async (id: number): Promise<RegisteredSchema> => inner.getByIdCached(id) ?? (await read(() => inner.getById(id))),
    getLatest: (subject: string): Promise<SubjectVersion> => read(() => inner.getLatest(subject)),
    getVersion: (subject: string, version: number): Promise<SubjectVersion> => read(() => inner.getVersion(subject, version)),
    listSubjects: () => read(() => inner.listSubjects()),
    listVersions: (subject: string): Promise<number[]> => read(() => inner.listVersions(subject)),
    deleteSubject: async (subject: string, permanent = false): Promise<number[]> => (await run({ op: 'delete', subject, permanent })) as number[],
    getByIdCached: (id: number) => inner.getByIdCached(id),
    getLatestCached: (subject: string) => inner.getLatestCached(subject),
  };
}

function sameReferences(a: SchemaDefinition, b: SchemaDefinition): boolean {
  return JSON.stringify(a.references ?? []) === JSON.stringify(b.references ?? []);
}
