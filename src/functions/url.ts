/**
 * URL functions (ksqlDB's udf/url): components come from java.net.URI (RFC 2396, as Java parses
 * it: an invalid URI fails the call, the path, query and fragment are percent-decoded, the host
 * is not), parameters are encoded and decoded as application/x-www-form-urlencoded.
 */
import { decodeUtf8, encodeUtf8 } from './text.js';
import type { FunctionDefinition, ScalarFunctionDefinition, ScalarVariant } from './types.js';

export interface JavaUri {
  readonly scheme: string | null;
  readonly host: string | null;
  readonly port: number;
  /** Raw (still encoded) components; null when absent. */
  readonly rawPath: string | null;
  readonly rawQuery: string | null;
  readonly rawFragment: string | null;
}

class UriSyntaxError extends Error {
  override readonly name: string = 'URISyntaxException';
}

// Character sets of java.net.URI.
const ALPHANUM = 'A-Za-z0-9';
const UNRESERVED = `${ALPHANUM}\\-_.!~*'()`;
const RESERVED = `;/?:@&=+$,\\[\\]`;
/** "Other" characters: non-ASCII, neither control nor space. */
const OTHER = '\\u00A1-\\u167F\\u1681-\\u1FFF\\u200B-\\u2027\\u202A-\\u202E\\u2030-\\u205E\\u2060-\\u2FFF\\u3001-\\uFFFF';
const ESCAPED = '%[0-9A-Fa-f]{2}';

const URIC = new RegExp(`^(?:[${RESERVED}${UNRESERVED}${OTHER}]|${ESCAPED})*$`);
const PATH = new RegExp(`^(?:[${UNRESERVED}${OTHER}:@&=+$,;/]|${ESCAPED})*$`);
const USERINFO = new RegExp(`^(?:[${UNRESERVED}${OTHER};:&=+$,]|${ESCAPED})*$`);
const REG_NAME = new RegExp(`^(?:[${UNRESERVED}${OTHER}$,;:@&=+]|${ESCAPED})+$`);
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;
const HOSTNAME = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6 = /^\[[0-9A-Fa-f:.]+(%[A-Za-z0-9._~-]+)?\]$/;

function check(component: string, re: RegExp, what: string, input: string): void {
  if (!re.test(component)) {
    const bad = /%(?![0-9A-Fa-f]{2})/.test(component) ? 'Malformed escape pair' : `Illegal character in ${what}`;
    throw new UriSyntaxError(`${bad}: ${input}`);
  }
}

/** new URI(text), reduced to what the URL functions read. */
export function parseUri(input: string): JavaUri {
  let rest = input;
  let scheme: string | null = null;
  const colon = rest.search(/[:/?#]/);
  if (colon >= 0 && rest[colon] === ':') {
    if (colon === 0) throw new UriSyntaxError(`Expected scheme name at index 0: ${input}`);
    scheme = rest.slice(0, colon);
    if (!SCHEME.test(scheme)) throw new UriSyntaxError(`Illegal character in scheme name: ${input}`);
    rest = rest.slice(colon + 1);
    if (!rest.startsWith('/')) {
      // Opaque: mailto:someone@example.com; no host, path or query.
      const hash = rest.indexOf('#');
      const ssp = hash < 0 ? rest : rest.slice(0, hash);
      if (ssp === '') throw new UriSyntaxError(`Expected scheme-specific part: ${input}`);
      check(ssp, URIC, 'opaque part', input);
      const fragment = hash < 0 ? null : rest.slice(hash + 1);
      if (fragment !== null) check(fragment, URIC, 'fragment', input);
      return { scheme, host: null, port: -1, rawPath: null, rawQuery: null, rawFragment: fragment };
    }
  } else if (input === '') {
    return { scheme: null, host: null, port: -1, rawPath: '', rawQuery: null, rawFragment: null };
  }
  let fragment: string | null = null;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
    check(fragment, URIC, 'fragment', input);
  }
  let query: string | null = null;
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
    check(query, URIC, 'query', input);
  }
  let host: string | null = null;
  let port = -1;
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? '' : rest.slice(slash);
    ({ host, port } = parseAuthority(authority, input));
  }
  check(rest, PATH, 'path', input);
  return { scheme, host, port, rawPath: rest, rawQuery: query, rawFragment: fragment };
}

/** Server-based authority ([user@]host[:port]) if it parses as one, else a registry name (no host). */
function parseAuthority(authority: string, input: string): { host: string | null; port: number } {
  if (authority === '') return { host: null, port: -1 };
  const server = parseServer(authority);
  if (server !== undefined) return server;
  if (REG_NAME.test(authority)) return { host: null, port: -1 };
  throw new UriSyntaxError(`Illegal character in authority: ${input}`);
}

