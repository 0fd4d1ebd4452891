import { fn, resolve, t } from './calls.js';

describe('AS_VALUE', () => {
  it('is the identity, typed like its argument', () => {
    expect(resolve('AS_VALUE', 'BIGINT').returnType).toEqual(t('BIGINT'));
    expect(fn('AS_VALUE', 'STRING')('k')).toBe('k');
    expect(fn('AS_VALUE', 'STRING')(null)).toBeNull();
  });
});
