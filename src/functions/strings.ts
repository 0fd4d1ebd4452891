/**
 * STRING (and BYTES) functions, with the semantics of ksqlDB's udf/string package: Java string
 * indexes are UTF-16 code units, as JavaScript's; regular expressions are Java's (see regex.ts).
 * A primitive `int` parameter of the Java UDF that receives NULL fails the call (null result and
 * a processing-log entry); those variants take nulls and throw for them.
 */
import { createHash, randomUUID } from 'node:crypto';
import { javaTrim } from '../schema/index.js';
import { compileJavaRegex, findAll, findFirst, javaReplaceAll, javaSplit, splitKeepingEmpty, type JavaPattern } from './regex.js';
import {
  bytesToText,
  decodeAscii,
  decodeLenientBase64,
  decodeUtf8,
  encodeAscii,
  encodeUtf8,
  encodingOf,
  plainBase64,
  textToBytes,
  unescapeJava,
} from './text.js';
import type { FunctionDefinition, ScalarFunctionDefinition, ScalarVariant } from './types.js';

type Bytes = Uint8Array;

function scalar(name: string, description: string, variants: ScalarVariant[], category = 'STRING'): ScalarFunctionDefinition {
  return { kind: 'SCALAR', name, category, description, variants };
}

/** What Java does when a NULL reaches a primitive parameter. */
function nullPrimitive(param: string): never {
  throw new TypeError(`Cannot pass NULL for the primitive parameter '${param}'`);
}

/** Caches the last compiled pattern: patterns are almost always literals. */
function patternCache(): (pattern: string) => JavaPattern {
  let lastSource: string | undefined;
  let last: JavaPattern | undefined;
  return (pattern) => {
    if (pattern !== lastSource || last === undefined) {
      try {
        last = compileJavaRegex(pattern);
      } catch (e) {
        throw new Error(`Invalid regular expression pattern: ${pattern}: ${(e as Error).message}`);
      }
      lastSource = pattern;
    }
    return last;
  };
}

