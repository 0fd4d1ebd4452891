/**
 * A SchemaRegistry over a Confluent-compatible Schema Registry's REST API (Confluent, Karapace,
 * Redpanda, Apicurio's ccompat API), for the Kafka backend. Schemas by id are cached forever
 * (they never change); a subject's latest version is cached from the last lookup or register.
 */
import { SchemaRegistryError } from './errors.js';
import type { RegisteredSchema, SchemaDefinition, SchemaRegistry, SchemaType, SubjectVersion } from './registry.js';

export interface RemoteRegistryOptions {
  /** Base URL, e.g. http://localhost:8081 */
  readonly url: string;
  /** HTTP basic auth (basic.auth.user.info). */
  readonly auth?: { readonly username: string; readonly password: string };
  readonly headers?: Readonly<Record<string, string>>;
  /** For tests or proxies; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

interface SchemaResponse {
  id?: number;
  subject?: string;
  version?: number;
  schema: string;
  schemaType?: SchemaType;
  references?: { name: string; subject: string; version: number }[];
}

export function createRemoteRegistry(options: RemoteRegistryOptions): SchemaRegistry {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = { Accept: CONTENT_TYPE, ...options.headers };
  if (options.auth) {
    headers.Authorization = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
  }
  const byId = new Map<number, RegisteredSchema>();
  const latest = new Map<string, SubjectVersion>();

  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers: body === undefined ? headers : { ...headers, 'Content-Type': CONTENT_TYPE },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new SchemaRegistryError(`Schema registry at ${base} is unreachable: ${(e as Error).message}`, undefined, {
        retriable: true,
        cause: e,
      });
    }
    const text = await response.text();
    if (!response.ok) {
      let code: number | undefined;
      let message = text;
      try {
        const error = JSON.parse(text) as { error_code?: number; message?: string };
        code = error.error_code;
        message = error.message ?? text;
      } catch {
        // not JSON
      }
      throw new SchemaRegistryError(`${message} (HTTP ${response.status})`, code ?? response.status, {
        retriable: response.status >= 500 || response.status === 429,
      });
    }
    return JSON.parse(text) as T;
  };

  const enc = encodeURIComponent;
  const toRegistered = (id: number, r: SchemaResponse): RegisteredSchema => {
    const schema: RegisteredSchema = {
      id,
      schemaType: r.schemaType ?? 'AVRO',
      schema: r.schema,
      ...(r.references && r.references.length > 0 ? { references: r.references } : {}),
    };
    return Object.freeze(schema);
  };
  const remember = (subject: string, r: SchemaResponse): SubjectVersion => {
    const registered = toRegistered(r.id!, r);
    byId.set(registered.id, registered);
    const version: SubjectVersion = Object.freeze({ ...registered, subject, version: r.version! });
    const known = latest.get(subject);
    if (!known || known.version <= version.version) latest.set(subject, version);
    return version;
  };

  return {
    async register(subject, definition: SchemaDefinition) {
      const body: Record<string, unknown> = { schema: definition.schema };
      if (definition.schemaType !== 'AVRO') body.schemaType = definition.schemaType;
      if (definition.references && definition.references.length > 0) body.references = definition.references;
      const { id } = await call<{ id: number }>('POST', `/subjects/${enc(subject)}/versions`, body);
      if (!byId.has(id)) byId.set(id, Object.freeze({ id, ...definition }));
      latest.delete(subject);
      return id;
    },
    async getById(id) {
      const cached = byId.get(id);
      if (cached) return cached;
      const r = await call<SchemaResponse>('GET', `/schemas/ids/${id}`);
      const registered = toRegistered(id, r);
      byId.set(id, registered);
      return registered;
    },
    async getLatest(subject) {
      return remember(subject, await call<SchemaResponse>('GET', `/subjects/${enc(subject)}/versions/latest`));
    },
    async getVersion(subject, version) {
      return remember(subject, await call<SchemaResponse>('GET', `/subjects/${enc(subject)}/versions/${version}`));
    },
    async listSubjects() {
      return call<string[]>('GET', '/subjects');
    },
    async listVersions(subject) {
      return call<number[]>('GET', `/subjects/${enc(subject)}/versions`);
    },
    async deleteSubject(subject, permanent = false) {
      latest.delete(subject);
      return call<number[]>('DELETE', `/subjects/${enc(subject)}${permanent ? '?permanent=true' : ''}`);
    },
    getByIdCached(id) {
      return byId.get(id);
    },
    getLatestCached(subject) {
      return latest.get(subject);
    },
  };
}
