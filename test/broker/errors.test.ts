import * as errors from '../../src/broker/errors.js';

const { BrokerError } = errors;

describe('broker errors', () => {
  test('every error class is a BrokerError named after itself', () => {
    const classes = Object.entries(errors).filter(([, v]) => typeof v === 'function') as Array<
      [string, new (...args: never[]) => Error]
    >;
    expect(classes.length).toBeGreaterThan(10);
    for (const [name, Cls] of classes) {
      const e = new (Cls as unknown as new (...args: unknown[]) => errors.BrokerError)('t', 0, 0, { beginning: 0, end: 0 });
      expect(e).toBeInstanceOf(Error);
      expect(e).toBeInstanceOf(BrokerError);
      expect(e.name).toBe(name);
      expect(typeof e.retriable).toBe('boolean');
    }
  });

  test('only what Kafka retries is retriable', () => {
    expect(new errors.UnknownTopicError('t').retriable).toBe(true);
    expect(new errors.TopicExistsError('t').retriable).toBe(false);
    expect(new errors.OffsetOutOfRangeError('t', 0, 9, { beginning: 0, end: 1 }).retriable).toBe(false);
    expect(new errors.ProducerFencedError('tx').retriable).toBe(false);
    expect(new BrokerError('x').retriable).toBe(false);
    expect(new BrokerError('x', { retriable: true }).retriable).toBe(true);
  });

  test('messages say what and where; causes are kept', () => {
    expect(new errors.UnknownPartitionError('orders', 7).message).toBe("Topic 'orders' has no partition 7");
    expect(new errors.OffsetOutOfRangeError('orders', 1, 9, { beginning: 2, end: 5 }).message).toBe(
      'Offset 9 is out of range [2, 5] for orders-1',
    );
    const cause = new Error('socket hang up');
    expect(new BrokerError('fetch failed', { retriable: true, cause }).cause).toBe(cause);
  });
});