function concatBytes(parts: readonly Bytes[]): Bytes {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Concatenation

const CONCAT = scalar('concat', 'Concatenate an arbitrary number of string or bytes fields together', [
  {
    params: ['STRING'],
    paramNames: ['inputs'],
    variadic: true,
    returns: 'STRING',
    nulls: 'pass',
    impl: (inputs: (string | null)[]) => inputs.filter((s) => s !== null).join(''),
  },
  {
    params: ['BYTES'],
    paramNames: ['inputs'],
    variadic: true,
    returns: 'BYTES',
    nulls: 'pass',
    impl: (inputs: (Bytes | null)[]) => concatBytes(inputs.filter((b): b is Bytes => b !== null)),
  },
]);

const CONCAT_WS = scalar(
  'concat_ws',
  'Concatenate several strings or bytes, inserting a separator passed as the first argument between each one.',
  [
    {
      params: ['STRING'],
      paramNames: ['inputs'],
      variadic: true,
      returns: 'STRING',
      nulls: 'pass',
      impl: (inputs: (string | null)[]) => {
        if (inputs.length < 2) throw new Error('Function Concat_WS expects at least two input arguments.');
        const separator = inputs[0];
        if (separator === null) return null;
        return inputs.slice(1).filter((s) => s !== null).join(separator);
      },
    },
    {
      params: ['BYTES'],
      paramNames: ['inputs'],
      variadic: true,
      returns: 'BYTES',
      nulls: 'pass',
      impl: (inputs: (Bytes | null)[]) => {
        if (inputs.length < 2) throw new Error('Function Concat_WS expects at least two input arguments.');
        const separator = inputs[0];
        if (separator === null) return null;
        const parts: Bytes[] = [];
        for (const b of inputs.slice(1)) {
          if (b === null) continue;
          if (parts.length > 0) parts.push(separator);
          parts.push(b);
        }
        return concatBytes(parts);
      },
    },
  ],
);

// ---------------------------------------------------------------------------------------------
// Case, trimming, length

const LCASE = scalar('lcase', 'Returns the provided string in lowercase.', [
  { params: ['STRING'], paramNames: ['input'], returns: 'STRING', impl: (s: string) => s.toLowerCase() },
]);

const UCASE = scalar('ucase', 'Returns the provided string in uppercase.', [
  { params: ['STRING'], paramNames: ['input'], returns: 'STRING', impl: (s: string) => s.toUpperCase() },
]);

const TRIM = scalar('trim', 'Returns the provided string with leading and trailing whitespace removed.', [
  { params: ['STRING'], paramNames: ['input'], returns: 'STRING', impl: (s: string) => javaTrim(s) },
]);

const LEN = scalar('len', 'Returns the length of the input string or bytes.', [
  { params: ['STRING'], paramNames: ['input'], returns: 'INTEGER', impl: (s: string) => s.length },
  { params: ['BYTES'], paramNames: ['input'], returns: 'INTEGER', impl: (b: Bytes) => b.length },
]);

const INITCAP = scalar(
  'initcap',
  'Capitalizes the first letter of each word in a string and the rest lowercased. Words are delimited by whitespace.',
  [
    {
      params: ['STRING'],
      paramNames: ['str'],
      returns: 'STRING',
      // Java's [^\s]+\s* over the lowercased text: leading whitespace is dropped.
      impl: (s: string) => {
        let out = '';
        for (const m of s.toLowerCase().matchAll(/[^ \t\n\x0B\f\r]+[ \t\n\x0B\f\r]*/g)) {
          const part = m[0];
          out += part.slice(0, 1).toUpperCase() + part.slice(1);
        }
        return out;
      },
    },
  ],
);

// ---------------------------------------------------------------------------------------------
// Substrings and positions

function startIndex(length: number, pos: number): number {
  return pos < 0 ? Math.max(length + pos, 0) : Math.max(Math.min(pos - 1, length), 0);
}

function endIndex(length: number, start: number, len: number): number {
  return Math.max(Math.min(start + len, length), start);
}

const SUBSTRING = scalar('substring', 'Returns the portion of the string or bytes passed in value.', [
  {
    params: ['STRING', 'INTEGER'],
    paramNames: ['str', 'pos'],
    returns: 'STRING',
    description: 'Returns the portion of str from pos to the end of str',
    impl: (s: string, pos: number) => s.substring(startIndex(s.length, pos)),
  },
  {
    params: ['STRING', 'INTEGER', 'INTEGER'],
    paramNames: ['str', 'pos', 'len'],
    returns: 'STRING',
    description: 'Returns the portion of str that starts at pos and is of length len',
    impl: (s: string, pos: number, len: number) => {
      const start = startIndex(s.length, pos);
      return s.substring(start, endIndex(s.length, start, len));
    },
  },
  {
    params: ['BYTES', 'INTEGER'],
    paramNames: ['bytes', 'pos'],
    returns: 'BYTES',
    impl: (b: Bytes, pos: number) => b.slice(startIndex(b.length, pos)),
  },
  {
    params: ['BYTES', 'INTEGER', 'INTEGER'],
    paramNames: ['bytes', 'pos', 'len'],
    returns: 'BYTES',
    impl: (b: Bytes, pos: number, len: number) => {
      const start = startIndex(b.length, pos);
      return b.slice(start, endIndex(b.length, start, len));
    },
  },
]);

/** commons-lang StringUtils.ordinalIndexOf: occurrences may overlap. */
function ordinalIndexOf(str: string, search: string, ordinal: number): number {
  if (ordinal <= 0) return -1;
  if (search.length === 0) return 0;
  let index = -1;
  for (let found = 0; found < ordinal; found++) {
    index = str.indexOf(search, index + 1);
    if (index < 0) return -1;
  }
  return index;
}

/** StringUtils.substring(str, start): a negative start counts from the end. */
function substringFrom(str: string, start: number): string {
  let s = start < 0 ? str.length + start : start;
  if (s < 0) s = 0;
  return s > str.length ? '' : str.slice(s);
}

function reverse(s: string): string {
  return [...s].reverse().join('');
}

function instr(str: string | null, sub: string | null, position: number | null, occurrence: number | null): number {
  if (position === null) nullPrimitive('position');
  if (occurrence === null) nullPrimitive('occurrence');
  if (str === null || sub === null) return 0;
  if (Math.abs(position) > str.length) return 0;
  const reversed = position < 0;
  const haystack = reversed ? reverse(str) : str;
  const needle = reversed ? reverse(sub) : sub;
  const pos = Math.abs(position);
  const i = ordinalIndexOf(substringFrom(haystack, pos - 1), needle, occurrence);
  if (i === -1) return 0;
  return reversed ? haystack.length - pos - i - needle.length + 2 : i + pos;
}

const INSTR = scalar('instr', 'Returns the position of substring in string (1-based), or 0 if it does not occur.', [
  {
    params: ['STRING', 'STRING'],
    paramNames: ['str', 'substring'],
    returns: 'INTEGER',
    nulls: 'pass',
    impl: (s: string | null, sub: string | null) => instr(s, sub, 1, 1),
  },
  {
    params: ['STRING', 'STRING', 'INTEGER'],
    paramNames: ['str', 'substring', 'position'],
    returns: 'INTEGER',
    nulls: 'pass',
    impl: (s: string | null, sub: string | null, position: number | null) => instr(s, sub, position, 1),
  },
  {
    params: ['STRING', 'STRING', 'INTEGER', 'INTEGER'],
    paramNames: ['str', 'substring', 'position', 'occurrence'],
    returns: 'INTEGER',
    nulls: 'pass',
    impl: (s: string | null, sub: string | null, position: number | null, occurrence: number | null) =>
      instr(s, sub, position, occurrence),
  },
]);

// ---------------------------------------------------------------------------------------------
// Replacing and regular expressions

const REPLACE = scalar('replace', 'Replaces all occurrences of a substring in a string with a new substring.', [
  {
    params: ['STRING', 'STRING', 'STRING'],
    paramNames: ['str', 'substring', 'replacement'],
    returns: 'STRING',
    impl: (s: string, target: string, replacement: string) => s.replaceAll(target, () => replacement),
  },
]);

const REGEXP_REPLACE = scalar('regexp_replace', 'Replaces all matches of a regexp in a string with a new string.', [
  {
    params: ['STRING', 'STRING', 'STRING'],
    paramNames: ['input', 'regex', 'replacement'],
    returns: 'STRING',
    bind: () => {
      const compile = patternCache();
      return (input: string, regex: string, replacement: string) => javaReplaceAll(compile(regex), input, replacement);
    },
  },
]);

function regexpExtract(compile: (p: string) => JavaPattern, pattern: string, input: string, group: number): string | null {
  const p = compile(pattern);
  if (group > p.groupCount) return null;
  const m = findFirst(p, input);
  if (m === undefined) return null;
  if (group < 0) throw new Error(`No group ${group}`);
  return m.groups[group] ?? null;
}

const REGEXP_EXTRACT = scalar('regexp_extract', 'extract the first subtring matched by a regex pattern', [
  {
    params: ['STRING', 'STRING'],
    paramNames: ['pattern', 'input'],
    returns: 'STRING',
    bind: () => {
      const compile = patternCache();
      return (pattern: string, input: string) => regexpExtract(compile, pattern, input, 0);
    },
  },
  {
    params: ['STRING', 'STRING', 'INTEGER'],
    paramNames: ['pattern', 'input', 'group'],
    returns: 'STRING',
    bind: () => {
      const compile = patternCache();
      return (pattern: string, input: string, group: number) => regexpExtract(compile, pattern, input, group);
    },
  },
]);

function regexpExtractAll(compile: (p: string) => JavaPattern, pattern: string, input: string, group: number): (string | null)[] | null {
  const p = compile(pattern);
  if (group > p.groupCount) return null;
  const out: (string | null)[] = [];
  for (const m of findAll(p, input)) {
    if (group < 0) throw new Error(`No group ${group}`);
    out.push(m.groups[group] ?? null);
  }
  return out;
}

const REGEXP_EXTRACT_ALL = scalar('regexp_extract_all', 'Extracts the all subtrings matched by a regex pattern', [
  {
    params: ['STRING', 'STRING'],
    paramNames: ['pattern', 'input'],
    returns: 'ARRAY<STRING>',
    bind: () => {
      const compile = patternCache();
      return (pattern: string, input: string) => regexpExtractAll(compile, pattern, input, 0);
    },
  },
  {
    params: ['STRING', 'STRING', 'INTEGER'],
    paramNames: ['pattern', 'input', 'group'],
    returns: 'ARRAY<STRING>',
    bind: () => {
      const compile = patternCache();
      return (pattern: string, input: string, group: number) => regexpExtractAll(compile, pattern, input, group);
    },
  },
]);

const REGEXP_SPLIT_TO_ARRAY = scalar(
  'regexp_split_to_array',
  'Splits a string into an array of substrings based on a regexp. If the regexp is found at the beginning of the ' +
    'string, end of the string, or there are contiguous matches in the string, then empty strings are added to the ' +
    'array. If the regexp is not found, then the original string is returned as the only element in the array. If ' +
    'the regexp is empty, then all characters in the string are split.',
  [
    {
      params: ['STRING', 'STRING'],
      paramNames: ['string', 'regexp'],
      returns: 'ARRAY<STRING>',
      bind: () => {
        const compile = patternCache();
        return (input: string, regexp: string) => {
          const p = compile(regexp);
          // A pattern that can match the empty string splits like Java's String.split; others like Guava's Splitter.
          const matchesEmpty = regexp === '' || fullMatch(p, '');
          return matchesEmpty ? javaSplit(p, input) : splitKeepingEmpty(p, input);
        };
      },
    },
  ],
);

function fullMatch(p: JavaPattern, input: string): boolean {
  const whole = new RegExp(`^(?:${p.regex.source})$`, p.regex.flags.replace('g', ''));
  return whole.test(input);
}

// ---------------------------------------------------------------------------------------------
// Splitting

function splitBytes(bytes: Bytes, delimiter: Bytes): Bytes[] {
  if (bytes.length === 0) return [new Uint8Array(0)];
  if (delimiter.length === 0) return [...bytes].map((b) => Uint8Array.of(b));
  const out: Bytes[] = [];
  let offset = 0;
  for (;;) {
    const at = indexOfBytes(bytes, delimiter, offset);
    if (at < 0) break;
    out.push(bytes.slice(offset, at));
    offset = at + delimiter.length;
  }
  out.push(bytes.slice(offset));
  return out;
}

function indexOfBytes(bytes: Bytes, target: Bytes, from: number): number {
  outer: for (let i = from; i + target.length <= bytes.length; i++) {
    for (let j = 0; j < target.length; j++) if (bytes[i + j] !== target[j]) continue outer;
    return i;
  }
  return -1;
}

const SPLIT = scalar(
  'split',
  'Splits a string or bytes into an array of substrings or bytes based on a delimiter. If the delimiter is found at ' +
    'the beginning of the string/bytes, end of the string/bytes, or there are contiguous delimiters in the ' +
    'string/bytes, then empty strings/bytes are added to the array. If the delimiter is not found, then the original ' +
    'string or bytes is returned as the only element in the array. If the delimiter is empty, then all characters or ' +
    'bytes in the string or bytes are split.',
  [
    {
      params: ['STRING', 'STRING'],
      paramNames: ['string', 'delimiter'],
      returns: 'ARRAY<STRING>',
      // An empty delimiter splits like Pattern.compile("").split(s): every char, and [""] for "".
      impl: (s: string, delimiter: string) => (s === '' ? [''] : s.split(delimiter)),
    },
    {
      params: ['BYTES', 'BYTES'],
      paramNames: ['bytes', 'delimiter'],
      returns: 'ARRAY<BYTES>',
      impl: splitBytes,
    },
  ],
);

// ---------------------------------------------------------------------------------------------
// Padding

function padString(left: boolean) {
  return (input: string, targetLen: number, padding: string): string | null => {
    if (padding === '' || targetLen < 0) return null;
    const padLen = Math.max(targetLen - input.length, 0);
    let pad = '';
    while (pad.length < padLen) pad += padding;
    pad = pad.slice(0, padLen);
    return (left ? pad + input : input + pad).slice(0, targetLen);
  };
}

function padBytes(left: boolean) {
  return (input: Bytes, targetLen: number, padding: Bytes): Bytes | null => {
    if (padding.length === 0 || targetLen < 0) return null;
    if (input.length >= targetLen) return input.slice(0, targetLen);
    const out = new Uint8Array(targetLen);
    const padLen = targetLen - input.length;
    for (let i = 0; i < padLen; i++) out[left ? i : input.length + i] = padding[i % padding.length];
    out.set(input, left ? padLen : 0);
    return out;
  };
}

const LPAD = scalar(
  'LPad',
  'Pads the input string or bytes, starting from the beginning, with the specified padding string until the target ' +
    'length is reached. If the input string or bytes are longer than the specified target length it will be ' +
    'truncated. If the padding string or bytes are empty or NULL, or the target length is negative, then NULL is returned.',
  [
    { params: ['STRING', 'INTEGER', 'STRING'], paramNames: ['input', 'targetLen', 'padding'], returns: 'STRING', impl: padString(true) },
    { params: ['BYTES', 'INTEGER', 'BYTES'], paramNames: ['input', 'targetLen', 'padding'], returns: 'BYTES', impl: padBytes(true) },
  ],
);

const RPAD = scalar(
  'RPad',
  'Pads the input string or bytes, beginning from the end, with the specified padding string until the target ' +
    'length is reached. If the input string or bytes are longer than the specified target length it will be ' +
    'truncated. If the padding string or bytes are empty or NULL, or the target length is negative, then NULL is returned.',
  [
    { params: ['STRING', 'INTEGER', 'STRING'], paramNames: ['input', 'targetLen', 'padding'], returns: 'STRING', impl: padString(false) },
    { params: ['BYTES', 'INTEGER', 'BYTES'], paramNames: ['input', 'targetLen', 'padding'], returns: 'BYTES', impl: padBytes(false) },
  ],
);

// ---------------------------------------------------------------------------------------------
// Masking

const NO_MASK = -1;
const UPPER = /^\p{Lu}$/u;
const LOWER = /^\p{Ll}$/u;
const DIGIT = /^\p{Nd}$/u;

interface Masks {
  readonly upper: number;
  readonly lower: number;
  readonly digit: number;
  readonly other: number;
}

const DEFAULT_MASKS: Masks = { upper: 0x58, lower: 0x78, digit: 0x6e, other: 0x2d };

function maskChar(mask: string | null): number {
  if (mask === null) return NO_MASK;
  if (mask.length !== 1) throw new Error(`Invalid mask character. Must be only single character, but was '${mask}'`);
  return mask.codePointAt(0)!;
}

function masksOf(upper: string | null, lower: string | null, digit: string | null, other: string | null): Masks {
  return { upper: maskChar(upper), lower: maskChar(lower), digit: maskChar(digit), other: maskChar(other) };
}

/** Masker.mask: walks UTF-16 units, classifying the code point at each (Character.getType). */
function mask(masks: Masks, input: string): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const cp = input.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const m = UPPER.test(ch) ? masks.upper : LOWER.test(ch) ? masks.lower : DIGIT.test(ch) ? masks.digit : masks.other;
    out += String.fromCodePoint(m === NO_MASK ? cp : m);
  }
  return out;
}

