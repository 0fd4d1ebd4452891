/**
 * The `ksqlite` command. Without a statement source and with a terminal it
 * starts the REPL; with -e, -f or piped input it runs the statements and exits.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import {
  Engine,
  messageOf,
  openEmbeddedBackend,
  openKafkaBackend,
  parseProperties,
  produceBytes,
  type Backend,
  type EngineOptions,
  type ProduceKeyFormat,
  type ProduceValueFormat,
} from '../engine/index.js';
import { runStatements, type OutputFormat } from './script.js';
import { VERSION } from './version.js';
import { runTests, type TestOptions } from './commands/test.js';

/** Exit codes: 0 ok, 1 a statement failed, 2 bad usage. */
export const EXIT_USAGE = 2;

export interface GlobalOptions {
  execute?: string;
  file?: string;
  dataDir?: string;
  define: string[];
  output: OutputFormat;
  bootstrapServer?: string;
  schemaRegistryUrl?: string;
  configFile?: string;
  serviceId?: string;
}

/** The per-user data folder: KSQLITE_DATA_DIR, else $XDG_DATA_HOME/ksqlite, else ~/.local/share/ksqlite. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KSQLITE_DATA_DIR) return path.resolve(env.KSQLITE_DATA_DIR);
  const base = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'ksqlite');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function parseDefines(defines: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of defines) {
    const eq = d.indexOf('=');
    if (eq <= 0) throw new UsageError(`--define expects NAME=VALUE, got '${d}'`);
    const name = d.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--define: '${name}' is not a valid variable name`);
    out[name] = d.slice(eq + 1);
  }
  return out;
}

export class UsageError extends Error {
  readonly exitCode = EXIT_USAGE;
}

/** The options that choose the backend: accepted before a subcommand and after it. */
function backendOptions(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', 'where the embedded log keeps its data (default: $KSQLITE_DATA_DIR or ~/.local/share/ksqlite)')
    .option('--bootstrap-server <host:port>', 'run on this Kafka cluster instead of the embedded log')
    .option('--schema-registry-url <url>', 'the schema registry to use with --bootstrap-server')
    .option('--config-file <path>', 'a properties file of Kafka client settings (client.id, SASL, SSL)')
    .option('--service-id <id>', 'the ksql.service.id: queries of processes with the same id share work');
}

/** Global options, with those given after the subcommand winning. */
function merged(program: Command, cmd: Command): GlobalOptions {
  const local = cmd.opts<Partial<GlobalOptions>>();
  const out: GlobalOptions = { ...program.opts<GlobalOptions>() };
  for (const k of ['dataDir', 'bootstrapServer', 'schemaRegistryUrl', 'configFile', 'serviceId'] as const) {
    if (local[k] !== undefined) out[k] = local[k];
  }
  return out;
}

