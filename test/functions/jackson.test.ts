import { arrayElements, parseJson, quoteJson, writeJson, JsonParseError } from '../../src/functions/jackson.js';

describe('parseJson', () => {
  it('reads the first value and keeps number text', () => {
    expect(writeJson(parseJson(' {"a": [1, 2.50, -0, 1e2, true, null, "x"]} trailing')!)).toBe('{"a":[1,2.50,0,1E+2,true,null,"x"]}');
    expect(writeJson(parseJson('[1e2, 0.000000001]')!, true)).toBe('[100,0.000000001]');
    expect(writeJson(parseJson('[0.000000001]')!)).toBe('[1E-9]');
  });

  it('treats empty input as no value', () => {
    expect(parseJson('')).toBeUndefined();
    expect(parseJson(' \n')).toBeUndefined();
  });

  it('keeps the last of duplicate keys in the first position', () => {
    expect(writeJson(parseJson('{"a": 1, "b": 2, "a": 3}')!)).toBe('{"a":3,"b":2}');
  });

  it('rejects what Jackson rejects', () => {
    for (const bad of ['01', '1x', '[1,]', '{"a" 1}', "'a'", 'tru', 'nullx', '"\u0001"', '[1', '"\\q"']) {
      expect(() => parseJson(bad)).toThrow(JsonParseError);
    }
  });

  it('decodes escapes', () => {
    expect(parseJson('"\\u0041\\n\\/"')).toEqual({ t: 'string', value: 'A\n/' });
  });
});

describe('arrayElements', () => {
  it('yields elements lazily', () => {
    const it = arrayElements('[1, {"a": [2]}, oops');
    expect(it.next().value).toEqual({ t: 'number', text: '1', integral: true });
    expect(it.next().value).toMatchObject({ t: 'object' });
    expect(() => it.next()).toThrow(JsonParseError);
  });
});

describe('quoteJson', () => {
  it('escapes as Jackson does', () => {
    expect(quoteJson('a"\\\b\f\n\r\t\u001f/é\u2028')).toBe('"a\\"\\\\\\b\\f\\n\\r\\t\\u001F/é\u2028"');
  });
});
