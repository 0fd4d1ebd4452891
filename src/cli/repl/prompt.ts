/**
 * The prompt as a state machine: a key press and the current state give the
 * next state and, sometimes, something for the front end to do (run the
 * input, exit, clear the screen). Editing, history, reverse search and
 * completion all live here, free of any UI, so they are tested without a
 * terminal.
 */
import { commonPrefix, complete, completionText, type Candidate, type CompletionNames } from './completion.js';
import * as ed from './editor.js';
import type { LineBuffer } from './editor.js';
import type { History } from './history.js';
import type { KeyPress } from './keys.js';

export interface SearchState {
  readonly query: string;
  /** Index of the matching history entry, -1 when none matches. */
  readonly match: number;
  /** The buffer before the search, restored when it is cancelled. */
  readonly original: LineBuffer;
}

export interface PromptState {
  readonly buffer: LineBuffer;
  /** Walking the history with Up/Down: the entry shown and what was typed before. */
  readonly browse?: { readonly index: number; readonly draft: LineBuffer };
  readonly search?: SearchState;
  /** Candidates listed under the prompt after a Tab that could not choose. */
  readonly completions?: readonly string[];
  /** The last text cut, for Ctrl-Y. */
  readonly killed: string;
  /** A one-line hint under the prompt (e.g. how to exit). */
  readonly hint?: string;
}

export const INITIAL_PROMPT: PromptState = { buffer: ed.EMPTY_BUFFER, killed: '' };

export type PromptEffect =
  /** Run this input (it may be empty: Enter on an empty prompt). */
  | { readonly type: 'submit'; readonly text: string }
  /** Ctrl-C on a line being typed: it is dropped. */
  | { readonly type: 'cancel'; readonly text: string }
  | { readonly type: 'exit' }
  | { readonly type: 'clearScreen' };

export interface PromptDeps {
  readonly history: History;
  readonly names: () => CompletionNames;
  /** True when Enter should run the input rather than start a new line. */
  readonly isComplete: (text: string) => boolean;
}

export interface PromptStep {
  readonly state: PromptState;
  readonly effect?: PromptEffect;
}

export const EXIT_HINT = 'To leave, type exit or press Ctrl-D.';

export function promptKey(state: PromptState, key: KeyPress, deps: PromptDeps): PromptStep {
  if (state.search) return searchKey(state, state.search, key, deps);
  // Any key but Tab closes the completion list and the hint.
  const s: PromptState = { buffer: state.buffer, killed: state.killed, ...(state.browse ? { browse: state.browse } : {}) };
  const b = s.buffer;
  const edit = (buffer: LineBuffer): PromptStep => ({ state: { ...s, buffer } });
  const kill = (k: ed.Kill): PromptStep => ({ state: { ...s, buffer: k.buffer, killed: k.killed === '' ? s.killed : k.killed } });

  if (key.kind === 'text') return edit(ed.insert(b, key.text));
  if (key.kind === 'key') {
    switch (key.name) {
      case 'return':
        return enter(s, deps);
      case 'newline':
        return edit(ed.insert(b, '\n'));
      case 'tab':
        return tab(state, deps);
      case 'backspace':
        return edit(ed.backspace(b));
      case 'delete':
        return edit(ed.deleteForward(b));
      case 'left':
        return edit(ed.left(b));
      case 'right':
        return edit(ed.right(b));
      case 'home':
        return edit(ed.home(b));
      case 'end':
        return edit(ed.end(b));
      case 'wordLeft':
        return edit(ed.wordLeft(b));
      case 'wordRight':
        return edit(ed.wordRight(b));
      case 'killWordLeft':
        return kill(ed.killWordLeft(b));
      case 'killWordRight':
        return kill(ed.killWordRight(b));
      case 'up':
        return ed.cursorLine(b).line > 0 ? edit(ed.verticalMove(b, -1)) : historyUp(s, deps);
      case 'down': {
        const { line, lines } = ed.cursorLine(b);
        return line < lines - 1 ? edit(ed.verticalMove(b, 1)) : historyDown(s, deps);
      }
      case 'escape':
        return { state: s };
      default: {
        const unreachable: never = key.name;
        return { state: unreachable };
      }
    }
  }
  switch (key.letter) {
    case 'a':
      return edit(ed.home(b));
    case 'e':
      return edit(ed.end(b));
    case 'b':
      return edit(ed.left(b));
    case 'f':
      return edit(ed.right(b));
    case 'w':
      return kill(ed.killWordBack(b));
    case 'u':
      return kill(ed.killToLineStart(b));
    case 'k':
      return kill(ed.killToLineEnd(b));
    case 'y':
      return edit(ed.insert(b, s.killed));
    case 'p':
      return historyUp(s, deps);
    case 'n':
      return historyDown(s, deps);
    case 'r':
      return startSearch(s);
    case 'l':
      return { state: s, effect: { type: 'clearScreen' } };
    case 'c':
      if (b.text === '') return { state: { ...s, hint: EXIT_HINT } };
      return { state: { ...INITIAL_PROMPT, killed: s.killed }, effect: { type: 'cancel', text: b.text } };
    case 'd':
      if (b.text === '') return { state: s, effect: { type: 'exit' } };
      return edit(ed.deleteForward(b));
    default:
      return { state: s };
  }
}

