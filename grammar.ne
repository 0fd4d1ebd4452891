# The ksqlDB dialect (ksqlDB 0.29 / Confluent 7.x), compiled by nearleyc into
# src/parser/grammar.generated.ts at build time (npm run grammar). The statement
# families live in grammar/*.ne. One rule of thumb: a statement must have exactly
# one parse; the parse wrapper treats two as a grammar bug.
@preprocessor typescript

@{%
import { SignificantLexer, NON_RESERVED } from './lexer.js';
import * as b from './build.js';
import type * as A from './ast.js';

const lexer = new SignificantLexer();
const nonReservedSet = new Set<string>(NON_RESERVED);
// Keyword tokens usable as names (ksqlDB's non-reserved words).
const nonReservedKeyword = { test: (t: b.Tok) => nonReservedSet.has(t.type ?? '') };
// Any word at all, reserved or not: struct field names after `->`, for instance.
const anyWord = { test: (t: b.Tok) => /^[A-Za-z_]/.test(t.value) && t.type !== 'string' };
// The bare word STRING, the one non-number type parameter ksqlDB takes.
const stringWord = { test: (t: b.Tok) => t.type === 'identifier' && t.value.toUpperCase() === 'STRING', label: "'STRING'" };
const first = (d: any[]) => d[0];
const second = (d: any[]) => d[1];
const nothing = () => undefined;
%}

@lexer lexer

# One statement, optionally ended by `;`.
main -> statement semicolon {% first %}

semicolon -> null | ";"

@include "grammar/statements.ne"
@include "grammar/query.ne"
@include "grammar/expressions.ne"
@include "grammar/types.ne"
@include "grammar/names.ne"
