import type { CliCommand, CommandContext } from './types.js';
import { byPattern } from './types.js';

/** The help text; it lists the commands it is given (the registry passes every command). */
export function helpCommand(commands: () => readonly CliCommand[]): CliCommand {
  return {
    name: 'help',
    usage: ['help'],
    description: 'Show this help.',
    parse: byPattern(/^(?:help|\?)$/i),
    run: (ctx: CommandContext) => {
      const b = ctx.palette.bold;
      const width = Math.max(40, ctx.width());
      const list = commands();
      const left = Math.max(...list.flatMap((c) => c.usage.map((u) => u.length))) + 4;
      const lines = [
        `${b('Statements')} end with ; and may span lines. For example:`,
        '  CREATE STREAM pages (id INT KEY, url STRING)',
        "    WITH (KAFKA_TOPIC='pages', VALUE_FORMAT='JSON', PARTITIONS=1);",
        "  INSERT INTO pages (id, url) VALUES (1, 'https://ksqldb.io');",
        '  SELECT id, UCASE(url) AS u FROM pages EMIT CHANGES;   -- a live table; Ctrl-C stops it',
        '  SHOW STREAMS;  SHOW TABLES;  SHOW QUERIES;  SHOW TOPICS;  SHOW PROPERTIES;',
        '  DESCRIBE pages [EXTENDED];  TERMINATE <query id>;  DROP STREAM pages;',
        "  SET 'auto.offset.reset'='earliest';  RUN SCRIPT 'file.sql';  PRINT 'pages' FROM BEGINNING;",
        '',
        `${b('CLI commands')} (no ; needed):`,
        ...list.flatMap((c) => {
          const text = wrap(c.description, width - left);
          const rows = Math.max(c.usage.length, text.length);
          return Array.from({ length: rows }, (_, i) => `  ${(c.usage[i] ?? '').padEnd(left - 2)}${text[i] ?? ''}`.trimEnd());
        }),
        '',
        `${b('Keys')}:`,
        ...[
          'Enter runs the input once a ; ends it; Alt-Enter starts a new line.',
          'Tab completes keywords and names; Up/Down walk the history; Ctrl-R searches it.',
          'Ctrl-A/E: start/end of line. Alt-B/F: word back/forward. Ctrl-W/U/K: cut word / to start / to end. Ctrl-Y: paste.',
          'Ctrl-C stops a running query (or drops the line); Ctrl-L clears the screen; Ctrl-D on an empty line exits.',
        ].flatMap((l) => wrap(l, width - 4).map((x, i) => `${i === 0 ? '  ' : '    '}${x}`)),
      ];
      ctx.print(`${lines.join('\n')}\n`);
      return undefined;
    },
  };
}

/** Words into lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}