function enter(s: PromptState, deps: PromptDeps): PromptStep {
  const text = s.buffer.text;
  if (text.trim() === '' || deps.isComplete(text)) {
    return { state: { ...INITIAL_PROMPT, killed: s.killed }, effect: { type: 'submit', text } };
  }
  // Not finished: a new line, the continuation prompt.
  return { state: { ...s, buffer: ed.insert(s.buffer, '\n') } };
}

function historyUp(s: PromptState, deps: PromptDeps): PromptStep {
  const from = s.browse?.index ?? deps.history.length;
  if (from <= 0) return { state: s };
  const index = from - 1;
  const entry = deps.history.at(index) ?? '';
  return { state: { ...s, buffer: ed.bufferOf(entry), browse: { index, draft: s.browse?.draft ?? s.buffer } } };
}

function historyDown(s: PromptState, deps: PromptDeps): PromptStep {
  if (!s.browse) return { state: s };
  const index = s.browse.index + 1;
  if (index >= deps.history.length) {
    const { browse: _, ...rest } = s;
    return { state: { ...rest, buffer: s.browse.draft } };
  }
  return { state: { ...s, buffer: ed.bufferOf(deps.history.at(index) ?? ''), browse: { ...s.browse, index } } };
}

function tab(state: PromptState, deps: PromptDeps): PromptStep {
  const b = state.buffer;
  const { completions: _, hint: __, ...s } = state;
  const c = complete(b.text, b.cursor, deps.names());
  if (c.candidates.length === 0) return { state: s };
  const replace = (text: string): PromptStep => ({
    state: { ...s, buffer: { text: b.text.slice(0, c.start) + text + b.text.slice(b.cursor), cursor: c.start + text.length } },
  });
  if (c.candidates.length === 1) {
    const text = completionText(c.candidates[0] as Candidate, c.prefix, c.quoted);
    // The closing quote may be there already.
    return replace(c.quoted && b.text[b.cursor] === "'" ? text.slice(0, -1) : text);
  }
  const common = commonPrefix(c.candidates, c.prefix, c.quoted);
  if (common.length > c.prefix.length) return replace(common);
  return { state: { ...s, completions: c.candidates.map((x) => x.text) } };
}

function startSearch(s: PromptState): PromptStep {
  return { state: { ...s, search: { query: '', match: -1, original: s.buffer } } };
}

/** Shows the matched entry with the cursor on the match. */
function showMatch(s: PromptState, search: SearchState, deps: PromptDeps): PromptState {
  if (search.match < 0) return { ...s, search };
  const entry = deps.history.at(search.match) ?? '';
  const at = entry.toLowerCase().indexOf(search.query.toLowerCase());
  return { ...s, search, buffer: { text: entry, cursor: Math.max(0, at) } };
}

function searchKey(state: PromptState, search: SearchState, key: KeyPress, deps: PromptDeps): PromptStep {
  const { search: _, ...rest } = state;
  const h = deps.history;
  if (key.kind === 'text') {
    const query = search.query + key.text;
    // The current match still counts while it contains the longer query.
    const match = h.searchBack(query, search.match >= 0 ? search.match + 1 : h.length);
    return { state: showMatch(state, { ...search, query, match }, deps) };
  }
  if (key.kind === 'key' && key.name === 'backspace') {
    const query = search.query.slice(0, -1);
    const match = query === '' ? -1 : h.searchBack(query, h.length);
    return { state: showMatch(match < 0 ? { ...state, buffer: search.original } : state, { ...search, query, match }, deps) };
  }
  if (key.kind === 'ctrl' && (key.letter === 'r' || key.letter === 's')) {
    if (search.query === '') return { state };
    const match = h.searchBack(search.query, search.match >= 0 ? search.match : h.length);
    return { state: match < 0 ? state : showMatch(state, { ...search, match }, deps) };
  }
  if (key.kind === 'ctrl' && (key.letter === 'g' || key.letter === 'c')) {
    return { state: { ...rest, buffer: search.original } };
  }
  // Anything else accepts the match (or the original text) and then acts as usual.
  const accepted: PromptState = { ...rest, buffer: search.match >= 0 ? rest.buffer : search.original };
  if (key.kind === 'key' && key.name === 'escape') return { state: accepted };
  return promptKey(accepted, key, deps);
}
