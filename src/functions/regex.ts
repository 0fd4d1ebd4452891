/**
 * java.util.regex semantics on top of JavaScript's RegExp: ksqlDB's REGEXP_* functions take Java
 * patterns and Java replacement strings. The translation keeps Java's meaning where the two
 * dialects differ: `.` and `$` know Java's line terminators, `\s` is ASCII whitespace, `\A \z \Z`,
 * `\Q...\E`, `\h \v \R`, POSIX and java.lang.Character classes, leading inline flags (?imsx).
 * Possessive quantifiers and atomic groups are approximated by their greedy forms. Matching loops
 * follow Matcher.find (an empty match moves the search on by one char).
 */

const LINE_TERMINATOR_CLASS = '\\n\\r\\u0085\\u2028\\u2029';
const JAVA_SPACE = ' \\t\\n\\x0B\\f\\r';
const END_OF_INPUT = '(?![\\s\\S])';
const BEFORE_FINAL_TERMINATOR = `(?=(?:\\r\\n|[${LINE_TERMINATOR_CLASS}])?${END_OF_INPUT})`;

/** Bodies of character classes (no brackets) for Java's \p{...} names. */
const POSIX: Readonly<Record<string, string>> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: JAVA_SPACE,
  javaLowerCase: '\\p{Ll}',
  javaUpperCase: '\\p{Lu}',
  javaWhitespace: ' \\t\\n\\x0B\\f\\r\\x1C-\\x1F\\u1680\\u2000-\\u2006\\u2008-\\u200A\\u2028\\u2029\\u205F\\u3000',
  javaMirrored: '\\p{Bidi_M}',
  javaLetter: '\\p{L}',
  javaDigit: '\\p{Nd}',
  javaLetterOrDigit: '\\p{L}\\p{Nd}',
  javaAlphabetic: '\\p{Alphabetic}',
};

export interface JavaPattern {
  readonly regex: RegExp;
  /** Number of capturing groups (Matcher.groupCount()). */
  readonly groupCount: number;
}

/** Compiles a Java regular expression; throws SyntaxError when it is not valid. */
export function compileJavaRegex(pattern: string): JavaPattern {
  const { source, flags } = translate(pattern);
  const regex = new RegExp(source, flags + 'g');
  const groupCount = new RegExp(`${source}|`, flags).exec('')!.length - 1;
  return { regex, groupCount };
}

