/**
 * Terminal input decoded into key presses. Ink hands us raw input events
 * (a run of plain text, or one escape sequence); a run of text can hold
 * control characters too (tmux send-keys and pastes deliver "SELECT 1;\r" at
 * once), so every character is looked at.
 */

export type KeyName =
  | 'return'
  | 'tab'
  | 'backspace'
  | 'delete'
  | 'left'
  | 'right'
  | 'up'
  | 'down'
  | 'home'
  | 'end'
  | 'escape'
  | 'wordLeft'
  | 'wordRight'
  | 'killWordLeft'
  | 'killWordRight'
  | 'newline';

export type KeyPress =
  /** Printable text, one character or many (typed fast or pasted). */
  | { readonly kind: 'text'; readonly text: string }
  /** Ctrl + a letter, lower case. */
  | { readonly kind: 'ctrl'; readonly letter: string }
  | { readonly kind: 'key'; readonly name: KeyName };

const ESC = '\u001b';

/** Escape sequences with a meaning here; anything else is ignored. */
const SEQUENCES: Readonly<Record<string, KeyName>> = {
  '[A': 'up',
  '[B': 'down',
  '[C': 'right',
  '[D': 'left',
  OA: 'up',
  OB: 'down',
  OC: 'right',
  OD: 'left',
  '[H': 'home',
  '[F': 'end',
  OH: 'home',
  OF: 'end',
  '[1~': 'home',
  '[4~': 'end',
  '[7~': 'home',
  '[8~': 'end',
  '[3~': 'delete',
  '[1;5C': 'wordRight',
  '[1;5D': 'wordLeft',
  '[1;3C': 'wordRight',
  '[1;3D': 'wordLeft',
  b: 'wordLeft',
  B: 'wordLeft',
  f: 'wordRight',
  F: 'wordRight',
  d: 'killWordRight',
  D: 'killWordRight',
  '\u007f': 'killWordLeft',
  '\b': 'killWordLeft',
  '\r': 'newline',
  '\n': 'newline',
  // Shift+Enter in terminals that report it (kitty, foot, iTerm2 with CSI u).
  '[13;2u': 'newline',
};

/** Decodes one raw input event into key presses. */
export function decodeKeys(raw: string): KeyPress[] {
  if (raw.startsWith(ESC)) {
    if (raw === ESC) return [{ kind: 'key', name: 'escape' }];
    // Alt sends ESC before the key; some terminals double the ESC before an arrow.
    const body = raw.slice(raw.startsWith(ESC + ESC) ? 2 : 1);
    const name = SEQUENCES[body];
    return name ? [{ kind: 'key', name }] : [];
  }
  const out: KeyPress[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') out.push({ kind: 'text', text });
    text = '';
  };
  for (const ch of raw) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x20 && code !== 0x7f) {
      text += ch;
      continue;
    }
    flush();
    if (ch === '\r' || ch === '\n') out.push({ kind: 'key', name: 'return' });
    else if (ch === '\t') out.push({ kind: 'key', name: 'tab' });
    else if (ch === '\u007f' || ch === '\b') out.push({ kind: 'key', name: 'backspace' });
    else if (code >= 1 && code <= 26) out.push({ kind: 'ctrl', letter: String.fromCharCode(code + 96) });
  }
  flush();
  return out;
}
