/**
 * Running QTT cases on a real Kafka cluster (`ksqlite test --bootstrap-server`):
 * one connection for the run; each case sees the cluster through a prefix of
 * its own (topics, groups, registry subjects), so cases that reuse topic
 * names never meet, and its topics, groups and subjects are deleted after it.
 */
import { namespacedBroker, type Broker } from '../../broker/index.js';
import type { SchemaRegistry } from '../../serde/index.js';
import { openKafkaBackend } from '../backend.js';
import type { CaseBackend } from './runner.js';

export interface KafkaCases {
  /** A fresh namespace for the next case. */
  next(): Promise<CaseBackend>;
  close(): Promise<void>;
}

export async function kafkaCaseBackends(options: { bootstrapServers: string; schemaRegistryUrl?: string }): Promise<KafkaCases> {
  const backend = await openKafkaBackend({
    bootstrapServers: options.bootstrapServers,
    ...(options.schemaRegistryUrl ? { schemaRegistryUrl: options.schemaRegistryUrl } : {}),
  });
  const run = `qtt_${process.pid}_${Date.now().toString(36)}`;
  let n = 0;
  return {
    async next(): Promise<CaseBackend> {
      n += 1;
      const prefix = `${run}_${n}_`;
      const broker = namespacedBroker(backend.broker, prefix);
      const registry = options.schemaRegistryUrl ? prefixedRegistry(backend.schemaRegistry, prefix) : undefined;
      return {
        broker,
        ...(registry ? { schemaRegistry: registry } : {}),
        dispose: () => cleanUp(broker, registry),
      };
    },
    close: () => backend.close(),
  };
}

/** Deletes what a case left: its groups, topics and subjects. */
async function cleanUp(broker: Broker, registry: SchemaRegistry | undefined): Promise<void> {
  for (const g of await broker.listGroups()) await broker.deleteGroup(g).catch(() => undefined);
  for (const t of await broker.listTopics()) await broker.deleteTopic(t).catch(() => undefined);
  if (registry) {
    for (const s of await registry.listSubjects().catch(() => [] as string[])) {
      await registry.deleteSubject(s).catch(() => undefined);
      await registry.deleteSubject(s, true).catch(() => undefined);
    }
  }
}

/** A registry view whose subjects carry a prefix (schema ids are shared, as in any registry). */
function prefixedRegistry(inner: SchemaRegistry, prefix: string): SchemaRegistry {
  const add = (s: string) => prefix + s;
  return {
    register: (subject, schema) => inner.register(add(subject), schema),
    getById: (id) => inner.getById(id),
    getLatest: async (subject) => ({ ...(await inner.getLatest(add(subject))), subject }),
    getVersion: async (subject, version) => ({ ...(await inner.getVersion(add(subject), version)), subject }),
    listSubjects: async () => (await inner.listSubjects()).filter((s) => s.startsWith(prefix)).map((s) => s.slice(prefix.length)),
    listVersions: (subject) => inner.listVersions(add(subject)),
    deleteSubject: (subject, permanent) => inner.deleteSubject(add(subject), permanent),
    getByIdCached: (id) => inner.getByIdCached(id),
    getLatestCached: (subject) => {
      const v = inner.getLatestCached(add(subject));
      return v && { ...v, subject };
    },
  };
}
