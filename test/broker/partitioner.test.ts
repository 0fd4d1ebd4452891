import { createRequire } from 'node:module';
import fc from 'fast-check';
import {
  createDefaultPartitioner,
  murmur2,
  partitionForKey,
  toPositive,
} from '../../src/broker/partitioner.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

// kafkajs's Java-compatible murmur2 (its DefaultPartitioner), as an independent oracle.
const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (
  key: Buffer,
) => number;

describe('murmur2', () => {
  // org.apache.kafka.common.utils.UtilsTest#testMurmur2
  test.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('Kafka UtilsTest vector %s', (key, hash) => {
    expect(murmur2(utf8(key))).toBe(hash);
  });

  // kafkajs default partitioner spec (generated with Java's Utils.murmur2)
  test.each([
    ['0', 971027396],
    ['1', -1993445489],
    ['128', -326012175],
    ['2187', -1508407203],
    ['16384', -325739742],
    ['78125', -1654490814],
    ['279936', 1462227128],
    ['823543', -2014198330],
    ['2097152', 607668903],
    ['4782969', -1182699775],
    ['10000000', -1830336757],
    ['19487171', -1603849305],
    ['35831808', -857013643],
    ['62748517', -1167431028],
    ['105413504', -381294639],
    ['170859375', -1658323481],
    ['100:48069', 1009543857],
  ])('kafkajs vector %s', (key, hash) => {
    expect(murmur2(utf8(key))).toBe(hash);
  });

  // librdkafka's rdmurmur2 unit test (every tail length, and the empty key)
  test.each([
    ['kafka', 0xd067cf64 | 0],
    ['giberish123456789', 0x8f552b0c | 0],
    ['1234', 0x9fc97b14 | 0],
    ['234', 0xe7c009ca | 0],
    ['34', 0x873930da | 0],
    ['4', 0x5a4b5ca1 | 0],
    ['PreAmbleWillBeRemoved,ThePrePartThatIs', 0x78424f1c | 0],
    ['reAmbleWillBeRemoved,ThePrePartThatIs', 0x4a62b377 | 0],
    ['eAmbleWillBeRemoved,ThePrePartThatIs', 0xe0e4e09e | 0],
    ['AmbleWillBeRemoved,ThePrePartThatIs', 0x62b8b43f | 0],
    ['', 0x106e08d9 | 0],
  ])('librdkafka vector %j', (key, hash) => {
    expect(murmur2(utf8(key))).toBe(hash);
  });

  test('returns a signed 32-bit integer, like Java', () => {
    const h = murmur2(utf8('foobar'));
    expect(h).toBe(h | 0);
    expect(h).toBeLessThan(0);
  });

  test('hashes a subarray by its own bytes, not the underlying buffer', () => {
    const whole = utf8('xxfoobaryy');
    expect(murmur2(whole.subarray(2, 8))).toBe(murmur2(utf8('foobar')));
  });

  test('agrees with kafkajs on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(murmur2(bytes)).toBe(kafkajsMurmur2(Buffer.from(bytes)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('partitionForKey', () => {
  test('is toPositive(murmur2) % partitions', () => {
    // murmur2('foobar') = -790332482; & 0x7fffffff = 1357151166
    expect(toPositive(-790332482)).toBe(1357151166);
    expect(partitionForKey(utf8('foobar'), 6)).toBe(1357151166 % 6);
    expect(partitionForKey(utf8('21'), 3)).toBe(toPositive(-973932308) % 3);
  });

  test('toPositive clears the sign bit rather than negating', () => {
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(5)).toBe(5);
  });

  test('always lands inside the topic', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), fc.integer({ min: 1, max: 1000 }), (key, n) => {
        const p = partitionForKey(key, n);
        expect(Number.isInteger(p) && p >= 0 && p < n).toBe(true);
      }),
    );
  });
});

describe('createDefaultPartitioner', () => {
  test('keyed records follow murmur2 whatever came before', () => {
    const partition = createDefaultPartitioner();
    const key = utf8('customer-42');
    partition('t', null, 4);
    expect(partition('t', key, 4)).toBe(partitionForKey(key, 4));
    expect(partition('t', key, 4)).toBe(partitionForKey(key, 4));
  });

  test('null keys go round-robin from partition 0, counted per topic', () => {
    const partition = createDefaultPartitioner();
    expect([0, 1, 2, 3, 4].map(() => partition('a', null, 3))).toEqual([0, 1, 2, 0, 1]);
    expect(partition('b', null, 3)).toBe(0);
    partition('a', utf8('k'), 3); // keyed records do not advance the counter
    expect(partition('a', null, 3)).toBe(2);
  });

  test('separate partitioners keep separate counters', () => {
    const one = createDefaultPartitioner();
    const two = createDefaultPartitioner();
    one('t', null, 2);
    expect(two('t', null, 2)).toBe(0);
  });
});
