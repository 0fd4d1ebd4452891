/**
 * JSON functions (ksqlDB's udf/json). JSON text is read and written as ksqlDB's Jackson mapper
 * does (see jackson.ts); TO_JSON_STRING serializes any SQL value as ksqlDB's ToJsonString does:
 * DATE/TIME/TIMESTAMP as ISO strings, BYTES as base64, DECIMAL as plain numbers, STRUCT fields and
 * MAP keys in sorted order.
 */
import {
  formatDate,
  formatDouble,
  formatTime,
  formatTimestamp,
  valueToJavaString,
  type Decimal,
  type SqlType,
  type Struct,
} from '../schema/index.js';
import { arrayElements, parseJson, quoteJson, writeJson, type JsonNode } from './jackson.js';
import { mimeBase64 } from './text.js';
import type { FunctionDefinition, ScalarFunctionDefinition, ScalarVariant } from './types.js';

function scalar(name: string, description: string, variants: ScalarVariant[]): ScalarFunctionDefinition {
  return { kind: 'SCALAR', name, category: 'JSON', description, variants };
}

/** UdfJsonMapper.parseJson: invalid JSON fails the call. */
function parse(text: string): JsonNode | undefined {
  try {
    return parseJson(text);
  } catch (e) {
    throw new Error(`Invalid JSON format:${text}`, { cause: e });
  }
}

/** JsonNode.toString(); a text node's asText() where ksqlDB asks for it. */
function nodeText(node: JsonNode): string {
  return node.t === 'string' ? node.value : writeJson(node);
}

// ---------------------------------------------------------------------------------------------
// EXTRACTJSONFIELD

/** ksqlDB's JsonPathTokenizer: $.name, $['name'], $["name"], $.list[0]. */
function pathTokens(path: string): string[] {
  if (!path.startsWith('$')) throw new Error(`Invalid JSON path: ${path}`);
  const tokens: string[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      let j = i + 1;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      tokens.push(path.slice(i + 1, j));
      i = j;
    } else if (c === '[') {
      const quote = path[i + 1];
      if (quote === "'" || quote === '"') {
        const end = path.indexOf(quote, i + 2);
        if (end < 0 || path[end + 1] !== ']') throw new Error(`Invalid JSON path: ${path}`);
        tokens.push(path.slice(i + 2, end));
        i = end + 2;
      } else {
        const end = path.indexOf(']', i + 1);
        if (end < 0) throw new Error(`Invalid JSON path: ${path}`);
        tokens.push(path.slice(i + 1, end).trim());
        i = end + 1;
      }
    } else {
      throw new Error(`Invalid JSON path: ${path}`);
    }
  }
  return tokens;
}

function extract(input: string, tokens: readonly string[]): string | null {
  let node = parse(input);
  for (const token of tokens) {
    if (node === undefined) return null;
    if (node.t === 'array') {
      if (!/^[+-]?\d+$/.test(token)) return null;
      const index = Number(token);
      node = index >= 0 && index < node.items.length ? node.items[index] : undefined;
    } else if (node.t === 'object') {
      node = node.fields.get(token);
    } else {
      return null;
    }
  }
  return node === undefined ? null : nodeText(node);
}

const EXTRACTJSONFIELD = scalar(
  'extractjsonfield',
  'Given a STRING that contains JSON data, extract the value at the specified  JSONPath or NULL if the specified path does not exist.',
  [
    {
      params: ['STRING', 'STRING'],
      paramNames: ['input', 'path'],
      returns: 'STRING',
      bind: () => {
        let lastPath: string | undefined;
        let lastTokens: string[] = [];
        return (input: string, path: string) => {
          if (path !== lastPath) {
            lastTokens = pathTokens(path);
            lastPath = path;
          }
          return extract(input, lastTokens);
        };
      },
    },
  ],
);

// ---------------------------------------------------------------------------------------------
// Predicates and shapes

const IS_JSON_STRING = scalar('IS_JSON_STRING', 'Given a string, returns true if it can be parsed as a valid JSON value, false otherwise.', [
  {
    params: ['STRING'],
    paramNames: ['input'],
    returns: 'BOOLEAN',
    nulls: 'pass',
    impl: (input: string | null) => {
      if (input === null) return false;
      try {
        return parseJson(input) !== undefined;
      } catch {
        return false;
      }
    },
  },
]);

