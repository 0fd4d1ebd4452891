/**
 * Syntax highlighting as you type, from the parser's own lexer rules: the
 * words the parser takes for keywords are the ones shown as keywords.
 * Unfinished input is highlighted as what it will be: an unclosed quote or
 * block comment colours the rest of the text.
 */
import moo from 'moo';
import { KEYWORDS, lexerRules } from '../../engine/index.js';

export type TokenKind = 'keyword' | 'string' | 'number' | 'comment' | 'quoted' | 'variable' | 'function' | 'plain';

export interface Segment {
  readonly text: string;
  readonly kind: TokenKind;
}

const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);
const lexer = moo.compile(lexerRules);

const NUMBER_TYPES = new Set(['integer', 'decimal', 'double']);
/** Keywords nearly always used as names (columns called ID): shown as names. */
const NAME_LIKE = new Set(['ID']);
/** After these a name followed by `(` is a source or type being declared, not a function call. */
const DECLARING = new Set(['STREAM', 'TABLE', 'INTO', 'EXISTS', 'TYPE', 'FUNCTION']);

/** The text cut into coloured segments; their texts joined give back the text. */
export function highlight(text: string): Segment[] {
  const out: Segment[] = [];
  const push = (s: string, kind: TokenKind) => {
    const last = out[out.length - 1];
    if (last && last.kind === kind) out[out.length - 1] = { text: last.text + s, kind };
    else out.push({ text: s, kind });
  };
  lexer.reset(text);
  const tokens: moo.Token[] = [];
  for (let t = lexer.next(); t !== undefined; t = lexer.next()) tokens.push(t);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as moo.Token;
    const type = t.type ?? '';
    if (type === 'unknown' && (t.text === "'" || t.text === '`' || t.text === '"')) {
      // An unclosed quote: everything after it is inside.
      push(text.slice(t.offset), t.text === "'" ? 'string' : 'quoted');
      return out;
    }
    if (type === 'slash' && tokens[i + 1]?.type === 'star' && tokens[i + 1]?.offset === t.offset + 1) {
      push(text.slice(t.offset), 'comment');
      return out;
    }
    push(t.text, kindOf(t, tokens, i));
  }
  return out;
}

function kindOf(t: moo.Token, tokens: readonly moo.Token[], i: number): TokenKind {
  const type = t.type ?? '';
  if (KEYWORD_SET.has(type)) return NAME_LIKE.has(type) ? 'plain' : 'keyword';
  if (type === 'string') return 'string';
  if (NUMBER_TYPES.has(type)) return 'number';
  if (type === 'comment' || type === 'blockComment') return 'comment';
  if (type === 'backquoted' || type === 'doublequoted') return 'quoted';
  if (type === 'variable') return 'variable';
  if (type === 'identifier') {
    // A name called as a function: the next significant token is '('.
    let j = i + 1;
    while (isTrivia(tokens[j])) j++;
    let k = i - 1;
    while (isTrivia(tokens[k])) k--;
    if (tokens[j]?.type === 'lparen' && !DECLARING.has(tokens[k]?.type ?? '')) return 'function';
  }
  return 'plain';
}

function isTrivia(t: moo.Token | undefined): boolean {
  return t !== undefined && (t.type === 'ws' || t.type === 'comment' || t.type === 'blockComment');
}

/** How each kind is drawn: an Ink <Text> colour, and bold for keywords. */
export const STYLES: Readonly<Record<TokenKind, { readonly color?: string; readonly bold?: boolean; readonly dim?: boolean }>> = {
  keyword: { color: 'cyan', bold: true },
  string: { color: 'green' },
  number: { color: 'yellow' },
  comment: { color: 'gray', dim: true },
  quoted: { color: 'magenta' },
  variable: { color: 'magenta' },
  function: { color: 'blue' },
  plain: {},
};