function translate(pattern: string): { source: string; flags: string } {
  let src = pattern;
  const flags = new Set<string>();
  // Leading inline flags apply to the whole pattern (JavaScript has no scoped flags here).
  for (;;) {
    const m = /^\(\?([imsxuU-]+)\)/.exec(src);
    if (m === null) break;
    const [on] = m[1].split('-');
    for (const f of on) flags.add(f);
    src = src.slice(m[0].length);
  }
  let dotAll = flags.has('s');
  let multiline = flags.has('m');
  let comments = flags.has('x');
  let unicode = false;
  let out = '';
  let inClass = 0;
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (comments && inClass === 0) {
      if (/\s/.test(c)) {
        i++;
        continue;
      }
      if (c === '#') {
        while (i < n && src[i] !== '\n') i++;
        continue;
      }
    }
    if (c === '\\') {
      const d = src[i + 1];
      if (d === undefined) throw new SyntaxError(`Unexpected internal error near index ${i}\n${pattern}`);
      switch (d) {
        case 'Q': {
          const end = src.indexOf('\\E', i + 2);
          const literal = end < 0 ? src.slice(i + 2) : src.slice(i + 2, end);
          out += escapeLiteral(literal, inClass > 0);
          i = end < 0 ? n : end + 2;
          continue;
        }
        case 'A':
          out += '(?<![\\s\\S])';
          break;
        case 'z':
          out += END_OF_INPUT;
          break;
        case 'Z':
          out += BEFORE_FINAL_TERMINATOR;
          break;
        case 'G':
          throw new SyntaxError(`\\G is not supported: ${pattern}`);
        case 's':
          out += inClass > 0 ? JAVA_SPACE : `[${JAVA_SPACE}]`;
          break;
        case 'S':
          out += inClass > 0 ? '\\S' : `[^${JAVA_SPACE}]`;
          break;
        case 'h':
          out += wrap('\\t \\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000', inClass, false);
          break;
        case 'H':
          out += wrap('\\t \\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000', inClass, true);
          break;
        case 'v':
          out += wrap('\\n\\x0B\\f\\r\\x85\\u2028\\u2029', inClass, false);
          break;
        case 'V':
          out += wrap('\\n\\x0B\\f\\r\\x85\\u2028\\u2029', inClass, true);
          break;
        case 'R':
          out += '(?:\\r\\n|[\\n\\x0B\\f\\r\\x85\\u2028\\u2029])';
          break;
        case 'e':
          out += '\\x1B';
          break;
        case 'a':
          out += '\\x07';
          break;
        case 'p':
        case 'P': {
          const m = /^\{(\^?)([A-Za-z_][A-Za-z0-9_=]*)\}|^([A-Za-z])/.exec(src.slice(i + 2));
          if (m === null) throw new SyntaxError(`Unknown character property near index ${i}\n${pattern}`);
          const name = m[2] ?? m[3];
          const negate = (d === 'P') !== (m[1] === '^');
          const body = propertyClass(name);
          if (body.includes('\\p{')) unicode = true;
          out += wrap(body, inClass, negate);
          i += 2 + m[0].length;
          continue;
        }
        case 'x':
          if (src[i + 2] === '{') {
            const end = src.indexOf('}', i + 3);
            const cp = parseInt(src.slice(i + 3, end), 16);
            out += escapeLiteral(String.fromCodePoint(cp), inClass > 0);
            i = end + 1;
            continue;
          }
          out += src.slice(i, i + 4);
          i += 4;
          continue;
        case '0': {
          const m = /^0([0-3]?[0-7]{1,2}|[0-7])/.exec(src.slice(i + 1));
          if (m === null) throw new SyntaxError(`Illegal octal escape sequence near index ${i}\n${pattern}`);
          out += escapeLiteral(String.fromCharCode(parseInt(m[1], 8)), inClass > 0);
          i += 1 + m[0].length;
          continue;
        }
        default:
          if (/[A-Za-z0-9]/.test(d)) {
            out += '\\' + d;
          } else {
            // Java lets any non-alphanumeric character be escaped.
            out += escapeLiteral(d, inClass > 0);
          }
      }
      i += 2;
      continue;
    }
    if (inClass > 0) {
      if (c === '[') {
        // Java's nested class union: flatten into the enclosing class.
        if (src[i + 1] === '^') throw new SyntaxError(`Negated nested character classes are not supported: ${pattern}`);
        inClass++;
        i++;
        continue;
      }
      if (c === ']') {
        inClass--;
        if (inClass === 0) out += ']';
        i++;
        continue;
      }
      if (c === '&' && src[i + 1] === '&') throw new SyntaxError(`Character class intersection is not supported: ${pattern}`);
      out += c;
      i++;
      continue;
    }
    switch (c) {
      case '[':
        inClass = 1;
        out += '[';
        i++;
        if (src[i] === '^') {
          out += '^';
          i++;
        }
        continue;
      case '.':
        out += dotAll ? '[\\s\\S]' : `[^${LINE_TERMINATOR_CLASS}]`;
        break;
      case '$':
        out += multiline ? `(?=[${LINE_TERMINATOR_CLASS}]|${END_OF_INPUT})` : BEFORE_FINAL_TERMINATOR;
        break;
      case '^':
        out += multiline ? `(?<=^|[${LINE_TERMINATOR_CLASS}])` : '(?<![\\s\\S])';
        break;
      case '(': {
        if (src.startsWith('(?>', i)) {
          // Atomic group: approximated by a plain group.
          out += '(?:';
          i += 3;
          continue;
        }
        // Inline flags in mid-pattern, alone or scoped to a group: applied to the whole pattern.
        const m = /^\(\?([imsxuU]*)(?:-[imsxuU]*)?(\)|:)/.exec(src.slice(i));
        if (m !== null && m[0] !== '(?:') {
          for (const f of m[1]) flags.add(f);
          dotAll = flags.has('s');
          multiline = flags.has('m');
          comments = flags.has('x');
          if (m[2] === ':') out += '(?:';
          i += m[0].length;
          continue;
        }
        out += c;
        break;
      }
      case '*':
      case '+':
      case '?':
        out += c;
        // Possessive quantifier: approximated by the greedy one.
        if (src[i + 1] === '+') i++;
        break;
      case '}':
        out += c;
        if (src[i + 1] === '+' && /\{\d+(?:,\d*)?\}$/.test(out)) i++;
        break;
      default:
        out += c;
    }
    i++;
  }
  if (inClass > 0) throw new SyntaxError(`Unclosed character class near index ${n - 1}\n${pattern}`);
  let jsFlags = '';
  if (flags.has('i')) jsFlags += 'i';
  if (unicode) {
    jsFlags += 'u';
    out = toUnicodeMode(out);
  }
  return { source: out, flags: jsFlags };
}

function propertyClass(name: string): string {
  if (name in POSIX) return POSIX[name];
  const is = /^(?:Is)?(.+)$/.exec(name)![1];
  if (/^In[A-Z]/.test(name)) throw new SyntaxError(`Unicode blocks are not supported: ${name}`);
  return `\\p{${is}}`;
}

function wrap(body: string, inClass: number, negate: boolean): string {
  if (inClass > 0) {
    if (negate) throw new SyntaxError('Negated property inside a character class is not supported');
    return body;
  }
  return `[${negate ? '^' : ''}${body}]`;
}