type MaskPart = (masks: Masks, input: string, numChars: number) => string;

function maskFunction(name: string, description: string, part: MaskPart): ScalarFunctionDefinition {
  const doMask = (masks: Masks, input: string | null, numChars: number | null): string | null => {
    if (numChars === null) nullPrimitive('numChars');
    if (numChars < 0) throw new Error(`function ${name} requires a non-negative number of characters to mask or skip`);
    return input === null ? null : part(masks, input, numChars);
  };
  return scalar(name, description, [
    {
      params: ['STRING', 'INTEGER'],
      paramNames: ['input', 'numChars'],
      returns: 'STRING',
      nulls: 'pass',
      impl: (input: string | null, numChars: number | null) => doMask(DEFAULT_MASKS, input, numChars),
    },
    {
      params: ['STRING', 'INTEGER', 'STRING', 'STRING', 'STRING', 'STRING'],
      paramNames: ['input', 'numChars', 'upper', 'lower', 'digit', 'other'],
      returns: 'STRING',
      nulls: 'pass',
      impl: (input: string | null, numChars: number | null, u: string | null, l: string | null, d: string | null, o: string | null) =>
        doMask(masksOf(u, l, d, o), input, numChars),
    },
  ]);
}

const MASK = scalar(
  'mask',
  "Returns a version of the input string with every character replaced by a mask. Default masking rules will replace " +
    "all upper-case characters with 'X', all lower-case characters with 'x', all digits with 'n', and any other " +
    "character with '-'.",
  [
    { params: ['STRING'], paramNames: ['input'], returns: 'STRING', impl: (input: string) => mask(DEFAULT_MASKS, input) },
    {
      params: ['STRING', 'STRING', 'STRING', 'STRING', 'STRING'],
      paramNames: ['input', 'upper', 'lower', 'digit', 'other'],
      returns: 'STRING',
      nulls: 'pass',
      impl: (input: string | null, u: string | null, l: string | null, d: string | null, o: string | null) => {
        const masks = masksOf(u, l, d, o);
        return input === null ? null : mask(masks, input);
      },
    },
  ],
);

