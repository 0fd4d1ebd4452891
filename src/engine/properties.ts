/**
 * Session properties (SET / UNSET / SHOW PROPERTIES): ksqlDB's names, defaults
 * and validation. Values are strings, as ksqlDB's CLI keeps them.
 */
import { KsqlError } from './errors.js';

interface PropertyDef {
  readonly defaultValue: string;
  readonly scope: 'KSQL' | 'STREAMS' | 'CONSUMER' | 'PRODUCER';
  /** Allowed values, lower-cased; absent means any. */
  readonly oneOf?: readonly string[];
  readonly kind?: 'boolean' | 'integer';
}

const KSQL = 'KSQL' as const;

/** The properties ksqlite knows, with the defaults ksqlDB 0.29 has. */
export const PROPERTY_DEFS: Readonly<Record<string, PropertyDef>> = {
  'auto.offset.reset': { defaultValue: 'latest', scope: 'CONSUMER', oneOf: ['latest', 'earliest', 'none'] },
  'commit.interval.ms': { defaultValue: '2000', scope: 'STREAMS', kind: 'integer' },
  'cache.max.bytes.buffering': { defaultValue: '10000000', scope: 'STREAMS', kind: 'integer' },
  'processing.guarantee': { defaultValue: 'at_least_once', scope: 'STREAMS', oneOf: ['at_least_once', 'exactly_once', 'exactly_once_beta', 'exactly_once_v2'] },
  'num.stream.threads': { defaultValue: '4', scope: 'STREAMS', kind: 'integer' },
  'ksql.service.id': { defaultValue: 'default_', scope: KSQL },
  'ksql.persistent.prefix': { defaultValue: 'query_', scope: KSQL },
  'ksql.output.topic.name.prefix': { defaultValue: '', scope: KSQL },
  'ksql.sink.partitions': { defaultValue: '', scope: KSQL },
  'ksql.sink.replicas': { defaultValue: '', scope: KSQL },
  'ksql.persistence.default.format.key': { defaultValue: 'KAFKA', scope: KSQL },
  'ksql.persistence.default.format.value': { defaultValue: '', scope: KSQL },
  'ksql.persistence.wrap.single.values': { defaultValue: '', scope: KSQL, oneOf: ['', 'true', 'false'] },
  // Unset by default: ksqlite then keeps the lenient (new planner) behaviour for keyless projections.
  'ksql.new.query.planner.enabled': { defaultValue: '', scope: KSQL, oneOf: ['', 'true', 'false'] },
  'ksql.create.or.replace.enabled': { defaultValue: 'true', scope: KSQL, kind: 'boolean' },
  'ksql.headers.columns.enabled': { defaultValue: 'true', scope: KSQL, kind: 'boolean' },
  'ksql.rowpartition.rowoffset.enabled': { defaultValue: 'true', scope: KSQL, kind: 'boolean' },
  'ksql.timestamp.throw.on.invalid': { defaultValue: 'false', scope: KSQL, kind: 'boolean' },
  'ksql.windowed.session.key.legacy': { defaultValue: 'false', scope: KSQL, kind: 'boolean' },
  'ksql.query.pull.table.scan.enabled': { defaultValue: 'true', scope: KSQL, kind: 'boolean' },
  'ksql.variable.substitution.enable': { defaultValue: 'true', scope: KSQL, kind: 'boolean' },
  'ksql.functions.collect_list.limit': { defaultValue: '1000', scope: KSQL, kind: 'integer' },
  'ksql.functions.collect_set.limit': { defaultValue: '1000', scope: KSQL, kind: 'integer' },
  'ksql.functions.substring.legacy.args': { defaultValue: 'false', scope: KSQL, kind: 'boolean' },
  'ksql.suppress.enabled': { defaultValue: 'true', scope: KSQL, kind: 'boolean' },
  'ksql.query.persistent.active.limit': { defaultValue: '2147483647', scope: KSQL, kind: 'integer' },
  'ksql.schema.registry.url': { defaultValue: '', scope: KSQL },
  'ksql.streams.bootstrap.servers': { defaultValue: '', scope: KSQL },
  'use.exact.numeric.comparison': { defaultValue: 'true', scope: KSQL, kind: 'boolean' },
};