export function buildProgram(): Command {
  const program = new Command();
  program.enablePositionalOptions();
  program
    .name('ksqlite')
    .description('A ksqlDB-compatible streaming SQL engine and REPL. Runs on an embedded log by default, or on Kafka.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('-e, --execute <statements>', 'run these statements (separated by ;) and exit')
    .option('-f, --file <path>', 'run the statements in a .sql file and exit')
    .option('--define <name=value>', 'define a variable for ${name} substitution (repeatable)', collect, [])
    .addOption(new Option('--output <format>', 'how results are printed').choices(['tabular', 'json']).default('tabular'));
  backendOptions(program)
    .showHelpAfterError('(run ksqlite --help for usage)')
    .exitOverride();
  program
    .command('test')
    .description("run ksqlDB query-validation test files (QTT format) against ksqlite")
    .argument('<paths...>', 'test files or folders of them')
    .option('--json <report>', 'also write a JSON report of every case')
    .option('--ratchet <file>', 'fail if a case listed in this file (one id per line) no longer passes')
    .option('--update-ratchet', 'write the passing cases to the --ratchet file instead of checking it')
    .option('--filter <regex>', 'run only the cases whose id matches')
    .option('--timeout <ms>', 'give up on a case after this long', '20000')
    .option('-q, --quiet', 'print only the summary')
    .option('--bootstrap-server <host:port>', 'run the cases on this Kafka cluster (each in a namespace of its own)')
    .option('--schema-registry-url <url>', "that cluster's schema registry")
    .action(async (paths: string[], opts: TestOptions) => {
      process.exitCode = await runTests(paths, opts, (s) => process.stdout.write(s));
    });
  backendOptions(program.command('run'))
    .description('run the persistent queries of a .sql file headless, until SIGTERM or Ctrl-C')
    .requiredOption('--queries-file <path>', 'the statements to run (already applied ones are skipped)')
    .action(async (o: { queriesFile: string }, cmd: Command) => {
      process.exitCode = await runHeadless(merged(program, cmd), o.queriesFile);
    });
  backendOptions(program.command('produce'))
    .description('write lines from stdin or a file to a topic, one record per line (creates the topic)')
    .argument('<topic>', 'the topic')
    .option('-f, --file <path>', 'read this file instead of stdin')
    .option('--partitions <n>', 'partitions when the topic is created', '1')
    .option('--key-field <field>', "each record's key is this field of its JSON value")
    .option('--key <key>', 'the key of every record')
    .option('--key-delimiter <d>', "lines 'key<d>value' carry their key ('' for none)", '\t')
    .addOption(new Option('--key-format <format>', 'how keys are written').choices(['string', 'json', 'int', 'bigint', 'double']).default('string'))
    .addOption(new Option('--format <format>', 'what each line (value) is').choices(['json', 'delimited', 'kafka']).default('json'))
    .action(async (topic: string, o: ProduceCliOptions, cmd: Command) => {
      process.exitCode = await produceCommand(merged(program, cmd), topic, o);
    });
  backendOptions(program.command('print'))
    .description("print a topic's records as PRINT does")
    .argument('<topic>', 'the topic')
    .option('--from-beginning', 'start at the oldest record')
    .option('--limit <n>', 'stop after n records')
    .option('--interval <n>', 'print every n-th record')
    .option('-e, --exit', 'stop at the end of the topic instead of waiting for more (kcat -e)')
    .action(async (topic: string, o: { fromBeginning?: boolean; limit?: string; interval?: string; exit?: boolean }, cmd: Command) => {
      process.exitCode = await printCommand(merged(program, cmd), topic, o);
    });
  return program;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  let code = 0;
  program.action(async () => {
    code = await run(program.opts<GlobalOptions>());
  });
  try {
    await program.parseAsync(argv as string[]);
    if (process.exitCode !== undefined && code === 0) code = Number(process.exitCode);
  } catch (err) {
    const e = err as { code?: string; exitCode?: number; message?: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') code = 0;
    else if (e.code?.startsWith('commander.')) code = EXIT_USAGE;
    else if (err instanceof UsageError) {
      process.stderr.write(`ksqlite: ${err.message}\n`);
      code = EXIT_USAGE;
    } else {
      process.stderr.write(`ksqlite: ${e.message ?? String(err)}\n`);
      code = 1;
    }
  }
  process.exitCode = code;
}

/** The engine options every front end shares: variables, the service id, RUN SCRIPT relative to `scriptDir`. */
function engineOptions(opts: GlobalOptions, scriptDir: string) {
  return {
    variables: parseDefines(opts.define),
    ...(opts.serviceId ? { properties: { 'ksql.service.id': opts.serviceId } } : {}),
    scriptLoader: (p: string) => fs.readFileSync(path.resolve(scriptDir, p), 'utf8'),
  };
}

/** Opens the backend the options choose: Kafka with --bootstrap-server (or $KSQLITE_BOOTSTRAP_SERVER), else the embedded log. */
export async function openBackend(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Promise<Backend> {
  let config: Record<string, string> = {};
  if (opts.configFile !== undefined) {
    try {
      config = parseProperties(fs.readFileSync(opts.configFile, 'utf8'));
    } catch (err) {
      throw new UsageError(`cannot read ${opts.configFile}: ${(err as Error).message}`);
    }
  }
  if (opts.dataDir !== undefined && (opts.bootstrapServer !== undefined || config['bootstrap.servers'] !== undefined)) {
    throw new UsageError('use either --data-dir (the embedded log) or --bootstrap-server (Kafka), not both');
  }
  // Flags win over the environment: an explicit --data-dir means the embedded log whatever KSQLITE_BOOTSTRAP_SERVER says.
  const bootstrap = opts.bootstrapServer ?? config['bootstrap.servers'] ?? (opts.dataDir === undefined ? env.KSQLITE_BOOTSTRAP_SERVER : undefined);
  const registryUrl = opts.schemaRegistryUrl ?? env.KSQLITE_SCHEMA_REGISTRY_URL;
  if (bootstrap) {
    return openKafkaBackend({ bootstrapServers: bootstrap, ...(registryUrl ? { schemaRegistryUrl: registryUrl } : {}), config });
  }
  if (opts.schemaRegistryUrl) throw new UsageError('--schema-registry-url goes with --bootstrap-server; the embedded log keeps its own registry');
  return openEmbeddedBackend(path.resolve(opts.dataDir ?? defaultDataDir()));
}

/**
 * A spinner line on stderr while something slow happens before the REPL draws
 * (connecting to Kafka, replaying the command log); nothing when stderr is not a terminal.
 */
function startupStatus(enabled: boolean): { show(what: string): void; done(): void } {
  if (!enabled || !process.stderr.isTTY) return { show: () => undefined, done: () => undefined };
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let what = '';
  let i = 0;
  const draw = () => process.stderr.write(`\r\x1b[K${frames[i++ % frames.length]} ${what}`);
  let timer: NodeJS.Timeout | undefined;
  return {
    show(text: string) {
      what = text;
      // Only waits longer than a moment get a spinner.
      timer ??= setInterval(draw, 80);
    },
    done() {
      if (timer) {
        clearInterval(timer);
        process.stderr.write('\r\x1b[K');
      }
    },
  };
}

/** Runs `fn` with an engine over the chosen backend, closing both afterwards (`interactive`: a spinner while it opens). */
async function withEngine<T>(
  opts: GlobalOptions,
  engineOpts: Omit<EngineOptions, 'broker'>,
  fn: (engine: Engine, backend: Backend) => Promise<T>,
  interactive = false,
): Promise<T> {
  const status = startupStatus(interactive);
  let backend: Backend;
  let engine: Engine;
  try {
    status.show(opts.bootstrapServer ?? process.env.KSQLITE_BOOTSTRAP_SERVER ? 'Connecting to Kafka…' : 'Opening the embedded log…');
    backend = await openBackend(opts);
    try {
      status.show('Restoring streams, tables and queries from the command log…');
      engine = await Engine.create({
        ...engineOpts,
        // SHOW PROPERTIES lists the client settings too (secrets hidden).
        ...(backend.settings ? { properties: { ...backend.settings, ...engineOpts.properties } } : {}),
        broker: backend.broker,
        commandLog: true,
        ...(backend.schemaRegistry ? { schemaRegistry: backend.schemaRegistry } : {}),
      });
    } catch (err) {
      await backend.close();
      throw err;
    }
  } finally {
    status.done();
  }
  try {
    for (const w of engine.restoreWarnings) process.stderr.write(`Warning: ${w}\n`);
    return await fn(engine, backend);
  } finally {
    await engine.close();
    await backend.close();
  }
}

async function run(opts: GlobalOptions): Promise<number> {
  if (opts.execute !== undefined && opts.file !== undefined) throw new UsageError('use either -e or -f, not both');
  let script: string | undefined;
  if (opts.execute !== undefined) script = opts.execute;
  else if (opts.file !== undefined) script = readScript(opts.file);
  else if (!process.stdin.isTTY) script = await readStdin();

  if (script === undefined) {
    // A terminal and no statements: the interactive REPL, following what other processes do on the same log.
    return withEngine(opts, { ...engineOptions(opts, process.cwd()), followCommands: true }, async (engine, backend) => {
      const { startRepl } = await import('./repl/index.js');
      return startRepl(engine, {
        dataDir: backend.location,
        version: VERSION,
        backend: backend.kind === 'embedded' ? 'embedded' : backend.location,
        width: process.stdout.columns ?? 120,
      });
    }, true);
  }

  const scriptDir = opts.file !== undefined ? path.dirname(path.resolve(opts.file)) : process.cwd();
  const text = script;
  return withEngine(opts, engineOptions(opts, scriptDir), async (engine) => {
    const code = await runStatements(engine, text, {
      out: (t) => process.stdout.write(t),
      err: (t) => process.stderr.write(t),
      format: opts.output,
      width: process.stdout.columns ?? 120,
      script: { settleBeforeInspecting: true },
    });
    // Persistent queries started or resumed here finish what is already in their input before the process ends.
    await engine.settle();
    return code;
  });
}

function readScript(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

/** `ksqlite run --queries-file app.sql`: headless, the file's queries run until SIGTERM or SIGINT. */
export async function runHeadless(opts: GlobalOptions, queriesFile: string, signals: NodeJS.EventEmitter = process): Promise<number> {
  const script = readScript(queriesFile);
  const scriptDir = path.dirname(path.resolve(queriesFile));
  return withEngine(opts, { ...engineOptions(opts, scriptDir), followCommands: true }, async (engine, backend) => {
    const stopped = new Promise<string>((resolve) => {
      signals.once('SIGTERM', () => resolve('SIGTERM'));
      signals.once('SIGINT', () => resolve('SIGINT'));
    });
    let code = 0;
    try {
      for await (const executed of engine.executeScript(script, { skipApplied: true })) {
        const r = executed.result;
        const what = r.type === 'message' && r.message ? r.message : r.type;
        process.stdout.write(`${executed.text.split('\n')[0]?.slice(0, 60)}: ${what}\n`);
        if (r.type === 'rows') await r.cancel();
      }
    } catch (err) {
      process.stderr.write(`${messageOf(err)}\n`);
      code = 1;
    }
    if (code !== 0) return code;
    process.stdout.write(
      `ksqlite ${VERSION} running ${engine.queries.all().length} persistent quer${engine.queries.all().length === 1 ? 'y' : 'ies'} on ${backend.location}; SIGTERM or Ctrl-C stops it\n`,
    );
    const signal = await stopped;
    process.stdout.write(`${signal}: stopping; offsets of processed records are committed\n`);
    return 0;
  });
}

/** `ksqlite produce TOPIC`: JSON (or delimited, or text) lines from a file or stdin into a topic. */
export async function produceCommand(opts: GlobalOptions, topic: string, p: ProduceCliOptions): Promise<number> {
  const input = p.file !== undefined ? fs.createReadStream(p.file) : process.stdin;
  if (p.file !== undefined && !fs.existsSync(p.file)) throw new UsageError(`cannot read ${p.file}: no such file`);
  if (p.keyField !== undefined && p.key !== undefined) throw new UsageError('use either --key-field or --key, not both');
  const backend = await openBackend(opts);
  try {
    let bad = 0;
    const report = await produceBytes(backend.broker, topic, input as AsyncIterable<Uint8Array>, {
      format: p.format,
      ...(p.partitions !== undefined ? { partitions: Number(p.partitions) } : {}),
      ...(p.keyField !== undefined ? { keyField: p.keyField } : {}),
      ...(p.key !== undefined ? { key: p.key } : {}),
      ...(p.keyDelimiter !== undefined ? { keyDelimiter: p.keyDelimiter } : {}),
      keyFormat: p.keyFormat,
      onBadLine: (line, reason) => {
        bad += 1;
        if (bad <= 20) process.stderr.write(`${p.file ?? 'stdin'}:${line}: skipped: ${reason}\n`);
      },
    });
    process.stderr.write(
      `Produced ${report.produced} record${report.produced === 1 ? '' : 's'} to ${topic}${report.createdTopic ? ' (topic created)' : ''}${report.skipped ? `; ${report.skipped} line(s) skipped` : ''}\n`,
    );
    return report.skipped > 0 ? 1 : 0;
  } finally {
    await backend.close();
  }
}

export interface ProduceCliOptions {
  file?: string;
  partitions?: string;
  keyField?: string;
  key?: string;
  keyDelimiter?: string;
  keyFormat: ProduceKeyFormat;
  format: ProduceValueFormat;
}

/** `ksqlite print TOPIC`: PRINT from the command line. */
export async function printCommand(
  opts: GlobalOptions,
  topic: string,
  p: { fromBeginning?: boolean; limit?: string; interval?: string; exit?: boolean },
): Promise<number> {
  const backend = await openBackend(opts);
  try {
    // The registry on the log: AVRO records others wrote print as JSON.
    const engine = await Engine.create({
      broker: backend.broker,
      ...(backend.schemaRegistry ? { schemaRegistry: backend.schemaRegistry } : { registryOnLog: true }),
    });
    let stopped = false;
    const stop = () => {
      stopped = true;
    };
    process.once('SIGINT', stop);
    try {
      const lines = await engine.printTopic(
        topic,
        {
          fromBeginning: p.fromBeginning === true,
          ...(p.interval !== undefined ? { interval: Number(p.interval) } : {}),
          ...(p.limit !== undefined ? { limit: Number(p.limit) } : {}),
          ...(p.exit ? { untilEnd: true } : {}),
        },
        () => stopped,
      );
      for await (const line of lines) process.stdout.write(`${line}\n`);
      if (!p.exit) process.stdout.write('Topic printing ceased\n');
      return 0;
    } catch (err) {
      process.stderr.write(`${messageOf(err)}\n`);
      return 1;
    } finally {
      process.off('SIGINT', stop);
      await engine.close();
    }
  } finally {
    await backend.close();
  }
}
