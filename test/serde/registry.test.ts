import {
  SchemaRegistryError,
  createEmbeddedRegistry,
  normalizeDefinition,
  subjectName,
  type RegistryEvent,
} from '../../src/serde/index.js';

const avro = (schema: unknown) => ({ schemaType: 'AVRO' as const, schema: JSON.stringify(schema) });

describe('embedded schema registry', () => {
  test('ids from 1, versions per subject, same schema same id', async () => {
    const r = createEmbeddedRegistry();
    const a = await r.register('t-value', avro({ type: 'record', name: 'A', fields: [] }));
    const b = await r.register('t-value', avro({ type: 'record', name: 'B', fields: [] }));
    const again = await r.register('t-value', avro({ type: 'record', name: 'A', fields: [] }));
    const elsewhere = await r.register('u-value', avro({ type: 'record', name: 'A', fields: [] }));
    expect([a, b, again, elsewhere]).toEqual([1, 2, 1, 1]);
    expect(await r.listVersions('t-value')).toEqual([1, 2]);
    expect(await r.listVersions('u-value')).toEqual([1]);
    expect((await r.getLatest('t-value')).id).toBe(2);
    expect(await r.getVersion('t-value', 1)).toMatchObject({ id: 1, subject: 't-value', version: 1, schemaType: 'AVRO' });
    expect(await r.listSubjects()).toEqual(['t-value', 'u-value']);
  });

  test('whitespace and {"type": "int"} do not make a different schema', async () => {
    const r = createEmbeddedRegistry();
    const a = await r.register('s', { schemaType: 'AVRO', schema: '{"type": "int"}' });
    const b = await r.register('s', { schemaType: 'AVRO', schema: ' "int" ' });
    expect(a).toBe(b);
    expect((await r.getById(a)).schema).toBe('"int"');
    // A different schema type is a different schema.
    const c = await r.register('s', { schemaType: 'JSON', schema: '"int"' });
    expect(c).not.toBe(a);
  });

  test('sync cached lookups', async () => {
    const r = createEmbeddedRegistry();
    const id = await r.register('t-key', avro('string'));
    expect(r.getByIdCached(id)).toMatchObject({ id, schema: '"string"' });
    expect(r.getByIdCached(99)).toBeUndefined();
    expect(r.getLatestCached('t-key')).toMatchObject({ id, version: 1 });
    expect(r.getLatestCached('nope')).toBeUndefined();
  });

  test('errors carry Confluent codes', async () => {
    const r = createEmbeddedRegistry();
    await expect(r.getById(5)).rejects.toMatchObject({ errorCode: 40403 });
    await expect(r.getLatest('x')).rejects.toMatchObject({ errorCode: 40401 });
    await r.register('x', avro('int'));
    await expect(r.getVersion('x', 7)).rejects.toMatchObject({ errorCode: 40402 });
    await expect(r.register('x', { schemaType: 'AVRO', schema: '{not json' })).rejects.toThrow(SchemaRegistryError);
  });

  test('soft and permanent deletes; ids stay resolvable', async () => {
    const r = createEmbeddedRegistry();
    const id = await r.register('x', avro('int'));
    await r.register('x', avro('long'));
    await expect(r.deleteSubject('x', true)).rejects.toMatchObject({ errorCode: 40405 });
    expect(await r.deleteSubject('x')).toEqual([1, 2]);
    await expect(r.getLatest('x')).rejects.toMatchObject({ errorCode: 40401 });
    expect(await r.listSubjects()).toEqual([]);
    expect((await r.getById(id)).schema).toBe('"int"');
    // Registering again continues the version numbers.
    await r.register('x', avro('int'));
    expect(await r.listVersions('x')).toEqual([3]);
    await r.deleteSubject('x');
    expect(await r.deleteSubject('x', true)).toEqual([1, 2, 3]);
    await expect(r.deleteSubject('x')).rejects.toMatchObject({ errorCode: 40401 });
  });

  test('state exports to JSON and imports back', async () => {
    const r = createEmbeddedRegistry();
    await r.register('a-value', avro('int'));
    await r.register('a-value', avro('long'));
    await r.register('b-key', { schemaType: 'JSON', schema: '{"type":"string"}', references: [{ name: 'n', subject: 's', version: 1 }] });
    await r.deleteSubject('a-value');
    const state = JSON.parse(JSON.stringify(r.exportState()));
    const copy = createEmbeddedRegistry(state);
    expect(copy.exportState()).toEqual(r.exportState());
    expect(await copy.listSubjects()).toEqual(['b-key']);
    expect((await copy.getLatest('b-key')).references).toEqual([{ name: 'n', subject: 's', version: 1 }]);
    expect(await copy.register('c', avro('double'))).toBe(4);
    const other = createEmbeddedRegistry();
    other.importState(state);
    expect(await other.listSubjects()).toEqual(['b-key']);
  });

  test('change events for persistence', async () => {
    const r = createEmbeddedRegistry();
    const events: RegistryEvent[] = [];
    const off = r.onChange((e) => events.push(e));
    await r.register('x', avro('int'));
    await r.register('x', avro('int'));
    await r.deleteSubject('x');
    off();
    await r.register('y', avro('int'));
    expect(events).toEqual([
      { type: 'register', subject: 'x', version: 1, id: 1 },
      { type: 'delete', subject: 'x', permanent: false },
    ]);
  });

  test('subject names and normalization', () => {
    expect(subjectName('orders', true)).toBe('orders-key');
    expect(subjectName('orders', false)).toBe('orders-value');
    expect(normalizeDefinition({ schemaType: 'PROTOBUF', schema: '  syntax = "proto3";\n' }).schema).toBe('syntax = "proto3";');
  });
});