const JSON_ARRAY_LENGTH = scalar(
  'JSON_ARRAY_LENGTH',
  'Given a string, parses it as a JSON value and returns the length of the top-level array. Returns NULL if the ' +
    "string can't be interpreted as a JSON array.",
  [
    {
      params: ['STRING'],
      paramNames: ['input'],
      returns: 'INTEGER',
      impl: (input: string) => {
        const node = parse(input);
        return node?.t === 'array' ? node.items.length : null;
      },
    },
  ],
);

const JSON_KEYS = scalar(
  'JSON_KEYS',
  'Given a string, parses it as a JSON object and returns a ksqlDB array of strings representing the top-level ' +
    "keys. Returns NULL if the string can't be interpreted as a JSON object.",
  [
    {
      params: ['STRING'],
      paramNames: ['input'],
      returns: 'ARRAY<STRING>',
      impl: (input: string) => {
        const node = parse(input);
        return node?.t === 'object' ? [...node.fields.keys()] : null;
      },
    },
  ],
);

const JSON_RECORDS = scalar(
  'JSON_RECORDS',
  'Given a string, parses it as a JSON object and returns a map representing the top-level keys and values. ' +
    "Returns `NULL` if the string can't be interpreted as a JSON object, i.e. it is `NULL` or it does not contain " +
    'valid JSON, or the JSON value is not an object.',
  [
    {
      params: ['STRING'],
      paramNames: ['jsonObj'],
      returns: 'MAP<STRING, STRING>',
      impl: (input: string) => {
        const node = parse(input);
        if (node?.t !== 'object') return null;
        const out = new Map<string, string>();
        for (const [k, v] of node.fields) out.set(k, nodeText(v));
        return out;
      },
    },
  ],
);

const JSON_ITEMS = scalar(
  'JSON_ITEMS',
  'Given a string with JSON array, converts it to an array of JSON strings and returns an array of String. Returns ' +
    "`NULL` if input is `NULL` or each array item can't be interpreted as a JSON object.",
  [
    {
      params: ['STRING'],
      paramNames: ['jsonItems'],
      returns: 'ARRAY<STRING>',
      impl: (input: string) => {
        const node = parse(input);
        if (node?.t !== 'array') throw new Error(`Invalid JSON format: ${input} is not a JSON array`);
        const out: string[] = [];
        for (const item of node.items) {
          if (item.t !== 'object') return null;
          out.push(writeJson(item));
        }
        return out;
      },
    },
  ],
);

// ---------------------------------------------------------------------------------------------
// JSON_CONCAT

function concatJson(strings: readonly (string | null)[]): string | null {
  const nodes: JsonNode[] = [];
  let allObjects = true;
  for (const s of strings) {
    if (s === null) return null;
    const node = parse(s);
    if (node === undefined) return null;
    if (node.t !== 'object') allObjects = false;
    nodes.push(node);
  }
  if (nodes.length === 0) throw new Error('JSON_CONCAT needs at least one argument');
  if (allObjects) {
    const fields = new Map<string, JsonNode>();
    for (const n of nodes) for (const [k, v] of (n as Extract<JsonNode, { t: 'object' }>).fields) fields.set(k, v);
    return writeJson({ t: 'object', fields }, true);
  }
  let result: JsonNode = nodes[0];
  for (const n of nodes.slice(1)) {
    const left = result.t === 'array' ? result.items : [result];
    const right = n.t === 'array' ? n.items : [n];
    result = { t: 'array', items: [...left, ...right] };
  }
  return writeJson(result, true);
}

const JSON_CONCAT = scalar(
  'JSON_CONCAT',
  'Given N strings, parse them as JSON values and return a string representing their concatenation. ' +
    "Concatenation rules are identical to PostgreSQL's || operator.",
  [
    {
      params: ['STRING'],
      paramNames: ['jsonStrings'],
      variadic: true,
      returns: 'STRING',
      nulls: 'pass',
      impl: concatJson,
    },
  ],
);

// ---------------------------------------------------------------------------------------------
// JSON_ARRAY_CONTAINS

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** Whether an element token can equal the value: Jackson's token kinds against the Java value's class. */
type ElementTest = (node: JsonNode) => boolean | 'stop';

function elementTest(type: SqlType, val: unknown): ElementTest {
  if (val === null) return (node) => node.t === 'null';
  switch (type.kind) {
    case 'INTEGER':
    case 'BIGINT': {
      const [min, max] = type.kind === 'INTEGER' ? [INT_MIN, INT_MAX] : [LONG_MIN, LONG_MAX];
      const wanted = BigInt(val as number | bigint);
      return (node) => {
        if (node.t !== 'number' || !node.integral) return false;
        const n = BigInt(node.text);
        // readValueAs(Integer/Long) of an out-of-range number fails the whole search.
        if (n < min || n > max) return 'stop';
        return n === wanted;
      };
    }
    case 'DOUBLE':
      return (node) => node.t === 'number' && !node.integral && Object.is(Number(node.text), val);
    case 'STRING':
      return (node) => node.t === 'string' && node.value === val;
    case 'BOOLEAN':
      return (node) => node.t === 'boolean' && node.value === val;
    default:
      return () => false;
  }
}

