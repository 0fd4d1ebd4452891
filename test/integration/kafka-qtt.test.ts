/**
 * ksqlDB's own test vectors on a real Kafka cluster: a subset of ../shared/qtt
 * run through the same runner as the in-memory conformance run, with the
 * Kafka adapter and the real schema registry underneath (each case in a
 * namespace of its own). The cases that pass in memory must pass on Kafka,
 * and no others: the backend changes nothing a query computes.
 *
 * Runs when KSQLITE_BOOTSTRAP_SERVER (and KSQLITE_SCHEMA_REGISTRY_URL) name
 * the servers scripts/kafka/start.sh starts; npm test starts them.
 */
import path from 'node:path';
import { findTestFiles, kafkaCaseBackends, loadTestFile, runCase } from '../../src/engine/index.js';
import { qttDir } from '../support/paths.js';

const bootstrap = process.env.KSQLITE_BOOTSTRAP_SERVER;
const registryUrl = process.env.KSQLITE_SCHEMA_REGISTRY_URL;
if (!bootstrap) console.warn('KSQLITE_BOOTSTRAP_SERVER is not set: the QTT-on-Kafka test is skipped (scripts/kafka/start.sh starts a broker).');

/** Stateless, aggregating, windowed and joining queries, with AVRO through the registry. */
const SUBSET = [
  'project-filter',
  'count',
  'sum',
  'stream-table-join',
  'tumbling-windows',
  'hopping-windows',
  'session-windows',
  'insert-into',
  'join-with-custom-timestamp',
];

const run = bootstrap ? test : test.skip;

run(
  'the QTT subset gives the same results on Kafka as in memory',
  async () => {
    const files = findTestFiles(SUBSET.map((f) => path.join(qttDir, `${f}.json`)));
    const kafka = await kafkaCaseBackends({ bootstrapServers: bootstrap as string, ...(registryUrl ? { schemaRegistryUrl: registryUrl } : {}) });
    const differences: string[] = [];
    let passedInMemory = 0;
    let passedOnKafka = 0;
    let total = 0;
    try {
      for (const file of files) {
        for (const c of loadTestFile(file)) {
          // Cases needing a registry need the real one.
          if (!registryUrl && /AVRO|PROTOBUF|JSON_SR/i.test(c.statements.join(' '))) continue;
          total += 1;
          const inMemory = await runCase(c);
          const onKafka = await runCase(c, () => kafka.next());
          if (inMemory.status === 'pass') passedInMemory += 1;
          if (onKafka.status === 'pass') passedOnKafka += 1;
          if (inMemory.status !== onKafka.status) {
            differences.push(`${path.basename(c.file)} / ${c.name}${c.format ? ` [${c.format}]` : ''}: in memory ${inMemory.status}, on Kafka ${onKafka.status}: ${onKafka.message.slice(0, 300)}`);
          }
        }
      }
    } finally {
      await kafka.close();
    }
    console.log(`QTT subset: ${passedInMemory} of ${total} pass in memory, ${passedOnKafka} of ${total} on Kafka`);
    expect(differences).toEqual([]);
    expect(total).toBeGreaterThan(50);
  },
  600_000,
);
