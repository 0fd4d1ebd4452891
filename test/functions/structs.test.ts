import { FUNCTIONS } from '../../src/functions/structs.js';
import { registry } from './calls.js';

describe('struct functions', () => {
  it('are syntax in ksqlDB, not built-in functions', () => {
    expect(FUNCTIONS).toEqual([]);
    expect(registry.has('STRUCT')).toBe(false);
  });
});