/** Kafka client and streams settings ksqlDB passes through (a sample of the common ones). */
const CLIENT_PROPERTIES = new Set([
  'max.poll.records',
  'fetch.min.bytes',
  'fetch.max.wait.ms',
  'session.timeout.ms',
  'heartbeat.interval.ms',
  'max.poll.interval.ms',
  'isolation.level',
  'linger.ms',
  'batch.size',
  'acks',
  'compression.type',
  'buffer.memory',
  'max.request.size',
  'request.timeout.ms',
  'retries',
  'client.id',
  'replication.factor',
  'state.dir',
  'topology.optimization',
  'default.deserialization.exception.handler',
  'default.production.exception.handler',
]);

export function isKnownProperty(name: string): boolean {
  return (
    name in PROPERTY_DEFS ||
    name.startsWith('ksql.') ||
    CLIENT_PROPERTIES.has(name) ||
    /^(consumer|producer|admin|main\.consumer|restore\.consumer|global\.consumer|topic)\./.test(name)
  );
}

/** Checks a SET: the property must be one ksqlDB recognizes and the value valid for it. */
export function validateProperty(name: string, value: string): void {
  if (!isKnownProperty(name)) {
    throw new KsqlError(`Not recognizable as ksql, streams, consumer, or producer property: '${name}'`);
  }
  const def = PROPERTY_DEFS[name];
  if (!def) return;
  const v = value.trim().toLowerCase();
  if (def.oneOf && !def.oneOf.includes(v)) {
    throw new KsqlError(
      `Invalid value ${value} for configuration ${name}: String must be one of: ${def.oneOf.filter((x) => x).join(', ')}`,
    );
  }
  if (def.kind === 'boolean' && v !== 'true' && v !== 'false') {
    throw new KsqlError(`Invalid value ${value} for configuration ${name}: Expected value to be either true or false`);
  }
  if (def.kind === 'integer' && !/^-?\d+$/.test(v)) {
    throw new KsqlError(`Invalid value ${value} for configuration ${name}: Not a number of type INT`);
  }
}

/**
 * The properties of one session: defaults (possibly overridden at start, "server"
 * level) plus what SET changed in this session.
 */
export class SessionProperties {
  private readonly server = new Map<string, string>();
  private readonly session = new Map<string, string>();

  constructor(serverOverrides: Readonly<Record<string, string>> = {}) {
    for (const [name, def] of Object.entries(PROPERTY_DEFS)) this.server.set(name, def.defaultValue);
    for (const [name, value] of Object.entries(serverOverrides)) this.server.set(name, String(value));
  }

  get(name: string): string | undefined {
    return this.session.get(name) ?? this.server.get(name);
  }

  getBoolean(name: string): boolean {
    return (this.get(name) ?? '').trim().toLowerCase() === 'true';
  }

  /** A property's integer value, or undefined when unset or blank. */
  getInteger(name: string): number | undefined {
    const v = (this.get(name) ?? '').trim();
    return v === '' ? undefined : Number.parseInt(v, 10);
  }

  /** SET: returns the previous effective value. */
  set(name: string, value: string): string | undefined {
    validateProperty(name, value);
    const old = this.get(name);
    this.session.set(name, value);
    return old;
  }

  /** UNSET: returns the value the session had, if any. */
  unset(name: string): string | undefined {
    const old = this.session.get(name);
    this.session.delete(name);
    return old;
  }

  /** What SET changed in this session. */
  overrides(): Record<string, string> {
    return Object.fromEntries(this.session);
  }

  /** Replaces the session's overrides wholesale (replaying a logged command). */
  replaceOverrides(overrides: Readonly<Record<string, string>>): void {
    this.session.clear();
    for (const [k, v] of Object.entries(overrides)) this.session.set(k, v);
  }

  /** A copy of every effective value, session overrides applied. */
  snapshot(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.server) out[k] = v;
    for (const [k, v] of this.session) out[k] = v;
    return out;
  }

  /** The rows of SHOW PROPERTIES. */
  list(): { name: string; scope: string; level: 'SERVER' | 'SESSION'; defaultOverride?: string; value: string }[] {
    const names = new Set([...this.server.keys(), ...this.session.keys()]);
    return [...names].sort().map((name) => {
      const sessionValue = this.session.get(name);
      const scope = PROPERTY_DEFS[name]?.scope ?? (name.startsWith('ksql.') ? KSQL : 'STREAMS');
      return sessionValue === undefined
        ? { name, scope, level: 'SERVER' as const, value: this.server.get(name) ?? '' }
        : { name, scope, level: 'SESSION' as const, defaultOverride: sessionValue, value: sessionValue };
    });
  }
}
