import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { INTEGER } from '../../src/schema/index.js';
import { SchemaRegistryError, createEmbeddedRegistry } from '../../src/serde/index.js';
import { createRemoteRegistry } from '../../src/serde/registry-remote.js';
import { col, serde } from './helpers.js';

/** A tiny Confluent-REST front over the embedded registry. */
function fakeServer(): Promise<{ url: string; close: () => Promise<void>; requests: string[] }> {
  const backing = createEmbeddedRegistry();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/vnd.schemaregistry.v1+json' });
        res.end(JSON.stringify(json));
      };
      try {
        const url = new URL(req.url!, 'http://x');
        const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
        if (req.method === 'POST' && parts[0] === 'subjects' && parts[2] === 'versions') {
          const b = JSON.parse(body);
          return reply(200, { id: await backing.register(parts[1], { schemaType: b.schemaType ?? 'AVRO', schema: b.schema }) });
        }
        if (parts[0] === 'schemas' && parts[1] === 'ids') {
          const s = await backing.getById(Number(parts[2]));
          return reply(200, s.schemaType === 'AVRO' ? { schema: s.schema } : { schema: s.schema, schemaType: s.schemaType });
        }
        if (parts[0] === 'subjects' && parts.length === 1) return reply(200, await backing.listSubjects());
        if (req.method === 'DELETE') return reply(200, await backing.deleteSubject(parts[1], url.searchParams.get('permanent') === 'true'));
        if (parts[2] === 'versions' && parts.length === 3) return reply(200, await backing.listVersions(parts[1]));
        if (parts[2] === 'versions') {
          const v = parts[3] === 'latest' ? await backing.getLatest(parts[1]) : await backing.getVersion(parts[1], Number(parts[3]));
          return reply(200, { subject: v.subject, version: v.version, id: v.id, schema: v.schema });
        }
        reply(404, { error_code: 404, message: 'HTTP 404 Not Found' });
      } catch (e) {
        const err = e as SchemaRegistryError;
        reply(404, { error_code: err.errorCode, message: err.message });
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        close: () => new Promise((r) => server.close(() => r())),
        requests,
      }),
    ),
  );
}

describe('remote schema registry (Confluent REST API)', () => {
  test('register, look up, cache, delete', async () => {
    const server = await fakeServer();
    try {
      const registry = createRemoteRegistry({ url: server.url, auth: { username: 'u', password: 'p' } });
      const id = await registry.register('t-value', { schemaType: 'AVRO', schema: '"int"' });
      expect(id).toBe(1);
      expect(registry.getByIdCached(id)).toMatchObject({ schema: '"int"', schemaType: 'AVRO' });
      expect(registry.getLatestCached('t-value')).toBeUndefined();
      expect(await registry.getLatest('t-value')).toMatchObject({ id: 1, version: 1, subject: 't-value' });
      expect(registry.getLatestCached('t-value')).toMatchObject({ id: 1 });
      expect(await registry.listSubjects()).toEqual(['t-value']);
      expect(await registry.listVersions('t-value')).toEqual([1]);
      await registry.register('j-value', { schemaType: 'JSON', schema: '{"type":"string"}' });
      const fresh = createRemoteRegistry({ url: server.url });
      expect(fresh.getByIdCached(2)).toBeUndefined();
      expect(await fresh.getById(2)).toMatchObject({ schemaType: 'JSON' });
      expect(fresh.getByIdCached(2)).toBeDefined();
      expect(await registry.deleteSubject('t-value')).toEqual([1]);
      await expect(registry.getLatest('t-value')).rejects.toMatchObject({ errorCode: 40401 });
      expect(server.requests[0]).toMatch(/^POST \/subjects\/t-value\/versions Basic dTpw$/);
    } finally {
      await server.close();
    }
  });

  test('an AVRO serde works over it', async () => {
    const server = await fakeServer();
    try {
      const registry = createRemoteRegistry({ url: server.url });
      const writer = await serde({ format: 'AVRO', columns: [col('A', INTEGER)], registry, topic: 'x' });
      const bytes = writer.serialize([5], 't');
      const reader = await serde({ format: 'AVRO', columns: [col('A', INTEGER)], registry: createRemoteRegistry({ url: server.url }), sink: false });
      expect(() => reader.deserialize(bytes, 't')).toThrow(expect.objectContaining({ retriable: true, schemaId: 1 }));
    } finally {
      await server.close();
    }
  });

  test('unreachable registries are retriable errors', async () => {
    const registry = createRemoteRegistry({ url: 'http://127.0.0.1:1' });
    await expect(registry.getById(1)).rejects.toMatchObject({ retriable: true });
    await expect(registry.getById(1)).rejects.toBeInstanceOf(SchemaRegistryError);
  });
});
