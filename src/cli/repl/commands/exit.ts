import { byPattern, type CliCommand } from './types.js';

export const exitCommand: CliCommand = {
  name: 'exit',
  usage: ['exit'],
  description: 'Leave the CLI (also Ctrl-D).',
  parse: byPattern(/^(?:exit|quit)$/i),
  run: () => 'exit',
};
