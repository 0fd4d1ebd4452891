import { parseDurationProperty } from '../../src/planner/properties.js';

describe('duration properties (WINDOW_SIZE)', () => {
  test('a number and a time unit: singular or plural, any case', () => {
    expect(parseDurationProperty('WINDOW_SIZE', '30 seconds')).toBe(30_000);
    expect(parseDurationProperty('WINDOW_SIZE', '30 SECONDS')).toBe(30_000);
    expect(parseDurationProperty('WINDOW_SIZE', '1 Second')).toBe(1_000);
    expect(parseDurationProperty('WINDOW_SIZE', ' 2 minutes ')).toBe(120_000);
    expect(parseDurationProperty('WINDOW_SIZE', '5 MILLISECONDS')).toBe(5);
    expect(parseDurationProperty('WINDOW_SIZE', '1 hour')).toBe(3_600_000);
    expect(parseDurationProperty('WINDOW_SIZE', '3 Days')).toBe(259_200_000);
  });

  test('anything else names the property and the expected form', () => {
    for (const bad of ['30', 'seconds', '30 fortnights', '-1 SECONDS', '1.5 SECONDS']) {
      expect(() => parseDurationProperty('WINDOW_SIZE', bad)).toThrow(`Invalid duration: '${bad}' for WINDOW_SIZE.`);
    }
  });
});
