import { byPattern, type CliCommand } from './types.js';

export const setCliCommand: CliCommand = {
  name: 'set cli',
  usage: ['set cli WRAP ON|OFF', 'set cli COLUMN-WIDTH <n>'],
  description: 'Live tables: wrap long values in their cell (WRAP ON) or cut them (OFF); fix every column\u2019s width (0 = share the terminal width).',
  parse: byPattern(/^set\s+cli(?:\s+(\S+)(?:\s+(\S+))?)?$/i),
  run: (ctx, [name, value]) => {
    const s = ctx.settings;
    if (name === undefined) {
      ctx.print(`WRAP: ${s.wrap ? 'ON' : 'OFF'}\nCOLUMN-WIDTH: ${s.columnWidth}\n`);
      return undefined;
    }
    const key = name.toUpperCase();
    if (key === 'WRAP') {
      const v = value?.toUpperCase();
      if (v !== 'ON' && v !== 'OFF') {
        ctx.print(ctx.palette.red(`set cli WRAP expects ON or OFF\n`));
        return undefined;
      }
      s.wrap = v === 'ON';
      ctx.print(`WRAP set to ${v}\n`);
      return undefined;
    }
    if (key === 'COLUMN-WIDTH' || key === 'COLUMN_WIDTH') {
      const n = value === undefined ? NaN : Number(value);
      if (!Number.isInteger(n) || n < 0) {
        ctx.print(ctx.palette.red(`set cli COLUMN-WIDTH expects a whole number (0 = fit the terminal)\n`));
        return undefined;
      }
      s.columnWidth = n;
      ctx.print(`COLUMN-WIDTH set to ${n}\n`);
      return undefined;
    }
    ctx.print(ctx.palette.red(`Unknown CLI setting '${name}' (settings: WRAP, COLUMN-WIDTH)\n`));
    return undefined;
  },
};