const MASK_KEEP_LEFT = maskFunction(
  'mask_keep_left',
  'Returns a version of the input string with all but the specified number of left-most characters masked out.',
  (masks, input, n) => {
    const keep = Math.min(n, input.length);
    return input.slice(0, keep) + mask(masks, input.slice(keep));
  },
);

const MASK_KEEP_RIGHT = maskFunction(
  'mask_keep_right',
  'Returns a version of the input string with all but the specified number of right-most characters masked out.',
  (masks, input, n) => {
    const start = input.length - Math.min(n, input.length);
    return mask(masks, input.slice(0, start)) + input.slice(start);
  },
);

const MASK_LEFT = maskFunction(
  'mask_left',
  'Returns a version of the input string with the specified number of left-most characters masked out.',
  (masks, input, n) => {
    const count = Math.min(n, input.length);
    return mask(masks, input.slice(0, count)) + input.slice(count);
  },
);

const MASK_RIGHT = maskFunction(
  'mask_right',
  'Returns a version of the input string with the specified number of right-most characters masked out.',
  (masks, input, n) => {
    const start = input.length - Math.min(n, input.length);
    return input.slice(0, start) + mask(masks, input.slice(start));
  },
);

// ---------------------------------------------------------------------------------------------
// Characters, lists of strings

