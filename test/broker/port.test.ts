import { CLEANUP_POLICY, isCompacted } from '../../src/broker/port.js';

describe('isCompacted', () => {
  test.each([
    [undefined, false],
    [{}, false],
    [{ [CLEANUP_POLICY]: 'delete' }, false],
    [{ [CLEANUP_POLICY]: 'compact' }, true],
    [{ [CLEANUP_POLICY]: 'compact,delete' }, true],
    [{ [CLEANUP_POLICY]: 'delete, compact' }, true],
    [{ 'cleanup.policy.x': 'compact' }, false],
  ])('%j -> %s', (config, expected) => {
    expect(isCompacted(config)).toBe(expected);
  });
});
