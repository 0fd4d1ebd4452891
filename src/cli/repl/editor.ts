/**
 * The input buffer and its emacs-style editing: pure functions over
 * `{ text, cursor }`. The buffer may span lines (a statement typed over
 * several lines); line-wise commands (Ctrl-A/E/U/K) act on the cursor's line.
 */

export interface LineBuffer {
  readonly text: string;
  /** Offset in `text`, 0..text.length. */
  readonly cursor: number;
}

export const EMPTY_BUFFER: LineBuffer = { text: '', cursor: 0 };

export function bufferOf(text: string): LineBuffer {
  return { text, cursor: text.length };
}

export function insert(b: LineBuffer, s: string): LineBuffer {
  return { text: b.text.slice(0, b.cursor) + s + b.text.slice(b.cursor), cursor: b.cursor + s.length };
}

export function backspace(b: LineBuffer): LineBuffer {
  if (b.cursor === 0) return b;
  return { text: b.text.slice(0, b.cursor - 1) + b.text.slice(b.cursor), cursor: b.cursor - 1 };
}

export function deleteForward(b: LineBuffer): LineBuffer {
  if (b.cursor >= b.text.length) return b;
  return { text: b.text.slice(0, b.cursor) + b.text.slice(b.cursor + 1), cursor: b.cursor };
}

export function left(b: LineBuffer): LineBuffer {
  return { ...b, cursor: Math.max(0, b.cursor - 1) };
}

export function right(b: LineBuffer): LineBuffer {
  return { ...b, cursor: Math.min(b.text.length, b.cursor + 1) };
}

function lineStart(b: LineBuffer): number {
  return b.text.lastIndexOf('\n', b.cursor - 1) + 1;
}

function lineEnd(b: LineBuffer): number {
  const nl = b.text.indexOf('\n', b.cursor);
  return nl < 0 ? b.text.length : nl;
}

/** Ctrl-A */
export function home(b: LineBuffer): LineBuffer {
  return { ...b, cursor: lineStart(b) };
}

/** Ctrl-E */
export function end(b: LineBuffer): LineBuffer {
  return { ...b, cursor: lineEnd(b) };
}

const isWordChar = (ch: string | undefined) => ch !== undefined && /[A-Za-z0-9_@$]/.test(ch);

/** Where the word before the cursor starts (Alt-B). */
function wordStartBefore(text: string, cursor: number): number {
  let i = cursor;
  while (i > 0 && !isWordChar(text[i - 1])) i--;
  while (i > 0 && isWordChar(text[i - 1])) i--;
  return i;
}

/** Where the word after the cursor ends (Alt-F). */
function wordEndAfter(text: string, cursor: number): number {
  let i = cursor;
  while (i < text.length && !isWordChar(text[i])) i++;
  while (i < text.length && isWordChar(text[i])) i++;
  return i;
}

/** Alt-B */
export function wordLeft(b: LineBuffer): LineBuffer {
  return { ...b, cursor: wordStartBefore(b.text, b.cursor) };
}

/** Alt-F */
export function wordRight(b: LineBuffer): LineBuffer {
  return { ...b, cursor: wordEndAfter(b.text, b.cursor) };
}

/** An edit that removed text: the new buffer and what was cut (for Ctrl-Y). */
export interface Kill {
  readonly buffer: LineBuffer;
  readonly killed: string;
}

function cut(b: LineBuffer, from: number, to: number): Kill {
  if (from >= to) return { buffer: b, killed: '' };
  return { buffer: { text: b.text.slice(0, from) + b.text.slice(to), cursor: from }, killed: b.text.slice(from, to) };
}

/** Ctrl-W: the whitespace-delimited word before the cursor, as readline's unix-word-rubout. */
export function killWordBack(b: LineBuffer): Kill {
  let i = b.cursor;
  while (i > 0 && /\s/.test(b.text[i - 1] ?? '')) i--;
  while (i > 0 && !/\s/.test(b.text[i - 1] ?? '')) i--;
  return cut(b, i, b.cursor);
}

/** Alt-Backspace: back to the start of the word (punctuation stops it). */
export function killWordLeft(b: LineBuffer): Kill {
  return cut(b, wordStartBefore(b.text, b.cursor), b.cursor);
}

/** Alt-D */
export function killWordRight(b: LineBuffer): Kill {
  return cut(b, b.cursor, wordEndAfter(b.text, b.cursor));
}

/** Ctrl-U: from the start of the line to the cursor. */
export function killToLineStart(b: LineBuffer): Kill {
  return cut(b, lineStart(b), b.cursor);
}

/** Ctrl-K: from the cursor to the end of the line (or the line break, at the end of a line). */
export function killToLineEnd(b: LineBuffer): Kill {
  const e = lineEnd(b);
  return cut(b, b.cursor, e === b.cursor && e < b.text.length ? e + 1 : e);
}

/** The cursor's line (0-based) and the buffer's line count. */
export function cursorLine(b: LineBuffer): { line: number; lines: number } {
  const before = b.text.slice(0, b.cursor);
  return { line: before.split('\n').length - 1, lines: b.text.split('\n').length };
}

/** Moves the cursor one line up or down, keeping its column where the line allows. */
export function verticalMove(b: LineBuffer, delta: -1 | 1): LineBuffer {
  const lines = b.text.split('\n');
  const { line } = cursorLine(b);
  const target = line + delta;
  if (target < 0 || target >= lines.length) return b;
  const col = b.cursor - lineStart(b);
  let offset = 0;
  for (let i = 0; i < target; i++) offset += (lines[i] as string).length + 1;
  return { ...b, cursor: offset + Math.min(col, (lines[target] as string).length) };
}