const CHR = scalar('Chr', 'Returns a single-character string corresponding to the input character code.', [
  {
    params: ['INTEGER'],
    paramNames: ['decimalCode'],
    returns: 'STRING',
    impl: (code: number) => (code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null),
  },
  {
    params: ['STRING'],
    paramNames: ['utf16Code'],
    returns: 'STRING',
    impl: (code: string) => (code.length < 6 || !code.startsWith('\\u') ? null : unescapeJava(code)),
  },
]);

const ELT = scalar(
  'elt',
  'ELT() returns the Nth element of the list of strings. Returns NULL if N is less than 1 or greater than the number ' +
    'of arguments. Note that this method is 1-indexed. This is the complement to FIELD.',
  [
    {
      params: ['INTEGER', 'STRING'],
      paramNames: ['n', 'args'],
      variadic: true,
      returns: 'STRING',
      nulls: 'pass',
      impl: (n: number | null, args: (string | null)[]) => {
        if (n === null) nullPrimitive('n');
        return n < 1 || n > args.length ? null : args[n - 1];
      },
    },
  ],
);

const FIELD = scalar(
  'field',
  'Returns the position (1-indexed) of str in args, or 0 if not found. If str is NULL, the return value is 0 because ' +
    'NULL is not considered equal to any value. This is the compliment to ELT.',
  [
    {
      params: ['STRING', 'STRING'],
      paramNames: ['str', 'args'],
      variadic: true,
      returns: 'INTEGER',
      nulls: 'pass',
      impl: (str: string | null, args: (string | null)[]) => (str === null ? 0 : args.indexOf(str) + 1),
    },
  ],
);

