/**
 * `ksqlite produce` below the CLI: lines cut from chunks at any byte, keys split
 * off at the delimiter (lines without one have no key), bad lines reported by
 * number and skipped while the rest goes in.
 */
import { createMemoryBroker, type Broker } from '../../src/broker/index.js';
import { produceBytes } from '../../src/engine/index.js';

const decoder = new TextDecoder();

async function records(broker: Broker, topic: string): Promise<string[]> {
  return (await broker.fetch(topic, 0, 0, 1000)).map(
    (r) => `${r.key === null ? '-' : decoder.decode(r.key)} ${r.value === null ? '-' : decoder.decode(r.value)}`,
  );
}

/** The text in chunks of `size` bytes (cutting lines and characters anywhere). */
async function* chunked(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const text = 'k1\t{"A":1}\n{"A":2}\n{"A":3}\r\nk4\t{"A":"é4"}\n\n  \n{"A":5}\nk6\t{"A":6}';

test.each([1, 2, 3, 7, 1000])('lines and keys come out the same whatever the chunk size (%i bytes)', async (size) => {
  const broker = createMemoryBroker();
  const report = await produceBytes(broker, 't', chunked(text, size));
  expect(report).toEqual({ topic: 't', produced: 6, skipped: 0, createdTopic: true });
  expect(await records(broker, 't')).toEqual(['k1 {"A":1}', '- {"A":2}', '- {"A":3}', 'k4 {"A":"é4"}', '- {"A":5}', 'k6 {"A":6}']);
  await broker.close();
});

test('a line that is not JSON is reported with its number and skipped', async () => {
  const broker = createMemoryBroker();
  const bad: string[] = [];
  const report = await produceBytes(broker, 't', chunked('{"A":1}\nnot json\nk\t{"A":3\n{"A":4}\n', 5), {
    onBadLine: (line, reason) => bad.push(`${line}: ${reason.slice(0, 8)}`),
  });
  expect(report.produced).toBe(2);
  expect(report.skipped).toBe(2);
  expect(bad).toEqual(['2: not JSON', '3: not JSON']);
  expect(await records(broker, 't')).toEqual(['- {"A":1}', '- {"A":4}']);
  await broker.close();
});

test('--key-field takes the key from the JSON value; an empty delimiter keeps tabs in values', async () => {
  const broker = createMemoryBroker();
  await produceBytes(broker, 'a', chunked('{"ID":7,"V":"x"}\n{"V":"y"}\n', 4), { keyField: 'ID' });
  expect(await records(broker, 'a')).toEqual(['7 {"ID":7,"V":"x"}', '- {"V":"y"}']);
  await produceBytes(broker, 'b', chunked('a\tb\n', 2), { keyDelimiter: '', format: 'kafka' });
  expect(await records(broker, 'b')).toEqual(['- a\tb']);
  await broker.close();
});
