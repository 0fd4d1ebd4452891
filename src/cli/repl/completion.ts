/**
 * Tab completion: keywords, and the names the engine knows (streams, tables,
 * their columns, functions, properties, topics), chosen by where the cursor is.
 * The names are a snapshot taken after each statement (topics are read from
 * the broker, which is asynchronous; completion itself must not wait).
 */
import { KEYWORDS, PROPERTY_DEFS, type Engine } from '../../engine/index.js';
import { COMMAND_WORDS } from './commands/index.js';

export interface CompletionNames {
  readonly sources: readonly string[];
  /** Columns by source name. */
  readonly columns: ReadonlyMap<string, readonly string[]>;
  readonly functions: readonly string[];
  readonly properties: readonly string[];
  readonly topics: readonly string[];
}

export const NO_NAMES: CompletionNames = { sources: [], columns: new Map(), functions: [], properties: [], topics: [] };

/** Reads the names from the engine's public surface. */
export async function collectNames(engine: Engine): Promise<CompletionNames> {
  const columns = new Map<string, string[]>();
  const sources = engine.metastore.allSources();
  for (const s of sources) {
    columns.set(s.name, [...s.schema.keyColumns, ...s.schema.valueColumns, ...s.schema.headerColumns].map((c) => c.name));
  }
  const properties = new Set([...Object.keys(PROPERTY_DEFS), ...engine.properties.list().map((p) => p.name)]);
  let topics: string[] = [];
  try {
    topics = await engine.broker.listTopics();
  } catch {
    // A broker that cannot answer just means no topic names.
  }
  return {
    sources: sources.map((s) => s.name),
    columns,
    functions: engine.functions.list().map((f) => f.name.toUpperCase()),
    properties: [...properties].sort(),
    topics: topics.sort(),
  };
}

export type CandidateKind = 'keyword' | 'source' | 'column' | 'function' | 'property' | 'topic' | 'command';

export interface Candidate {
  readonly text: string;
  readonly kind: CandidateKind;
}

export interface Completion {
  /** The text being completed is text[start, cursor). */
  readonly start: number;
  readonly prefix: string;
  readonly candidates: readonly Candidate[];
  /** Inside a quoted string: completions close the quote. */
  readonly quoted: boolean;
}

/** Words after which a source name comes. */
const SOURCE_CONTEXT = new Set(['FROM', 'JOIN', 'DESCRIBE', 'EXTENDED', 'INTO', 'STREAM', 'TABLE', 'EXISTS']);
const SHOW_WHAT = ['STREAMS', 'TABLES', 'QUERIES', 'TOPICS', 'PROPERTIES', 'FUNCTIONS', 'TYPES', 'VARIABLES', 'ALL', 'EXTENDED'];
/** What a statement starts with. */
const STATEMENT_START = [
  'CREATE', 'DROP', 'SELECT', 'INSERT', 'SHOW', 'LIST', 'DESCRIBE', 'EXPLAIN', 'PRINT', 'TERMINATE', 'SET', 'UNSET',
  'DEFINE', 'UNDEFINE', 'RUN', 'PAUSE', 'RESUME', 'ALTER',
];
const KIND_ORDER: Readonly<Record<CandidateKind, number>> = {
  command: 0, column: 1, source: 2, keyword: 3, function: 4, property: 5, topic: 6,
};

/** What could go at the cursor. */
export function complete(text: string, cursor: number, names: CompletionNames): Completion {
  const before = text.slice(0, cursor);
  // Only the statement being typed matters: text after the last `;` outside quotes.
  const statement = before.slice(lastTerminator(before) + 1);
  // The sources it names may come after the cursor (SELECT <Tab> FROM pages).
  const rest = text.slice(cursor);
  const whole = statement + rest.slice(0, nextTerminator(rest));
  const quote = openQuoteAt(statement);
  if (quote !== undefined) {
    const prefix = statement.slice(quote + 1);
    const preceding = words(statement.slice(0, quote));
    const last = preceding[preceding.length - 1] ?? '';
    const pool: Candidate[] =
      last === 'SET' || last === 'UNSET'
        ? names.properties.map((p) => ({ text: p, kind: 'property' as const }))
        : [...names.topics.map((t) => ({ text: t, kind: 'topic' as const })), ...names.properties.map((p) => ({ text: p, kind: 'property' as const }))];
    return { start: cursor - prefix.length, prefix, quoted: true, candidates: matching(pool, prefix, true) };
  }
  const word = /[A-Za-z0-9_]*$/.exec(before)?.[0] ?? '';
  const start = cursor - word.length;
  const preceding = words(statement.slice(0, statement.length - word.length));
  const last = preceding[preceding.length - 1];
  const qualifier = /([A-Za-z_][A-Za-z0-9_]*)\.$/.exec(before.slice(0, start))?.[1];
  let pool: Candidate[];
  if (qualifier !== undefined) {
    pool = columnsOf(names, mentionedSources(whole, names)).map((c) => ({ text: c, kind: 'column' as const }));
  } else if (last === undefined) {
    pool = [
      ...COMMAND_WORDS.map((c) => ({ text: c, kind: 'command' as const })),
      ...STATEMENT_START.map((k) => ({ text: k, kind: 'keyword' as const })),
    ];
  } else if (last === 'SHOW' || last === 'LIST') {
    pool = SHOW_WHAT.map((k) => ({ text: k, kind: 'keyword' as const }));
  } else if (last === 'PRINT') {
    pool = names.topics.map((t) => ({ text: t, kind: 'topic' as const }));
  } else if (SOURCE_CONTEXT.has(last) && names.sources.some((s) => s.toUpperCase().startsWith(word.toUpperCase()))) {
    pool = names.sources.map((s) => ({ text: s, kind: 'source' as const }));
  } else {
    const mentioned = mentionedSources(whole, names);
    pool = [
      ...columnsOf(names, mentioned.length > 0 ? mentioned : names.sources).map((c) => ({ text: c, kind: 'column' as const })),
      ...names.sources.map((s) => ({ text: s, kind: 'source' as const })),
      ...KEYWORDS.map((k) => ({ text: k, kind: 'keyword' as const })),
      ...names.functions.map((f) => ({ text: f, kind: 'function' as const })),
    ];
  }
  const candidates = matching(pool, word, false).map((c) => ({ ...c, text: caseLike(c.text, word) }));
  return { start, prefix: word, quoted: false, candidates };
}