const JSON_ARRAY_CONTAINS = scalar(
  'JSON_ARRAY_CONTAINS',
  'Parses a JSON array and determines whether or not the supplied value is contained within the array.',
  [
    {
      params: ['STRING', 'T'],
      paramNames: ['jsonArray', 'val'],
      returns: 'BOOLEAN',
      nulls: 'pass',
      bind: (argTypes) => (jsonArray: string | null, val: unknown) => {
        if (jsonArray === null) throw new TypeError('Cannot parse a NULL JSON array');
        const test = elementTest(argTypes[1], val);
        try {
          for (const element of arrayElements(jsonArray)) {
            const r = test(element);
            if (r === 'stop') return false;
            if (r) return true;
          }
        } catch {
          return false;
        }
        return false;
      },
    },
  ],
);

// ---------------------------------------------------------------------------------------------
// TO_JSON_STRING

type Serializer = (value: unknown) => string;

function serializer(type: SqlType): Serializer {
  const nullable =
    (f: Serializer): Serializer =>
    (v) =>
      v === null || v === undefined ? 'null' : f(v);
  switch (type.kind) {
    case 'BOOLEAN':
    case 'INTEGER':
    case 'BIGINT':
      return nullable((v) => String(v));
    case 'DOUBLE':
      return nullable((v) => (Number.isFinite(v) ? formatDouble(v as number) : quoteJson(formatDouble(v as number))));
    case 'DECIMAL':
      return nullable((v) => (v as Decimal).toPlainString());
    case 'STRING':
      return nullable((v) => quoteJson(v as string));
    case 'BYTES':
      return nullable((v) => quoteJson(mimeBase64(v as Uint8Array)));
    case 'DATE':
      return nullable((v) => quoteJson(formatDate(v as number)));
    case 'TIME':
      return nullable((v) => quoteJson(formatTime(v as number)));
    case 'TIMESTAMP':
      return nullable((v) => quoteJson(formatTimestamp(v as number)));
    case 'ARRAY': {
      const item = serializer(type.item);
      return nullable((v) => `[${(v as readonly unknown[]).map(item).join(',')}]`);
    }
    case 'MAP': {
      const keyType = type.key;
      const value = serializer(type.value);
      return nullable((v) => {
        // A TreeMap keyed by the keys' toString(): sorted, a later duplicate wins.
        const entries = new Map<string, unknown>();
        for (const [k, x] of v as ReadonlyMap<unknown, unknown>) entries.set(valueToJavaString(k, keyType), x);
        const keys = [...entries.keys()].sort(javaStringOrder);
        return `{${keys.map((k) => `${quoteJson(k)}:${value(entries.get(k))}`).join(',')}}`;
      });
    }
    case 'STRUCT': {
      const fields = [...type.fields]
        .sort((a, b) => javaStringOrder(a.name, b.name))
        .map((f) => ({ name: f.name, quoted: quoteJson(f.name), write: serializer(f.type) }));
      return nullable((v) => {
        const s = v as Struct;
        return `{${fields.map((f) => `${f.quoted}:${f.write(s[f.name] ?? null)}`).join(',')}}`;
      });
    }
    default: {
      const unreachable: never = type;
      throw new Error(`Unknown SQL type ${JSON.stringify(unreachable)}`);
    }
  }
}

/** String.compareTo: UTF-16 code units. */
function javaStringOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const TO_JSON_STRING = scalar('TO_JSON_STRING', 'Given any ksqlDB type returns the equivalent JSON string.', [
  {
    params: ['T'],
    paramNames: ['input'],
    returns: 'STRING',
    nulls: 'pass',
    bind: (argTypes) => serializer(argTypes[0]),
  },
]);

export const FUNCTIONS: FunctionDefinition[] = [
  EXTRACTJSONFIELD,
  IS_JSON_STRING,
  JSON_ARRAY_CONTAINS,
  JSON_ARRAY_LENGTH,
  JSON_CONCAT,
  JSON_ITEMS,
  JSON_KEYS,
  JSON_RECORDS,
  TO_JSON_STRING,
];
