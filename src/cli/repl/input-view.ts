/**
 * What the prompt shows: the buffer's lines, each cut into highlighted spans,
 * with the cursor marked on one character (a space when it is at a line's end).
 */
import { highlight, type TokenKind } from './highlight.js';

export const PROMPT = 'ksql> ';
export const CONTINUATION = '   -> ';

export interface Span {
  readonly text: string;
  readonly kind: TokenKind;
  readonly cursor?: boolean;
}

export function inputLines(text: string, cursor?: number): Span[][] {
  const lines: Span[][] = [[]];
  let offset = 0;
  const add = (t: string, kind: TokenKind, isCursor = false) => {
    if (t === '') return;
    (lines[lines.length - 1] as Span[]).push(isCursor ? { text: t, kind, cursor: true } : { text: t, kind });
  };
  for (const seg of highlight(text)) {
    for (let i = 0; i < seg.text.length; ) {
      const at = offset + i;
      if (cursor === at) {
        const ch = seg.text[i] as string;
        if (ch === '\n') {
          add(' ', 'plain', true);
          lines.push([]);
        } else add(ch, seg.kind, true);
        i += 1;
        continue;
      }
      // The text up to the next line break or the cursor, whichever comes first.
      let j = i;
      while (j < seg.text.length && seg.text[j] !== '\n' && offset + j !== cursor) j++;
      add(seg.text.slice(i, j), seg.kind);
      if (j < seg.text.length && seg.text[j] === '\n' && offset + j !== cursor) {
        lines.push([]);
        j += 1;
      }
      i = j;
    }
    offset += seg.text.length;
  }
  if (cursor !== undefined && cursor >= text.length) add(' ', 'plain', true);
  return lines;
}
