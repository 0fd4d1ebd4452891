import { FunctionValueError } from '../../src/functions/index.js';
import { fn } from './calls.js';

function orNull(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    if (e instanceof FunctionValueError) return null;
    throw e;
  }
}

const extract = (name: string) => fn(name, 'STRING');

describe('URL functions (url.json)', () => {
  it('encodes and decodes form parameters', () => {
    const encode = fn('URL_ENCODE_PARAM', 'STRING');
    expect(encode('?foo $bar')).toBe('%3Ffoo+%24bar');
    expect(encode('hello&world')).toBe('hello%26world');
    expect(encode('nothing')).toBe('nothing');
    expect(encode('é*~')).toBe('%C3%A9*%7E');
    const decode = fn('URL_DECODE_PARAM', 'STRING');
    expect(decode('url%20encoded')).toBe('url encoded');
    expect(decode('a+b%C3%A9')).toBe('a bé');
    expect(orNull(() => decode('bad%zz'))).toBeNull();
    expect(orNull(() => decode('bad%2'))).toBeNull();
  });

  it('extracts the fragment', () => {
    expect(extract('URL_EXTRACT_FRAGMENT')('http://www.test.com/?query#fragment')).toBe('fragment');
    expect(extract('URL_EXTRACT_FRAGMENT')('http://www.nofragment.com')).toBeNull();
    expect(extract('URL_EXTRACT_FRAGMENT')('http://test.com#frag%20space')).toBe('frag space');
  });

  it('extracts a decoded parameter', () => {
    const param = fn('URL_EXTRACT_PARAMETER', 'STRING', 'STRING');
    expect(fn('URL_DECODE_PARAM', 'STRING')(param('http://www.test.com/?one=a&two=url%20encoded', 'two'))).toBe('url encoded');
    expect(param('http://test.com?a%20b=c%20d', 'a b')).toBe('c d');
    expect(param('http://test.com?a=foo&b=bar', 'b')).toBe('bar');
    expect(param('http://test.com?a&b=bar', 'a')).toBe('');
    expect(param('http://test.com?a=foo', 'c')).toBeNull();
    expect(param('http://test.com', 'a')).toBeNull();
  });

  it('extracts the path', () => {
    const path = extract('URL_EXTRACT_PATH');
    expect(path('http://www.test.com?query#fragment')).toBe('');
    expect(path('http://www.test.com/path?query')).toBe('/path');
    expect(path('http://test@confluent.io:8080/nested/path?query&jobs')).toBe('/nested/path');
    expect(path('mailto:someone@example.com')).toBeNull();
  });

  it('extracts the port', () => {
    const port = extract('URL_EXTRACT_PORT');
    expect(port('http://test@confluent.io')).toBeNull();
    expect(port('http://test@confluent.io:8080/nested/path?query&jobs')).toBe(8080);
  });

  it('extracts the protocol, host and query', () => {
    const protocol = extract('URL_EXTRACT_PROTOCOL');
    expect(protocol('http://test@confluent.io')).toBe('http');
    expect(protocol('https://test@confluent.io:8080/nested/path?query&jobs')).toBe('https');
    expect(protocol('www.confluent.io')).toBeNull();
    expect(extract('URL_EXTRACT_HOST')('http://test.com:8080/path')).toBe('test.com');
    expect(extract('URL_EXTRACT_HOST')('http://my_host.com/path')).toBeNull();
    expect(extract('URL_EXTRACT_QUERY')('http://test.com?a=foo%20bar&b=baz')).toBe('a=foo bar&b=baz');
    expect(extract('URL_EXTRACT_QUERY')('http://test.com')).toBeNull();
  });

  it('fails for invalid URIs and returns NULL for NULL', () => {
    expect(orNull(() => extract('URL_EXTRACT_HOST')('http://a b.com'))).toBeNull();
    expect(orNull(() => extract('URL_EXTRACT_PATH')('http://x.com/%zz'))).toBeNull();
    expect(extract('URL_EXTRACT_HOST')(null)).toBeNull();
  });
});
