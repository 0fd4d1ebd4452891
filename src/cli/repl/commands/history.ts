import { byPattern, type CliCommand } from './types.js';

export const historyCommand: CliCommand = {
  name: 'history',
  usage: ['history'],
  description: 'Show the statements and commands entered (kept in ~/.ksqlite_history). Up/Down and Ctrl-R recall them.',
  parse: byPattern(/^history$/i),
  run: (ctx) => {
    const entries = ctx.history.entries();
    const pad = String(entries.length).length;
    // The numbering is the shell's; multi-line entries keep their lines, indented.
    const text = entries
      .map((e, i) => `${String(i + 1).padStart(pad)}  ${e.split('\n').join(`\n${' '.repeat(pad + 2)}`)}`)
      .join('\n');
    ctx.print(text === '' ? 'No history yet.\n' : `${text}\n`);
    return undefined;
  },
};
