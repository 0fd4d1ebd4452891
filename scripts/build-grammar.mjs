// Compiles grammar.ne (and its grammar/*.ne includes) into src/parser/grammar.generated.ts.
// The output is generated code: never edit it by hand.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'src/parser/grammar.generated.ts');
execFileSync(process.execPath, [path.join(root, 'node_modules/nearley/bin/nearleyc.js'), path.join(root, 'grammar.ne'), '-o', out], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
// nearleyc refers to token types as bare names in a branch that never runs with our lexer;
// the type checker cannot know that, so the generated file is exempt from it.
const code = readFileSync(out, 'utf8');
writeFileSync(out, `// @ts-nocheck\n// GENERATED from grammar.ne by scripts/build-grammar.mjs: do not edit.\n${code}`);
