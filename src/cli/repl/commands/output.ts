import { byPattern, type CliCommand } from './types.js';

export const outputCommand: CliCommand = {
  name: 'output',
  usage: ['output [TABULAR|JSON]'],
  description: 'Show or set how results are printed: tables as ksqlDB prints them, or ksqlDB\u2019s REST JSON.',
  parse: byPattern(/^output(?:\s+(\S+))?$/i),
  run: (ctx, [format]) => {
    if (format === undefined) {
      ctx.print(`Output format: ${ctx.settings.output.toUpperCase()}\n`);
      return undefined;
    }
    const f = format.toLowerCase();
    if (f !== 'tabular' && f !== 'json') {
      ctx.print(ctx.palette.red(`Invalid output format: '${format}' (valid formats: TABULAR, JSON)\n`));
      return undefined;
    }
    ctx.settings.output = f;
    ctx.print(`Output format set to ${f.toUpperCase()}\n`);
    return undefined;
  },
};
