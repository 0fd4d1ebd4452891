import { byPattern, type CliCommand } from './types.js';

export const clearCommand: CliCommand = {
  name: 'clear',
  usage: ['clear'],
  description: 'Clear the screen (also Ctrl-L).',
  parse: byPattern(/^clear$/i),
  run: (ctx) => {
    ctx.clearScreen();
    return undefined;
  },
};