/** The text that replaces the prefix when there is one candidate: a space after a word, `(` after a function. */
export function completionText(c: Candidate, prefix: string, quoted: boolean): string {
  if (quoted) return `${c.text}'`;
  const text = caseLike(c.text, prefix);
  if (c.kind === 'function') return `${text}(`;
  if (c.kind === 'column' || c.kind === 'source') return text;
  return `${text} `;
}

/** The longest start shared by every candidate (ignoring case), in the prefix's case. */
export function commonPrefix(candidates: readonly Candidate[], prefix: string, quoted: boolean): string {
  if (candidates.length === 0) return prefix;
  const texts = candidates.map((c) => (quoted ? c.text : caseLike(c.text, prefix)));
  let common = texts[0] as string;
  for (const t of texts.slice(1)) {
    let i = 0;
    while (i < common.length && i < t.length && common[i]?.toLowerCase() === t[i]?.toLowerCase()) i++;
    common = common.slice(0, i);
  }
  return common.length >= prefix.length ? common : prefix;
}

/** Upper-case names follow the case the user types in: `sel` completes to `select`. */
function caseLike(candidate: string, prefix: string): string {
  const upper = candidate === candidate.toUpperCase();
  const lowerTyped = prefix !== '' && prefix === prefix.toLowerCase() && /[a-z]/.test(prefix);
  return upper && lowerTyped ? candidate.toLowerCase() : candidate;
}

function matching(pool: readonly Candidate[], prefix: string, caseSensitive: boolean): Candidate[] {
  const p = caseSensitive ? prefix : prefix.toUpperCase();
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const c of pool) {
    const t = caseSensitive ? c.text : c.text.toUpperCase();
    if (!t.startsWith(p) || seen.has(t)) continue;
    seen.add(t);
    out.push(c);
  }
  return out.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

function columnsOf(names: CompletionNames, sources: readonly string[]): string[] {
  return sources.flatMap((s) => names.columns.get(s) ?? []);
}

/** The sources a statement names, in the order it names them. */
function mentionedSources(statement: string, names: CompletionNames): string[] {
  const ws = new Set(words(statement));
  return names.sources.filter((s) => ws.has(s.toUpperCase()));
}

/** The upper-cased words of a text, strings and comments left out. */
function words(text: string): string[] {
  const bare = text
    .replace(/'(?:[^']|'')*'/g, ' ')
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[^]*?\*\//g, ' ');
  return (bare.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).map((w) => w.toUpperCase());
}

/** Offset of the last `;` outside quotes and comments, or -1. */
function lastTerminator(text: string): number {
  let last = -1;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '`' || ch === '"') quote = ch;
    else if (ch === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return last;
      i = nl;
    } else if (ch === ';') last = i;
  }
  return last;
}

/** Offset of the first `;` outside quotes (a rough scan), or the text's length. */
function nextTerminator(text: string): number {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '`' || ch === '"') quote = ch;
    else if (ch === ';') return i;
  }
  return text.length;
}

/** Offset of an unclosed single quote in the text, if the text ends inside a string. */
function openQuoteAt(text: string): number | undefined {
  let open: number | undefined;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote !== undefined) {
      if (ch === quote) {
        quote = undefined;
        open = undefined;
      }
      continue;
    }
    if (ch === "'" || ch === '`' || ch === '"') {
      quote = ch;
      open = ch === "'" ? i : undefined;
    }
  }
  return quote === "'" ? open : undefined;
}
