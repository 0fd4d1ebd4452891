/**
 * SHOW FUNCTIONS (ksqlDB's FunctionNameListTableBuilder) and DESCRIBE FUNCTION
 * (its Console.printFunctionDescription, wrapping included).
 */
import type { FunctionDescription, FunctionSummary } from '../../engine/index.js';
import { byJavaString, printed, tableLines, type TableOptions } from './table.js';

export function renderFunctionList(functions: readonly FunctionSummary[], opts: TableOptions = {}): string {
  const rows: string[][] = [];
  // Without categories (an older server) ksqlDB lists name and type instead.
  if (functions.length === 0 || functions[0]?.category === '') {
    for (const f of [...functions].sort((a, b) => byJavaString(a.name, b.name))) rows.push([f.name, f.type]);
  } else {
    const sorted = [...functions].sort((a, b) => byJavaString(a.category, b.category) || byJavaString(a.name, b.name));
    let previous = sorted[0]?.category;
    for (const f of sorted) {
      if (f.category !== previous) rows.push([' ', ' ']);
      rows.push([f.name, f.category]);
      previous = f.category;
    }
  }
  return printed([
    ...tableLines(['Function Name', 'Category'], rows, opts),
    'For detailed information about a function, run: DESCRIBE FUNCTION <Function Name>;',
  ]);
}

/** ksqlDB's `function_names` entity. */
export function functionListJson(functions: readonly FunctionSummary[]): Record<string, unknown> {
  return {
    '@type': 'function_names',
    functions: functions.map((f) => ({ name: f.name, type: f.type, category: f.category })),
  };
}

/** Built-in functions live in no jar; ksqlDB shows "internal" for them. */
const PATH = 'internal';

export function renderFunctionDescription(d: FunctionDescription, opts: TableOptions = {}): string {
  const width = Math.max(opts.width ?? 0, 80);
  const name = d.name.toUpperCase();
  const lines: string[] = [base('Name', name)];
  if (d.author.trim() !== '') lines.push(base('Author', d.author));
  if (d.version.trim() !== '') lines.push(base('Version', d.version));
  lines.push(...described(base, 'Overview', d.description, width));
  lines.push(base('Type', d.type), base('Jar', PATH), base('Variations', ''));
  for (const v of d.variants) {
    lines.push('', sub('Variation', variation(name, v.signature)));
    lines.push(sub('Returns', v.returns));
    lines.push(...described(sub, 'Description', v.description, width));
  }
  return printed(lines);
}

function base(label: string, value: string): string {
  return `${label.padEnd(12)}: ${value}`;
}

function sub(label: string, value: string): string {
  return `\t${label.padEnd(12)}: ${value}`;
}

/** A labelled description wrapped to the terminal, continuation lines under its first. */
function described(format: (label: string, value: string) => string, label: string, text: string, width: number): string[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const labelLength = format(label, '').replace(/\t/g, '  ').length;
  const indent = ' '.repeat(labelLength);
  return [format(label, splitLongLine(trimmed, width - labelLength).replace(/\n/g, `\n${indent}`))];
}

/** ksqlDB's splitLongLine: breaks before the word (or space) that would pass the width. */
function splitLongLine(input: string, maxLineLength: number): string {
  let output = '';
  let lineLength = 0;
  for (const word of input.split(/( |\n)/)) {
    if (word === '') continue;
    const isNewLine = word === '\n';
    if (isNewLine || lineLength + word.length > maxLineLength) {
      output += '\n';
      lineLength = 0;
      if (isNewLine) continue;
    }
    output += word;
    lineLength += word.length;
  }
  return output;
}

/** `NAME(arg1 INT, arg2 VARCHAR)`: the signature as given if it already names the function. */
function variation(name: string, signature: string): string {
  const s = signature.trim();
  return s.toUpperCase().startsWith(`${name}(`) ? s : `${name}(${s})`;
}

/** ksqlDB's `describe_function` entity. */
export function functionDescriptionJson(d: FunctionDescription): Record<string, unknown> {
  const name = d.name.toUpperCase();
  return {
    '@type': 'describe_function',
    name,
    description: d.description,
    author: d.author,
    version: d.version,
    path: PATH,
    functions: d.variants.map((v) => ({
      arguments: argumentsOf(name, v.signature),
      returnType: v.returns,
      description: v.description,
    })),
    type: d.type,
  };
}

interface ArgumentJson {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly isVariadic: boolean;
}

/** The arguments of a signature (`arg1 INT, ARRAY<STRING>...`), split at top-level commas. */
function argumentsOf(name: string, signature: string): ArgumentJson[] {
  let s = signature.trim();
  if (s.toUpperCase().startsWith(`${name}(`) && s.endsWith(')')) s = s.slice(name.length + 1, -1);
  return splitTopLevel(s, ',')
    .map((a) => a.trim())
    .filter((a) => a !== '')
    .map((a) => {
      const space = topLevelIndexOf(a, ' ');
      let argName = space < 0 ? '' : a.slice(0, space);
      let type = space < 0 ? a : a.slice(space + 1).trim();
      // A first word with brackets is a type of its own, not a name.
      if (/[<(]/.test(argName)) {
        argName = '';
        type = a;
      }
      const variadic = /(\[\]|\.\.\.)$/.test(type);
      return { name: argName, type: type.replace(/(\[\]|\.\.\.)$/, ''), description: '', isVariadic: variadic };
    });
}

function splitTopLevel(s: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '<' || ch === '(') depth++;
    else if (ch === '>' || ch === ')') depth--;
    else if (ch === separator && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

function topLevelIndexOf(s: string, ch: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '<' || c === '(') depth++;
    else if (c === '>' || c === ')') depth--;
    else if (c === ch && depth === 0) return i;
  }
  return -1;
}
