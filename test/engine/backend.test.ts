import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kafkaSecurity } from '../../src/engine/backend.js';
import { BackendError, maskSecrets, openEmbeddedBackend, parseProperties } from '../../src/engine/index.js';

describe('client properties (--config-file)', () => {
  test('Java .properties: = and : separators, comments, continuations', () => {
    const text = [
      '# Kafka client settings',
      '! also a comment',
      'bootstrap.servers=broker:9092',
      'client.id : ksqlite-app',
      'security.protocol SASL_SSL',
      'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\',
      '    username="alice" password="s3cret";',
      '',
    ].join('\n');
    expect(parseProperties(text)).toEqual({
      'bootstrap.servers': 'broker:9092',
      'client.id': 'ksqlite-app',
      'security.protocol': 'SASL_SSL',
      'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="s3cret";',
    });
  });

  test('SASL from the JAAS line or from username/password; TLS with or without files', () => {
    expect(
      kafkaSecurity({
        'security.protocol': 'SASL_SSL',
        'sasl.mechanism': 'SCRAM-SHA-512',
        'sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="bob" password="pw";',
      }),
    ).toEqual({ ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'bob', password: 'pw' } });
    expect(kafkaSecurity({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.username': 'u', 'sasl.password': 'p' })).toEqual({
      sasl: { mechanism: 'plain', username: 'u', password: 'p' },
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksqlite-tls-'));
    fs.writeFileSync(path.join(dir, 'ca.pem'), 'CA');
    expect(kafkaSecurity({ 'security.protocol': 'SSL', 'ssl.ca.location': path.join(dir, 'ca.pem') })).toEqual({ ssl: { ca: ['CA'] } });
    expect(kafkaSecurity({})).toEqual({});
    expect(() => kafkaSecurity({ 'security.protocol': 'SASL_SSL' })).toThrow(BackendError);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('secrets are hidden wherever settings are printed', () => {
    expect(
      maskSecrets({ 'client.id': 'x', 'sasl.jaas.config': 'secret', 'ssl.key.password': 'k', 'basic.auth.user.info': 'u:p', 'sasl.password': 'p' }),
    ).toEqual({ 'client.id': 'x', 'sasl.jaas.config': '[hidden]', 'ssl.key.password': '[hidden]', 'basic.auth.user.info': '[hidden]', 'sasl.password': '[hidden]' });
  });
});

test('the embedded backend names a data directory it cannot create', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ksqlite-backend-')), 'file');
  fs.writeFileSync(file, '');
  await expect(openEmbeddedBackend(path.join(file, 'data'))).rejects.toThrow(/Cannot create the data directory .*file\/data/);
});
