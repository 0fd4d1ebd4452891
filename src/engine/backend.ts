/**
 * Where an engine's data lives: the embedded file log under a data directory
 * (the default), or — through the Kafka adapter — a Kafka cluster. The CLI
 * opens a backend here and hands its broker to Engine.create.
 */
import fs from 'node:fs';
import { createFileBroker, StorageError, type Broker } from '../broker/index.js';
import { createRemoteRegistry, SchemaRegistryError, type SchemaRegistry } from '../serde/index.js';
import { messageOf } from './errors.js';

export interface Backend {
  readonly broker: Broker;
  readonly kind: 'embedded' | 'kafka';
  /** For the banner: the data directory, or the bootstrap servers. */
  readonly location: string;
  /** The backend's own schema registry (Kafka's); the embedded log keeps one on the log. */
  readonly schemaRegistry?: SchemaRegistry;
  /** Client settings in force (secrets hidden), for SHOW PROPERTIES. */
  readonly settings?: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/** A backend that could not be opened: the message says where and why. */
export class BackendError extends Error {
  override readonly name = 'BackendError';
}

export interface EmbeddedOptions {
  /** 'always' (default): fsync each append batch; 'interval': about once a second. */
  readonly fsync?: 'always' | 'interval';
}

/** Opens (creating when missing) the embedded log in `dataDir`. */
export async function openEmbeddedBackend(dataDir: string, options: EmbeddedOptions = {}): Promise<Backend> {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw new BackendError(`Cannot create the data directory ${dataDir}: ${messageOf(err)}`);
  }
  let broker;
  try {
    broker = await createFileBroker({
      dataDir,
      ...(options.fsync ? { fsync: options.fsync } : {}),
      onBackgroundError: (err) => process.emitWarning(`ksqlite data directory ${dataDir}: ${messageOf(err)}`),
    });
  } catch (err) {
    const why = err instanceof StorageError ? err.message : messageOf(err);
    throw new BackendError(`Cannot open the data directory ${dataDir}: ${why}`);
  }
  return {
    broker,
    kind: 'embedded',
    location: dataDir,
    close: () => broker.close(),
  };
}

export interface KafkaBackendOptions {
  /** host:port[,host:port...] */
  readonly bootstrapServers: string;
  readonly schemaRegistryUrl?: string;
  /** Client settings (a --config-file's properties): client.id, security.protocol, SASL, SSL, basic.auth.user.info. */
  readonly config?: Readonly<Record<string, string>>;
  readonly connectionTimeoutMs?: number;
}

/** A Kafka cluster (and its schema registry) as the backend. */
export async function openKafkaBackend(options: KafkaBackendOptions): Promise<Backend & { readonly schemaRegistry: SchemaRegistry }> {
  const config = options.config ?? {};
  const brokers = options.bootstrapServers.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (brokers.length === 0) throw new BackendError('--bootstrap-server needs host:port');
  let broker: Broker;
  try {
    // Loaded on demand: kafkajs costs every start of the embedded default a tenth of a second.
    const { createKafkaBroker } = await import('../broker/kafka/index.js');
    broker = await createKafkaBroker({
      brokers,
      clientId: config['client.id'] ?? 'ksqlite',
      ...kafkaSecurity(config),
      connectionTimeoutMs: options.connectionTimeoutMs ?? 10_000,
    });
  } catch (err) {
    throw new BackendError(messageOf(err));
  }
  const url = options.schemaRegistryUrl ?? config['schema.registry.url'];
  const auth = config['basic.auth.user.info'] ?? config['schema.registry.basic.auth.user.info'];
  const schemaRegistry = url
    ? createRemoteRegistry({
        url,
        ...(auth ? { auth: { username: auth.slice(0, auth.indexOf(':')), password: auth.slice(auth.indexOf(':') + 1) } } : {}),
      })
    : noRegistry();
  return {
    broker,
    kind: 'kafka',
    location: `Kafka at ${brokers.join(',')}${url ? `, schema registry ${url}` : ''}`,
    schemaRegistry,
    settings: maskSecrets({
      ...config,
      'ksql.streams.bootstrap.servers': brokers.join(','),
      ...(url ? { 'ksql.schema.registry.url': url } : {}),
    }),
    close: () => broker.close(),
  };
}

/** Without a schema registry, formats that need one say so. */
function noRegistry(): SchemaRegistry {
  const fail = async (): Promise<never> => {
    throw new SchemaRegistryError(
      'AVRO, PROTOBUF and JSON_SR need a schema registry: pass --schema-registry-url (or set KSQLITE_SCHEMA_REGISTRY_URL).',
    );
  };
  return {
    register: fail,
    getById: fail,
    getLatest: fail,
    getVersion: fail,
    listSubjects: async () => [],
    listVersions: fail,
    deleteSubject: fail,
    getByIdCached: () => undefined,
    getLatestCached: () => undefined,
  };
}

/** kafkajs ssl/sasl settings from Java-style client properties. */
export function kafkaSecurity(config: Readonly<Record<string, string>>): { ssl?: unknown; sasl?: unknown } {
  const protocol = (config['security.protocol'] ?? 'PLAINTEXT').toUpperCase();
  const out: { ssl?: unknown; sasl?: unknown } = {};
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    const ca = config['ssl.ca.location'];
    const cert = config['ssl.certificate.location'];
    const key = config['ssl.key.location'];
    out.ssl =
      ca || cert || key
        ? {
            ...(ca ? { ca: [fs.readFileSync(ca, 'utf8')] } : {}),
            ...(cert ? { cert: fs.readFileSync(cert, 'utf8') } : {}),
            ...(key ? { key: fs.readFileSync(key, 'utf8') } : {}),
            ...(config['ssl.key.password'] ? { passphrase: config['ssl.key.password'] } : {}),
          }
        : true;
  }
  if (protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') {
    const mechanism = (config['sasl.mechanism'] ?? 'PLAIN').toLowerCase();
    const jaas = config['sasl.jaas.config'] ?? '';
    const username = config['sasl.username'] ?? /username\s*=\s*"([^"]*)"/.exec(jaas)?.[1];
    const password = config['sasl.password'] ?? /password\s*=\s*"([^"]*)"/.exec(jaas)?.[1];
    if (username === undefined || password === undefined) {
      throw new BackendError(`security.protocol=${protocol} needs a username and password (sasl.jaas.config, or sasl.username and sasl.password)`);
    }
    out.sasl = { mechanism, username, password };
  }
  return out;
}

/** Java-style .properties text: key=value or key: value lines, # and ! comments, \ continuations. */
export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = (lines[i] as string).trimStart();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + (lines[++i] as string).trimStart();
    const m = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (m) out[m[1] as string] = (m[2] as string).trimEnd();
    else out[line.trim()] = '';
  }
  return out;
}

/** Settings whose values are secrets: shown as [hidden] wherever printed. */
export function maskSecrets(config: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) out[k] = /password|secret|jaas|user\.info|token|credentials/i.test(k) ? '[hidden]' : v;
  return out;
}
