import { byPattern, type CliCommand } from './types.js';

export const versionCommand: CliCommand = {
  name: 'version',
  usage: ['version'],
  description: 'Show the version of ksqlite.',
  parse: byPattern(/^version$/i),
  run: (ctx) => {
    ctx.print(`Version: ${ctx.version}\n`);
    return undefined;
  },
};