// ---------------------------------------------------------------------------------------------
// Encodings and bytes

/** Encode's hexStrip: "0x..." (odd digit counts get a leading 0) and "X'...'" lose their decoration. */
function hexStrip(hex: string): string {
  if (hex.startsWith('0x')) return hex.length % 2 !== 0 ? '0' + hex.slice(2) : hex.slice(2);
  if (/^[xX]'.*'$/.test(hex)) return hex.slice(2, -1);
  return hex;
}

function hexDecode(hex: string): Uint8Array {
  const digits = hexStrip(hex);
  if (digits.length % 2 !== 0) throw new Error('Odd number of characters.');
  if (!/^[0-9a-fA-F]*$/.test(digits)) throw new Error(`Illegal hexadecimal character in ${digits}`);
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}

const DECODERS: Readonly<Record<string, (s: string) => Uint8Array>> = {
  hex: hexDecode,
  utf8: encodeUtf8,
  ascii: encodeAscii,
  base64: decodeLenientBase64,
};

const ENCODERS: Readonly<Record<string, (b: Uint8Array) => string>> = {
  hex: (b) => Buffer.from(b).toString('hex'),
  utf8: decodeUtf8,
  ascii: decodeAscii,
  base64: plainBase64,
};

const ENCODE = scalar(
  'encode',
  'Takes an input string s, which is encoded as input_encoding, and encodes it as output_encoding. The accepted input ' +
    'and output encodings are: hex, utf8, ascii and base64. Throws exception if provided encodings are not supported.',
  [
    {
      params: ['STRING', 'STRING', 'STRING'],
      paramNames: ['str', 'inputEncoding', 'outputEncoding'],
      returns: 'STRING',
      impl: (str: string, inputEncoding: string, outputEncoding: string) => {
        const from = inputEncoding.toLowerCase();
        const to = outputEncoding.toLowerCase();
        const decode = DECODERS[from];
        const encode = ENCODERS[to];
        if (decode === undefined || encode === undefined || from === to) {
          throw new Error('Supported input and output encodings are: hex, utf8, ascii and base64');
        }
        return encode(decode(str));
      },
    },
  ],
);