function escapeLiteral(text: string, inClass: boolean): string {
  let out = '';
  for (const ch of text) {
    if (inClass ? /[\\\]\[^-]/.test(ch) : /[\\^$.*+?()[\]{}|/]/.test(ch)) out += '\\' + ch;
    else out += ch;
  }
  return out;
}

/** In 'u' mode JavaScript rejects identity escapes of ordinary characters; drop their backslash. */
function toUnicodeMode(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const d = source[i + 1] ?? '';
    out += /[A-Za-z0-9\\^$.*+?()[\]{}|/-]/.test(d) ? c + d : d;
    i++;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Matching helpers with Matcher semantics

export interface JavaMatch {
  readonly index: number;
  readonly end: number;
  /** Group 0 is the whole match; undefined for groups that did not participate. */
  readonly groups: readonly (string | undefined)[];
}

/** Every match, as a Matcher.find() loop sees them. */
export function* findAll(p: JavaPattern, input: string): Generator<JavaMatch> {
  const re = p.regex;
  re.lastIndex = 0;
  let from = 0;
  while (from <= input.length) {
    re.lastIndex = from;
    const m = re.exec(input);
    if (m === null) return;
    const end = m.index + m[0].length;
    yield { index: m.index, end, groups: m };
    from = end === m.index ? end + 1 : end;
  }
}

export function findFirst(p: JavaPattern, input: string): JavaMatch | undefined {
  for (const m of findAll(p, input)) return m;
  return undefined;
}

/** String.replaceAll(regex, replacement) with Java's replacement syntax ($n, ${name}, \x). */
export function javaReplaceAll(p: JavaPattern, input: string, replacement: string): string {
  const parts = parseReplacement(replacement, p);
  let out = '';
  let last = 0;
  for (const m of findAll(p, input)) {
    out += input.slice(last, m.index);
    for (const part of parts) {
      if (typeof part === 'string') out += part;
      else if (typeof part === 'number') out += m.groups[part] ?? '';
      else out += (m.groups as RegExpExecArray).groups?.[part.name] ?? '';
    }
    last = m.end;
  }
  return out + input.slice(last);
}

type ReplacementPart = string | number | { readonly name: string };

function parseReplacement(replacement: string, p: JavaPattern): ReplacementPart[] {
  const parts: ReplacementPart[] = [];
  let literal = '';
  let i = 0;
  while (i < replacement.length) {
    const c = replacement[i];
    if (c === '\\') {
      i++;
      if (i >= replacement.length) throw new Error('character to be escaped is missing');
      literal += replacement[i++];
    } else if (c === '$') {
      i++;
      if (i >= replacement.length) throw new Error('Illegal group reference: group index is missing');
      if (replacement[i] === '{') {
        const end = replacement.indexOf('}', i);
        if (end < 0) throw new Error("named capturing group is missing trailing '}'");
        const name = replacement.slice(i + 1, end);
        if (!new RegExp(`\\(\\?<${name}>`).test(p.regex.source)) throw new Error(`No group with name {${name}}`);
        parts.push(literal, { name });
        literal = '';
        i = end + 1;
      } else {
        let group = replacement.charCodeAt(i) - 48;
        if (group < 0 || group > 9) throw new Error('Illegal group reference');
        i++;
        // Java takes more digits while the group number stays valid.
        while (i < replacement.length) {
          const next = replacement.charCodeAt(i) - 48;
          if (next < 0 || next > 9 || group * 10 + next > p.groupCount) break;
          group = group * 10 + next;
          i++;
        }
        if (group > p.groupCount) throw new Error(`No group ${group}`);
        parts.push(literal, group);
        literal = '';
      }
    } else {
      literal += c;
      i++;
    }
  }
  parts.push(literal);
  return parts.filter((x) => x !== '');
}

/** Pattern.split(input) (limit 0): no leading empty piece for a zero-width match at 0, trailing empties dropped. */
export function javaSplit(p: JavaPattern, input: string): string[] {
  const pieces: string[] = [];
  let index = 0;
  let matched = false;
  for (const m of findAll(p, input)) {
    if (index === 0 && m.index === 0 && m.end === 0) continue;
    matched = true;
    pieces.push(input.slice(index, m.index));
    index = m.end;
  }
  if (!matched) return [input];
  pieces.push(input.slice(index));
  let end = pieces.length;
  while (end > 0 && pieces[end - 1] === '') end--;
  return pieces.slice(0, end);
}

/** Guava's Splitter.on(pattern).split(input): every piece kept, empty ones included. */
export function splitKeepingEmpty(p: JavaPattern, input: string): string[] {
  const pieces: string[] = [];
  let index = 0;
  for (const m of findAll(p, input)) {
    pieces.push(input.slice(index, m.index));
    index = m.end;
  }
  pieces.push(input.slice(index));
  return pieces;
}
