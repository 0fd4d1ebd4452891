import { byPattern, type CliCommand } from './types.js';

export const spoolCommand: CliCommand = {
  name: 'spool',
  usage: ['spool <file>', 'spool off'],
  description: 'Copy the session (statements and their output) to a file, until spool off.',
  parse: byPattern(/^spool(?:\s+(.+))?$/i),
  run: (ctx, [arg]) => {
    if (arg === undefined) {
      ctx.print(ctx.spoolFile === undefined ? 'Spool is off.\n' : `Spooling to ${ctx.spoolFile}\n`);
      return undefined;
    }
    const file = arg.trim().replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
    if (file.toLowerCase() === 'off') {
      const was = ctx.spoolFile;
      ctx.print(ctx.stopSpool() ? `Spool to ${was} stopped\n` : 'Spool was not on.\n');
      return undefined;
    }
    try {
      ctx.startSpool(file);
      ctx.print(`Session will be spooled to ${ctx.spoolFile}\nEnter SPOOL OFF to disable\n`);
    } catch (err) {
      ctx.print(ctx.palette.red(`Cannot spool to ${file}: ${err instanceof Error ? err.message : String(err)}\n`));
    }
    return undefined;
  },
};