function parseServer(authority: string): { host: string; port: number } | undefined {
  let hostPort = authority;
  const at = authority.indexOf('@');
  if (at >= 0) {
    if (!USERINFO.test(authority.slice(0, at))) return undefined;
    hostPort = authority.slice(at + 1);
  }
  let host: string;
  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) return undefined;
    host = hostPort.slice(0, close + 1);
    if (!IPV6.test(host)) return undefined;
    const after = hostPort.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return undefined;
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const colon = hostPort.lastIndexOf(':');
    host = colon < 0 ? hostPort : hostPort.slice(0, colon);
    portText = colon < 0 ? undefined : hostPort.slice(colon + 1);
    const v4 = IPV4.exec(host);
    if (v4 !== null) {
      if (v4.slice(1).some((octet) => Number(octet) > 255)) return undefined;
    } else {
      // A qualified host name's last label must start with a letter.
      const labels = host.split('.').filter(Boolean);
      if (!HOSTNAME.test(host) || (labels.length > 1 && /^[0-9]/.test(labels[labels.length - 1]))) return undefined;
    }
  }
  if (host === '') return undefined;
  let port = -1;
  if (portText !== undefined && portText !== '') {
    if (!/^\d+$/.test(portText)) return undefined;
    port = Number(portText);
  }
  return { host, port };
}

/** URI's decode: %XX runs are UTF-8 bytes; nothing else changes. */
function decodeComponent(s: string | null): string | null {
  if (s === null || !s.includes('%')) return s;
  return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = Uint8Array.from(run.slice(1).split('%'), (h) => parseInt(h, 16));
    return decodeUtf8(bytes);
  });
}

function extract<T>(input: string, get: (uri: JavaUri) => T): T {
  let uri: JavaUri;
  try {
    uri = parseUri(input);
  } catch (e) {
    throw new Error(`URL input has invalid syntax: ${input}`, { cause: e });
  }
  return get(uri);
}

/** URLEncoder.encode(s, UTF-8). */
export function urlEncode(s: string): string {
  let out = '';
  for (const ch of s) {
    if (/[A-Za-z0-9.\-*_]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else for (const b of encodeUtf8(ch)) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** URLDecoder.decode(s, UTF-8). */
export function urlDecode(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '+') {
      out += ' ';
      i++;
    } else if (c === '%') {
      const bytes: number[] = [];
      while (i + 2 < s.length && s[i] === '%') {
        const hex = s.slice(i + 1, i + 3);
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new Error('URLDecoder: Illegal hex characters in escape (%) pattern');
        bytes.push(parseInt(hex, 16));
        i += 3;
      }
      if (i < s.length && s[i] === '%') throw new Error('URLDecoder: Incomplete trailing escape (%) pattern');
      out += decodeUtf8(Uint8Array.from(bytes));
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function urlFunction(name: string, description: string, variant: ScalarVariant): ScalarFunctionDefinition {
  return { kind: 'SCALAR', name, category: 'URL', description, variants: [variant] };
}

function extractor(name: string, description: string, returns: string, get: (uri: JavaUri) => unknown): ScalarFunctionDefinition {
  return urlFunction(name, description, {
    params: ['STRING'],
    paramNames: ['input'],
    returns,
    impl: (input: string) => extract(input, get),
  });
}

export const FUNCTIONS: FunctionDefinition[] = [
  urlFunction('url_decode_param', 'Decodes a previously encoded application/x-www-form-urlencoded String', {
    params: ['STRING'],
    paramNames: ['input'],
    returns: 'STRING',
    impl: urlDecode,
  }),
  urlFunction('url_encode_param', 'Encodes a string in the application/x-www-form-urlencoded format.', {
    params: ['STRING'],
    paramNames: ['input'],
    returns: 'STRING',
    impl: urlEncode,
  }),
  extractor('url_extract_fragment', 'Extracts the fragment of an application/x-www-form-urlencoded encoded String input', 'STRING', (u) =>
    decodeComponent(u.rawFragment),
  ),
  extractor('url_extract_host', 'Extracts the host-name of an application/x-www-form-urlencoded encoded String input', 'STRING', (u) => u.host),
  urlFunction(
    'url_extract_parameter',
    'Extracts a parameter with a specified name encoded inside an application/x-www-form-urlencoded String.',
    {
      params: ['STRING', 'STRING'],
      paramNames: ['input', 'paramToFind'],
      returns: 'STRING',
      impl: (input: string, paramToFind: string) => {
        const query = extract(input, (u) => decodeComponent(u.rawQuery));
        if (query === null) return null;
        for (const param of query.split('&')) {
          const eq = param.indexOf('=');
          const key = eq < 0 ? param : param.slice(0, eq);
          if (key === paramToFind) return eq < 0 ? '' : param.slice(eq + 1);
        }
        return null;
      },
    },
  ),
  extractor('url_extract_path', 'Extracts the path of an application/x-www-form-urlencoded encoded String input', 'STRING', (u) =>
    decodeComponent(u.rawPath),
  ),
  extractor(
    'url_extract_port',
    'Extracts the port from an application/x-www-form-urlencoded encoded String. If there is no port or the string is invalid, this will return null.',
    'INTEGER',
    (u) => (u.port < 0 ? null : u.port),
  ),
  extractor('url_extract_protocol', 'Extracts the protocol from an application/x-www-form-urlencoded encoded String input', 'STRING', (u) => u.scheme),
  extractor('url_extract_query', 'Extracts the query parameters of an application/x-www-form-urlencoded encoded String input, if it exists.', 'STRING', (u) =>
    decodeComponent(u.rawQuery),
  ),
];
