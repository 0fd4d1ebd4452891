/**
 * The ksqlite command on Kafka as a user starts it: client settings from
 * --config-file, shown by SHOW PROPERTIES with secrets hidden; produce and
 * print against a Kafka topic.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootstrap, deleteRunData, kafkaTest, killAll, ksqlite, registryUrl, runId } from './kafka-support.js';

const id = runId('cli');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ksqlite-kafka-cli-'));
afterAll(async () => {
  killAll();
  if (bootstrap) await deleteRunData(bootstrap, [id], [id]);
  fs.rmSync(scratch, { recursive: true, force: true });
});

kafkaTest('client settings')(
  '--config-file settings reach the client and SHOW PROPERTIES, with secrets hidden',
  async () => {
    const file = path.join(scratch, 'client.properties');
    fs.writeFileSync(file, `# test client\nclient.id=${id}-client\nssl.key.password=not-to-be-seen\n`);
    const r = await ksqlite([
      '--bootstrap-server',
      bootstrap!,
      ...(registryUrl ? ['--schema-registry-url', registryUrl] : []),
      '--service-id',
      id,
      '--config-file',
      file,
      '-e',
      'SHOW PROPERTIES;',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`client\\.id +\\| STREAMS +\\| SERVER +\\| ${id}-client`));
    expect(r.out).toMatch(/ssl\.key\.password +\| STREAMS +\| SERVER +\| \[hidden\]/);
    expect(r.out).not.toContain('not-to-be-seen');
    expect(r.out).toContain(`ksql.streams.bootstrap.servers`);
  },
  60_000,
);

kafkaTest('produce and print')(
  'ksqlite produce writes JSON lines to a Kafka topic and ksqlite print reads them back',
  async () => {
    const topic = `${id}-events`;
    const produced = await ksqlite(['--bootstrap-server', bootstrap!, 'produce', topic, '--partitions', '2', '--key-field', 'USER'], {
      input: '{"USER":"a","N":1}\n{"USER":"b","N":2}\n{"USER":"a","N":3}\n',
    });
    expect(produced.err).toContain(`Produced 3 records to ${topic} (topic created)`);
    expect(produced.code).toBe(0);
    const printed = await ksqlite(['--bootstrap-server', bootstrap!, 'print', topic, '--from-beginning', '--exit']);
    expect(printed.code).toBe(0);
    const lines = printed.out.split('\n').filter((l) => l.startsWith('rowtime:'));
    expect(lines).toHaveLength(3);
    expect(printed.out).toContain('Key format: KAFKA_STRING');
    // Same key, same partition (murmur2 on the key bytes, as Java clients place it).
    const partitionOf = (n: number) => /partition: (\d+)$/.exec(lines.find((l) => l.includes(`"N":${n}`)) ?? '')?.[1];
    expect(partitionOf(1)).toBe(partitionOf(3));
  },
  60_000,
);