const FROM_BYTES = scalar(
  'from_bytes',
  "Converts a BYTES value to STRING in the specified encoding. The accepted encoders are 'hex', 'utf8', 'ascii', and 'base64'.",
  [
    {
      params: ['BYTES', 'STRING'],
      paramNames: ['value', 'encoding'],
      returns: 'STRING',
      impl: (value: Bytes, encoding: string) => bytesToText(value, encodingOf(encoding)),
    },
  ],
);

const TO_BYTES = scalar(
  'to_bytes',
  "Converts a STRING value in the specified encoding to BYTES. The accepted encoders are 'hex', 'utf8', 'ascii', and 'base64'.",
  [
    {
      params: ['STRING', 'STRING'],
      paramNames: ['value', 'encoding'],
      returns: 'BYTES',
      nulls: 'pass',
      impl: (value: string | null, encoding: string | null) => (value === null ? null : textToBytes(value, encodingOf(encoding))),
    },
  ],
);

function uuidOfBytes(bytes: Bytes): string | null {
  if (bytes.length !== 16) return null;
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = scalar(
  'UUID',
  'Create a Universally Unique Identifier (UUID) generated according to RFC 4122. A call to UUID() returns a value ' +
    'conforming to UUID version 4, sometimes called "random UUID", as described in RFC 4122. The value is a 128-bit ' +
    'number represented as a string of five hexadecimal numbers aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee.',
  [
    { params: [], returns: 'STRING', impl: () => randomUUID() },
    { params: ['BYTES'], paramNames: ['bytes'], returns: 'STRING', impl: uuidOfBytes },
  ],
);

const MD5 = scalar('md5', 'Computes the hex-encoded md5 hash of the given string', [
  {
    params: ['STRING'],
    paramNames: ['s'],
    returns: 'STRING',
    impl: (s: string) => createHash('md5').update(encodeUtf8(s)).digest('hex'),
  },
]);

export const FUNCTIONS: FunctionDefinition[] = [
  CONCAT,
  CONCAT_WS,
  LCASE,
  UCASE,
  TRIM,
  LEN,
  INITCAP,
  SUBSTRING,
  INSTR,
  REPLACE,
  REGEXP_REPLACE,
  REGEXP_EXTRACT,
  REGEXP_EXTRACT_ALL,
  REGEXP_SPLIT_TO_ARRAY,
  SPLIT,
  LPAD,
  RPAD,
  MASK,
  MASK_KEEP_LEFT,
  MASK_KEEP_RIGHT,
  MASK_LEFT,
  MASK_RIGHT,
  CHR,
  ELT,
  FIELD,
  ENCODE,
  FROM_BYTES,
  TO_BYTES,
  UUID,
  MD5,
];
