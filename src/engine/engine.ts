/**
 * The engine facade: the one thing the CLI (and the test runner) talks to.
 * `executeScript(sql)` splits a script into statements, substitutes variables,
 * parses, plans and executes each in turn, and yields one typed result per
 * statement. The first failure stops the script with a StatementError naming
 * the statement, its line and column.
 */
import { createMemoryBroker, type Broker, type GroupDescription } from '../broker/index.js';
import {
  formatStatement,
  parseStatement,
  ParseError,
  splitStatements,
  type Statement,
  type StatementText,
} from '../parser/index.js';
import { KsqlError } from '../planner/errors.js';
import { MetaStore, type DataSource } from '../planner/metastore.js';
import {
  planAlterSource,
  planCreateSource,
  planCreateType,
  planDropSource,
  type InferredColumns,
  type PlanContext,
} from '../planner/ddl.js';
import { formatType, type SqlType } from '../schema/index.js';
import { displayValue, jsonValue } from './display.js';
import { createBuiltinRegistry, type FunctionConfig, type FunctionRegistry } from '../functions/index.js';
import { planQuery, type QueryPlanContext } from '../planner/query.js';
import { planInsertValues } from '../planner/insert-values.js';
import {
  compileExpr,
  runPullQuery,
  PersistentQuery,
  ProcessingLog,
  sinkSerde,
  sinkSerdes,
  TransientQuery,
  type RuntimeDeps,
} from '../runtime/index.js';
import { createEmbeddedRegistry, getColumnsFromRegistry, type SchemaRegistry } from '../serde/index.js';
import { queryIdFor, QueryRegistry } from './queries.js';
import { CommandLog, ensureTopic, leaseTopicName, type LoggedCommand } from './command-log.js';
import { printTopic, type PrintOptions } from './print.js';
import { explainQuery } from './explain.js';
import { createLogRegistry, schemaTopicName } from './schema-log.js';
import { StatementError, messageOf } from './errors.js';
import { SessionProperties } from './properties.js';
import { describeSource, summarizeSource, displayType } from './describe.js';
import type { StatementResult, TopicGroupInfo } from './results.js';
import { substituteVariables } from './variables.js';

export interface EngineOptions {
  /** The backend; an in-memory broker when absent. */
  readonly broker?: Broker;
  /** Server-level property overrides (SHOW PROPERTIES level SERVER). */
  readonly properties?: Readonly<Record<string, string>>;
  /** Initial variables for `${name}` substitution (--define). */
  readonly variables?: Readonly<Record<string, string>>;
  /** Reads a file for RUN SCRIPT; without one RUN SCRIPT is refused, as ksqlDB's server refuses it. */
  readonly scriptLoader?: (path: string) => string;
  /** The schema registry; an embedded one when absent. */
  readonly schemaRegistry?: SchemaRegistry;
  /**
   * 'background' (the default): persistent queries run by themselves.
   * 'manual': they run only when drain() is called (the test runner's one-record-at-a-time mode).
   */
  readonly queryDriver?: 'background' | 'manual';
  /**
   * Keep a command log on the broker and replay it at start, so what the user
   * created survives a restart (the CLI's default; tests usually go without).
   */
  readonly commandLog?: boolean;
  /**
   * With a command log: keep following it in the background, so statements
   * other processes run on the same log apply here too (the REPL, `run`).
   */
  readonly followCommands?: boolean;
  /** Keep the embedded schema registry on the broker (implied by commandLog): tools that read what others wrote. */
  readonly registryOnLog?: boolean;
}

/** Options of one script run. */
export interface ScriptOptions {
  /**
   * Skip statements the command log already holds word for word (a queries
   * file run again after a restart: what it created is back already).
   */
  readonly skipApplied?: boolean;
  /**
   * Before a statement that shows runtime statistics (DESCRIBE ... EXTENDED, SHOW
   * ... EXTENDED), let persistent queries catch up, so a script sees the counts of
   * what it inserted (a script has no time between statements to wait).
   */
  readonly settleBeforeInspecting?: boolean;
}

/** Statements that change the metastore: these go to the command log. */
const LOGGED: ReadonlySet<Statement['type']> = new Set([
  'createSource',
  'dropSource',
  'alterSource',
  'createType',
  'dropType',
  'createAsSelect',
  'insertInto',
  'terminate',
]);

/** One executed statement: where it was and what it returned. */
export interface ExecutedStatement {
  /** 1-based position in the script. */
  readonly index: number;
  readonly text: string;
  readonly line: number;
  readonly col: number;
  readonly result: StatementResult;
}

let builtins: FunctionRegistry | undefined;

/** The built-in functions are the same for every engine: built once. */
function builtinFunctions(): FunctionRegistry {
  builtins ??= createBuiltinRegistry();
  return builtins;
}

export class Engine {
  readonly metastore = new MetaStore();
  readonly properties: SessionProperties;
  readonly functions: FunctionRegistry = builtinFunctions();
  readonly schemaRegistry: SchemaRegistry;
  readonly processingLog = new ProcessingLog();
  readonly queries = new QueryRegistry();
  private readonly variables = new Map<string, string>();
  private readonly transients = new Set<TransientQuery>();
  private closed = false;
  private commands?: CommandLog;
  /** Problems met while replaying the command log (statements that no longer apply). */
  readonly restoreWarnings: string[] = [];
  /** Set while replaying: the id the logged query had. */
  private replayQueryId?: string;
  /** The command log's next offset to apply here. */
  private commandOffset = 0;
  /** Offsets of commands this engine appended beyond commandOffset (others' came first). */
  private readonly ownCommands = new Set<number>();
  /** Statements applied from the command log, whitespace-normalized (for skipApplied). */
  private readonly appliedStatements = new Set<string>();
  /** Statements and applied commands run one at a time. */
  private tail: Promise<void> = Promise.resolve();
  private follower?: Promise<void>;
  private wakeClosed!: () => void;
  /** Resolves on close(): ends the follower's wait at once. */
  private readonly closedSignal = new Promise<boolean>((resolve) => {
    this.wakeClosed = () => resolve(false);
  });
  private leaseTopic?: string;

  private constructor(
    readonly broker: Broker,
    private readonly options: EngineOptions,
  ) {
    this.properties = new SessionProperties(options.properties);
    this.schemaRegistry = options.schemaRegistry ?? createEmbeddedRegistry();
    for (const [k, v] of Object.entries(options.variables ?? {})) this.variables.set(k, v);
  }

  static async create(options: EngineOptions = {}): Promise<Engine> {
    const broker = options.broker ?? createMemoryBroker();
    const serviceId = options.properties?.['ksql.service.id'] ?? 'default_';
    // With a command log the embedded registry lives on the log too: schemas survive restarts and are shared.
    const schemaRegistry =
      options.schemaRegistry ?? (options.commandLog || options.registryOnLog ? await createLogRegistry(broker, schemaTopicName(serviceId)) : undefined);
    const engine = new Engine(broker, { ...options, ...(schemaRegistry ? { schemaRegistry } : {}) });
    if (options.commandLog) await engine.restore();
    return engine;
  }

  /** Replays the command log: sources, types and queries come back; queries resume where they stopped. */
  private async restore(): Promise<void> {
    const serviceId = this.properties.get('ksql.service.id') ?? 'default_';
    this.commands = await CommandLog.open(this.broker, serviceId);
    this.leaseTopic = leaseTopicName(serviceId);
    await ensureTopic(this.broker, this.leaseTopic);
    await this.sync();
    if (this.options.followCommands && (this.options.queryDriver ?? 'background') === 'background') this.follower = this.follow();
  }

  /** Applies the commands logged since the last sync (by this process before a restart, or by others). */
  private async sync(): Promise<void> {
    if (!this.commands) return;
    const { commands, next } = await this.commands.readFrom(this.commandOffset);
    for (const c of commands) {
      if (this.ownCommands.delete(c.offset)) continue;
      await this.applyCommand(c);
    }
    this.commandOffset = Math.max(this.commandOffset, next);
    this.queries.advanceTo(this.commandOffset);
  }

  private async applyCommand(c: LoggedCommand): Promise<void> {
    const saved = this.properties.overrides();
    this.properties.replaceOverrides(c.properties);
    this.replayQueryId = c.queryId;
    try {
      const statement = parseStatement(c.statement);
      await this.executeStatement(statement, c.statement);
      this.appliedStatements.add(normalizeStatement(c.statement));
    } catch (err) {
      this.restoreWarnings.push(`Could not restore "${c.statement}": ${messageOf(err)}`);
    } finally {
      this.replayQueryId = undefined;
      this.properties.replaceOverrides(saved);
    }
  }

  /** Follows the command log in the background until close. */
  private async follow(): Promise<void> {
    const commands = this.commands as CommandLog;
    while (!this.closed) {
      try {
        const more = await Promise.race([commands.waitFor(this.commandOffset, 1000), this.closedSignal]);
        if (more && !this.closed) await this.exclusive(() => this.sync());
      } catch {
        if (!this.closed) await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /** Runs `fn` when no other statement or command application is running. */
  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const before = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => {
      release = r;
    });
    await before;
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /**
   * Waits until every persistent query running here has committed all its
   * input (queries feeding queries included), or the timeout passes; true
   * when they caught up. `ksqlite -e/-f` calls it before exiting.
   */
  async settle(timeoutMs = 60_000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    let quiet = 0;
    while (Date.now() < until) {
      let lag = 0;
      for (const q of this.queries.all()) {
        if (!q.active || q.state !== 'RUNNING') continue;
        lag += await this.queryLag(q);
      }
      quiet = lag === 0 ? quiet + 1 : 0;
      if (quiet >= 2) return true;
      // Caught up once: look again soon (a query fed by another one has had its turn by then).
      await new Promise((r) => setTimeout(r, quiet === 1 ? 5 : 25));
    }
    return false;
  }

  /** EXPLAIN <query id> (a running query) or EXPLAIN <statement> (planned, not run). */
  private async explain(s: Extract<Statement, { type: 'explain' }>, text: string): Promise<StatementResult> {
    if (s.queryId !== undefined) {
      const q = this.requireQuery(s.queryId);
      return { type: 'queryDescription', description: explainQuery({ id: q.id, plan: q.plan, sql: q.sql, state: q.state }) };
    }
    const inner = s.statement;
    if (!inner) throw new KsqlError('EXPLAIN needs a query id or a statement.');
    // The statement as the user wrote it, without the EXPLAIN in front.
    const sql = /^\s*EXPLAIN\s+/i.test(text) ? text.replace(/^\s*EXPLAIN\s+/i, '').replace(/;\s*$/, '') : formatStatement(inner);
    let plan;
    if (inner.type === 'createAsSelect') {
      plan = planQuery(inner.query, { kind: 'create', statement: inner, sql }, await this.queryPlanContext());
    } else if (inner.type === 'insertInto') {
      plan = planQuery(inner.query, { kind: 'insert', target: inner.target }, await this.queryPlanContext());
    } else if (inner.type === 'query') {
      plan = planQuery(inner, { kind: 'transient' }, await this.queryPlanContext());
    } else {
      throw new KsqlError(`The provided statement does not run a query: ${sql}`);
    }
    return { type: 'queryDescription', description: explainQuery({ id: '', plan, sql }) };
  }

  /** PRINT's lines for a topic (as they arrive; `untilEnd`: only what it holds now). */
  async printTopic(topic: string, options: PrintOptions, stopped: () => boolean = () => false): Promise<AsyncGenerator<string>> {
    if (!(await this.broker.topicExists(topic))) {
      throw new KsqlError(`Could not find topic '${topic}', or the KSQL user does not have permissions to list the topic. Topic names are case-sensitive.`);
    }
    return printTopic(this.broker, this.schemaRegistry, topic, options, () => stopped() || this.closed);
  }

  /** Every consumer group the broker knows, described (members, offsets, lag). */
  private async describeGroups(): Promise<GroupDescription[]> {
    const out: GroupDescription[] = [];
    for (const id of await this.broker.listGroups()) {
      const g = await this.broker.describeGroup(id).catch(() => undefined);
      if (g) out.push(g);
    }
    return out;
  }

  /** Records a running query has not committed yet: over all its topics (sources and repartition topics) and partitions. */
  private async queryLag(q: PersistentQuery): Promise<number> {
    return q.lag();
  }

  /** The number the next persistent query gets: the command log's next offset when there is one. */
  private async nextQueryNumber(): Promise<number> {
    if (this.commands) return Math.max(await this.commands.nextOffset(), this.queries.nextNumber());
    return this.queries.nextNumber();
  }

  /** Runs every statement of a script in order, yielding each result; stops at the first failure. */
  async *executeScript(script: string, options: ScriptOptions = {}): AsyncGenerator<ExecutedStatement> {
    const parts = splitStatements(script);
    let index = 0;
    for (const part of parts) {
      index += 1;
      yield* this.executeOne(part, index, options);
    }
  }

  /** Runs a script and collects its results. */
  async execute(script: string): Promise<ExecutedStatement[]> {
    const out: ExecutedStatement[] = [];
    for await (const r of this.executeScript(script)) out.push(r);
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wakeClosed();
    await this.follower;
    for (const t of [...this.transients]) await t.close();
    for (const q of this.queries.all()) await q.stop();
    // A broker handed in belongs to the caller.
    if (!this.options.broker) await this.broker.close();
  }

  /**
   * Runs every persistent query until none has anything left to read (queries
   * feeding queries included, and every sub-topology of a query: a pump moves
   * records through its repartition topics too). The test runner calls this
   * after each input.
   */
  async drain(): Promise<void> {
    for (let round = 0; round < 1000; round++) {
      let moved = 0;
      for (const q of this.queries.all()) moved += await q.pump(0);
      if (moved > 0) continue;
      // A backend that fetches in the background (Kafka) may not have the records at hand yet: wait for those behind.
      let behind = false;
      for (const q of this.queries.all()) {
        if (!q.active || q.state !== 'RUNNING' || (await this.queryLag(q)) === 0) continue;
        behind = true;
        await q.pump(100);
      }
      if (!behind) return;
    }
  }


  private async *executeOne(part: StatementText, index: number, options: ScriptOptions = {}): AsyncGenerator<ExecutedStatement> {
    let statement: Statement;
    let text = part.text;
    try {
      text = this.substitute(part.text);
      statement = parseStatement(text, { line: part.line, col: part.col });
    } catch (err) {
      throw this.statementError(err, index, part);
    }
    if (statement.type === 'runScript') {
      yield* this.runScript(statement.path, part, index);
      return;
    }
    if (options.settleBeforeInspecting && showsStatistics(statement)) await this.settle(30_000);
    let result: StatementResult;
    try {
      result = await this.exclusive(async () => {
        const logged = this.commands !== undefined && LOGGED.has(statement.type);
        // Others' statements first, so this one is checked against what the log holds.
        if (logged) await this.sync();
        if (logged && options.skipApplied && this.appliedStatements.has(normalizeStatement(text))) {
          return { type: 'message', message: 'Already applied: skipped (it is in the command log).' } as StatementResult;
        }
        const r = await this.executeStatement(statement, text);
        if (this.commands && logged && !isNoop(r)) {
          const offset = await this.commands.append({
            statement: text,
            properties: this.properties.overrides(),
            ...(r.type === 'message' && r.queryId ? { queryId: r.queryId } : {}),
            at: Date.now(),
          });
          if (offset === this.commandOffset) this.commandOffset = offset + 1;
          else this.ownCommands.add(offset);
          this.appliedStatements.add(normalizeStatement(text));
        }
        return r;
      });
    } catch (err) {
      throw this.statementError(err, index, { ...part, text });
    }
    yield { index, text, line: part.line, col: part.col, result };
  }

  private async *runScript(path: string, part: StatementText, index: number): AsyncGenerator<ExecutedStatement> {
    if (!this.options.scriptLoader) {
      throw this.statementError(
        new ParseError(
          `line ${part.line}:${part.col}: Syntax Error\nUnknown statement 'RUN': RUN SCRIPT runs in the ksqlite CLI only`,
          part.line,
          part.col,
        ),
        index,
        part,
      );
    }
    let script: string;
    try {
      script = this.options.scriptLoader(path);
    } catch (err) {
      throw this.statementError(new KsqlError(`Failed to read script '${path}': ${messageOf(err)}`), index, part);
    }
    yield* this.executeScript(script);
  }

  private substitute(text: string): string {
    if (!this.properties.getBoolean('ksql.variable.substitution.enable')) return text;
    return substituteVariables(text, this.variables);
  }

  private statementError(err: unknown, index: number, part: StatementText): StatementError {
    const at =
      err instanceof ParseError
        ? { line: err.line, col: err.col as number | undefined }
        : err instanceof KsqlError && err.loc
          ? { line: err.loc.line, col: err.loc.col as number | undefined }
          : { line: part.line, col: undefined };
    return new StatementError(messageOf(err), index, part.text, at.line, at.col, err);
  }

  private planContext(): PlanContext {
    return { metastore: this.metastore, property: (name) => this.properties.get(name) };
  }

  private functionConfig(): FunctionConfig {
    return { property: (name) => this.properties.get(name) };
  }

  /**
   * What planning a query needs to know: the metastore, functions and the layout
   * of the topics it may ask about — the sources' topics and `sinkTopic` — not
   * every topic of the cluster (on Kafka each description is a round trip).
   */
  private async queryPlanContext(queryId?: string, sinkTopic?: string): Promise<QueryPlanContext> {
    const names = new Set(this.metastore.allSources().map((x) => x.topic));
    if (sinkTopic !== undefined) names.add(sinkTopic);
    const topics = new Map<string, { partitions: number; replicas: number }>();
    await Promise.all(
      [...names].map(async (name) => {
        const d = await this.broker.describeTopic(name);
        if (d) topics.set(name, { partitions: d.partitions, replicas: d.replicas });
      }),
    );
    return {
      ...this.planContext(),
      functions: this.functions,
      config: this.functionConfig(),
      topicInfo: (name) => topics.get(name),
      ...(queryId !== undefined ? { queryId } : {}),
    };
  }


  private runtimeDeps(): RuntimeDeps {
    return {
      broker: this.broker,
      registry: this.schemaRegistry,
      processingLog: this.processingLog,
      serviceId: this.properties.get('ksql.service.id') ?? 'default_',
      fromBeginning: this.properties.get('auto.offset.reset') === 'earliest',
      throwOnInvalidTimestamp: this.properties.getBoolean('ksql.timestamp.throw.on.invalid'),
      ...(this.leaseTopic !== undefined ? { leaseTopic: this.leaseTopic } : {}),
    };
  }

  /** Executes one parsed statement. */
  private async executeStatement(s: Statement, sql: string): Promise<StatementResult> {
    switch (s.type) {
      case 'createSource':
        return this.createSource(s, sql);
      case 'dropSource': {
        const plan = planDropSource(s, this.planContext());
        if (!plan.source) return { type: 'message', message: `Source \`${s.name}\` does not exist.` };
        this.metastore.deleteSource(plan.source.name);
        if (plan.deleteTopic && (await this.broker.topicExists(plan.source.topic))) await this.broker.deleteTopic(plan.source.topic);
        return { type: 'message', message: `Source \`${plan.source.name}\` (topic: ${plan.source.topic}) was dropped.` };
      }
      case 'alterSource': {
        const altered = planAlterSource(s, this.planContext());
        this.metastore.putSource(altered);
        return { type: 'message', message: `${s.kind === 'STREAM' ? 'Stream' : 'Table'} ${s.name} altered.` };
      }
      case 'createType': {
        const plan = planCreateType(s, this.planContext());
        if (!plan.skip) this.metastore.putType(plan.name, plan.type);
        return {
          type: 'message',
          message: `Registered custom type with name '${plan.name}' and SQL type ${formatType(plan.type)}`,
        };
      }
      case 'dropType': {
        const existed = this.metastore.deleteType(s.name);
        if (!existed && !s.ifExists) throw new KsqlError(`Type ${s.name} does not exist.`);
        return { type: 'message', message: existed ? `Dropped type '${s.name}'` : `Type ${s.name} does not exist.` };
      }
      case 'setProperty': {
        const old = this.properties.set(s.name, s.value);
        return { type: 'propertyChanged', name: s.name, ...(old !== undefined ? { oldValue: old } : {}), newValue: s.value };
      }
      case 'unsetProperty': {
        const old = this.properties.unset(s.name);
        return { type: 'propertyChanged', name: s.name, ...(old !== undefined ? { oldValue: old } : {}) };
      }
      case 'defineVariable':
        this.variables.set(s.name, s.value);
        return { type: 'variableChanged', name: s.name, value: s.value };
      case 'undefineVariable':
        this.variables.delete(s.name);
        return { type: 'variableChanged', name: s.name };
      case 'show':
        return this.show(s);
      case 'describeSource': {
        const source = this.metastore.getSource(s.name);
        if (!source) throw new KsqlError(`Could not find STREAM/TABLE '${s.name}' in the Metastore`);
        return { type: 'sourceDescription', extended: s.extended, description: await this.describe(source, s.extended) };
      }
      case 'describeSources': {
        const kind = s.kind === 'STREAMS' ? 'STREAM' : 'TABLE';
        const descriptions = await Promise.all(
          this.metastore.allSources().filter((x) => x.kind === kind).map((x) => this.describe(x, s.extended)),
        );
        return { type: 'sourceDescriptions', extended: s.extended, descriptions };
      }
      case 'runScript':
        throw new KsqlError('RUN SCRIPT is handled before execution');
      case 'query':
        return this.transientQuery(s, sql);
      case 'createAsSelect':
        return this.createAsSelect(s, sql);
      case 'insertInto':
        return this.insertInto(s, sql);
      case 'insertValues':
        return this.insertValues(s);
      case 'terminate':
        return this.terminate(s);
      case 'pauseQuery':
      case 'resumeQuery': {
        const targets = s.all ? this.queries.all() : [this.requireQuery(s.queryId ?? '')];
        for (const q of targets) {
          if (s.type === 'pauseQuery') q.pause();
          else q.resume();
        }
        return { type: 'message', message: s.type === 'pauseQuery' ? 'Query paused.' : 'Query resumed.' };
      }
      case 'describeFunction': {
        let info;
        try {
          info = this.functions.describe(s.name);
        } catch (err) {
          throw new KsqlError(messageOf(err));
        }
        return {
          type: 'functionDescription',
          description: {
            name: info.name.toUpperCase(),
            type: info.kind,
            description: info.description,
            author: 'Confluent',
            version: '',
            variants: info.variants.map((v) => ({ signature: v.signature, returns: v.returns, description: v.description })),
          },
        };
      }
      case 'print': {
        let stopped = false;
        const lines = await this.printTopic(
          s.topic,
          { fromBeginning: s.fromBeginning, ...(s.interval !== undefined ? { interval: s.interval } : {}), ...(s.limit !== undefined ? { limit: s.limit } : {}) },
          () => stopped,
        );
        return {
          type: 'print',
          topic: s.topic,
          lines,
          cancel: async () => {
            stopped = true;
          },
        };
      }
      case 'explain':
        return this.explain(s, sql);
      case 'describeConnector':
      case 'assertTopic':
      case 'assertSchema':
      case 'assertSource':
      case 'assertValues':
      case 'createConnector':
      case 'dropConnector':
        throw new KsqlError(`${statementName(s)} is not supported yet by ksqlite.`);
      default: {
        const unreachable: never = s;
        throw new KsqlError(`Unknown statement: ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private async createSource(s: Extract<Statement, { type: 'createSource' }>, sql: string): Promise<StatementResult> {
    let plan = planCreateSource(s, sql, this.planContext());
    const kind = s.kind === 'STREAM' ? 'Stream' : 'Table';
    if (plan.skip) return { type: 'message', message: `A ${kind.toLowerCase()} with the same name already exists` };
    if (plan.inferKey || plan.inferValue) plan = planCreateSource(s, sql, this.planContext(), await this.inferColumns(plan));
    const existing = await this.broker.describeTopic(plan.topic.name);
    if (!existing) {
      if (plan.topic.partitions === undefined) {
        throw new KsqlError(
          `Topic '${plan.topic.name}' does not exist. If you want to create a new topic for the ${kind.toLowerCase()} please re-run the statement providing the required 'PARTITIONS' configuration in the WITH clause (and optionally 'REPLICAS'). For example: CREATE ${s.kind} ${s.name} (ID INT) WITH (KAFKA_TOPIC='${plan.topic.name}', PARTITIONS=2, REPLICAS=1, VALUE_FORMAT='JSON');`,
        );
      }
      await this.broker.createTopic({
        name: plan.topic.name,
        partitions: plan.topic.partitions,
        replicas: plan.topic.replicas ?? 1,
        ...(s.kind === 'TABLE' ? { config: { 'cleanup.policy': 'compact' } } : {}),
      });
    } else if (plan.topic.partitions !== undefined && existing.partitions !== plan.topic.partitions) {
      throw new KsqlError(
        `A Kafka topic with the name '${plan.topic.name}' already exists, with different partition/replica configuration than required. KSQL expects ${plan.topic.partitions} partitions (topic has ${existing.partitions}), and ${plan.topic.replicas ?? existing.replicas} replication factor (topic has ${existing.replicas}).`,
      );
    }
    await this.registerDeclaredSchemas(plan.source, { key: !plan.inferKey, value: !plan.inferValue });
    const replacing = this.metastore.getSource(s.name) !== undefined;
    this.metastore.putSource(plan.source);
    return { type: 'message', message: `${kind} ${replacing ? 'replaced' : 'created'}` };
  }

  /**
   * A CREATE that declares its columns in a schema-registry format registers them
   * (unless the subject has a schema already), so other clients, and CREATEs that
   * infer their columns from the registry, see them before any record is written.
   */
  private async registerDeclaredSchemas(source: DataSource, declared: { key: boolean; value: boolean }): Promise<void> {
    const usesRegistry = (format: string) => format === 'AVRO' || format === 'PROTOBUF' || format === 'JSON_SR';
    const wanted = {
      key: declared.key && usesRegistry(source.keyFormat.format) && source.schema.keyColumns.length > 0,
      value: declared.value && usesRegistry(source.valueFormat.format) && source.schema.valueColumns.length > 0,
    };
    for (const side of ['key', 'value'] as const) {
      if (!wanted[side]) continue;
      const subject = `${source.topic}-${side}`;
      if (await this.schemaRegistry.getLatest(subject).then(() => true, () => false)) wanted[side] = false;
    }
    try {
      // The sink serde of a side registers what it will write.
      for (const side of ['key', 'value'] as const) if (wanted[side]) await sinkSerde(source, side, this.schemaRegistry);
    } catch (err) {
      throw new KsqlError(messageOf(err));
    }
  }

  /** Reads a CREATE's missing columns from the schema registry, as ksqlDB does for AVRO, JSON_SR and PROTOBUF. */
  private async inferColumns(plan: Awaited<ReturnType<typeof planCreateSource>>): Promise<InferredColumns> {
    const { source } = plan;
    const options = (props: Readonly<Record<string, string>>, wrap?: boolean) => ({
      ...(props.schemaId !== undefined ? { schemaId: Number(props.schemaId) } : {}),
      ...(props.fullSchemaName !== undefined ? { fullSchemaName: props.fullSchemaName } : {}),
      ...(wrap !== undefined ? { wrapSingle: wrap } : {}),
    });
    const read = async (isKey: boolean) => {
      const format = isKey ? source.keyFormat : source.valueFormat;
      try {
        const wrap = isKey ? undefined : source.valueFeatures.includes('UNWRAP_SINGLE_VALUES') ? false : undefined;
        return await getColumnsFromRegistry(this.schemaRegistry, source.topic, isKey, format.format, options(format.properties, wrap));
      } catch (err) {
        throw new KsqlError(messageOf(err));
      }
    };
    let key: InferredColumns['key'];
    if (plan.inferKey) {
      // A key schema is optional unless nothing else describes the source.
      const subject = await this.schemaRegistry.getLatest(`${source.topic}-key`).catch(() => undefined);
      if (subject || source.keyFormat.properties.schemaId !== undefined) key = await read(true);
    }
    const value = plan.inferValue ? await read(false) : undefined;
    return { ...(key ? { key } : {}), ...(value ? { value } : {}) };
  }

  private async show(s: Extract<Statement, { type: 'show' }>): Promise<StatementResult> {
    switch (s.what) {
      case 'STREAMS':
      case 'TABLES': {
        const kind = s.what === 'STREAMS' ? 'STREAM' : 'TABLE';
        if (s.extended) {
          const descriptions = await Promise.all(
            this.metastore.allSources().filter((x) => x.kind === kind).map((x) => this.describe(x, true)),
          );
          return { type: 'sourceDescriptions', extended: true, descriptions };
        }
        const sources = this.metastore.allSources().filter((x) => x.kind === kind).map(summarizeSource);
        return { type: 'sources', kind, extended: false, sources };
      }
      case 'QUERIES':
        return { type: 'queries', extended: s.extended, queries: this.queries.all().map((q) => this.queries.summary(q)) };
      case 'PROPERTIES':
        return { type: 'properties', properties: this.properties.list() };
      case 'TOPICS': {
        const names = (await this.broker.listTopics()).filter((t) => s.all || !t.startsWith('_')).sort();
        const groups = s.extended ? await this.describeGroups() : [];
        const topics = [];
        for (const name of names) {
          const d = await this.broker.describeTopic(name);
          if (!d) continue;
          if (!s.extended) {
            topics.push({ name, partitions: d.partitions, replicas: d.replicas });
            continue;
          }
          const readers: TopicGroupInfo[] = [];
          let consumers = 0;
          for (const g of groups) {
            const offsets = g.offsets.filter((o) => o.topic === name);
            const owners = g.members.filter((m) => m.assignment.some((a) => a.topic === name));
            if (offsets.length === 0 && owners.length === 0) continue;
            consumers += owners.length;
            readers.push({
              groupId: g.groupId,
              members: owners.length,
              partitions: offsets.map((o) => ({ partition: o.partition, committed: o.committed, end: o.end, lag: o.lag })),
              totalLag: offsets.reduce((n, o) => n + (o.lag ?? 0), 0),
            });
          }
          topics.push({ name, partitions: d.partitions, replicas: d.replicas, consumers, consumerGroups: readers.length, groups: readers });
        }
        return { type: 'topics', extended: s.extended, topics };
      }
      case 'TYPES':
        return {
          type: 'types',
          types: this.metastore.allTypes().map((t) => ({ name: t.name, schema: displayType(t.type) })),
        };
      case 'VARIABLES':
        return {
          type: 'variables',
          variables: [...this.variables.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, value]) => ({ name, value })),
        };
      case 'FUNCTIONS':
        return {
          type: 'functions',
          functions: this.functions.list().map((f) => ({ name: f.name.toUpperCase(), category: f.category, type: f.kind })),
        };
      case 'CONNECTORS':
      case 'PLUGINS':
        throw new KsqlError('Connectors are not supported by ksqlite: it runs no Kafka Connect cluster.');
      default: {
        const unreachable: never = s.what;
        throw new KsqlError(`Unknown SHOW: ${String(unreachable)}`);
      }
    }
  }

  private async describe(source: DataSource, extended: boolean) {
    const topic = extended ? await this.broker.describeTopic(source.topic) : undefined;
    const summaries = (ids: string[]) =>
      ids.map((id) => this.queries.get(id)).filter((q) => q !== undefined).map((q) => this.queries.summary(q));
    const statistics = extended ? this.queries.statistics(source.name, this.metastore) : undefined;
    return describeSource(source, {
      partitions: topic?.partitions,
      replicas: topic?.replicas,
      readQueries: summaries(this.metastore.readersOf(source.name)),
      writeQueries: summaries(this.metastore.writersOf(source.name)),
      ...(statistics ? { statistics } : {}),
    });
  }

  private requireQuery(id: string): PersistentQuery {
    const q = this.queries.get(id) ?? this.queries.get(id.toUpperCase());
    if (!q) throw new KsqlError(`Unknown queryId: ${id}`);
    return q;
  }

  private async terminate(s: Extract<Statement, { type: 'terminate' }>): Promise<StatementResult> {
    const targets = s.all ? this.queries.all() : [this.requireQuery(s.queryId ?? '')];
    for (const q of targets) {
      await q.stop();
      // As ksqlDB cleans up a terminated query: its internal topics (repartition, changelog) and groups go.
      await q.cleanup();
      this.queries.remove(q.id);
      this.metastore.unlinkQuery(q.id);
      // The sink made by CREATE ... AS SELECT stays; it no longer has a writer.
    }
    return { type: 'message', message: 'Query terminated.' };
  }

  private async startPersistent(id: string, plan: Parameters<typeof PersistentQuery.start>[1], sql: string): Promise<PersistentQuery> {
    const sink = plan.sink;
    if (sink && !(await this.broker.topicExists(sink.topic))) {
      await this.broker.createTopic({
        name: sink.topic,
        partitions: sink.partitions,
        replicas: sink.replicas,
        ...(sink.isTable ? { config: { 'cleanup.policy': 'compact' } } : {}),
      });
    }
    const query = await PersistentQuery.start(id, plan, sql, this.runtimeDeps());
    this.queries.add(query);
    this.metastore.linkQuery(id, plan.sources.map((x) => x.name), sink?.source.name);
    if ((this.options.queryDriver ?? 'background') === 'background') query.startLoop();
    return query;
  }

  private async createAsSelect(s: Extract<Statement, { type: 'createAsSelect' }>, sql: string): Promise<StatementResult> {
    const existing = this.metastore.getSource(s.name);
    if (existing && s.ifNotExists) {
      return { type: 'message', message: `A ${existing.kind.toLowerCase()} with the same name already exists` };
    }
    const id = this.replayQueryId ?? queryIdFor(s.kind === 'STREAM' ? 'CSAS' : 'CTAS', s.name, await this.nextQueryNumber());
    const named = s.properties.find((p) => p.name.toUpperCase() === 'KAFKA_TOPIC')?.value;
    const sinkTopic = named?.type === 'string' ? named.value : `${this.properties.get('ksql.output.topic.name.prefix') ?? ''}${s.name}`;
    const plan = planQuery(s.query, { kind: 'create', statement: s, sql }, await this.queryPlanContext(id, sinkTopic));
    const sink = plan.sink;
    if (!sink) throw new KsqlError('internal: CREATE ... AS SELECT without a sink');
    if (existing) {
      // CREATE OR REPLACE: the old query stops, the new one takes over the sink.
      for (const old of this.metastore.writersOf(existing.name)) {
        const q = this.queries.get(old);
        if (q) {
          await q.stop();
          this.queries.remove(old);
          this.metastore.unlinkQuery(old);
        }
      }
    }
    this.metastore.putSource(sink.source);
    await this.startPersistent(id, plan, sql);
    return { type: 'message', message: `Created query with ID ${id}`, queryId: id, ...(plan.warnings.length ? { warnings: plan.warnings } : {}) };
  }

  private async insertInto(s: Extract<Statement, { type: 'insertInto' }>, sql: string): Promise<StatementResult> {
    const id = this.replayQueryId ?? queryIdFor('INSERTQUERY', s.target, await this.nextQueryNumber());
    const plan = planQuery(s.query, { kind: 'insert', target: s.target, ...(s.loc ? { loc: s.loc } : {}) }, await this.queryPlanContext(id));
    await this.startPersistent(id, plan, sql);
    return { type: 'message', message: `Created query with ID ${id}`, queryId: id, ...(plan.warnings.length ? { warnings: plan.warnings } : {}) };
  }

  private async transientQuery(s: Extract<Statement, { type: 'query' }>, _sql: string): Promise<StatementResult> {
    const plan = planQuery(s, { kind: 'transient' }, await this.queryPlanContext());
    if (s.emit === undefined) return this.pullQuery(plan);
    const id = `transient_${(plan.sources[0]?.name ?? 'QUERY')}_${Math.floor(Math.random() * 1e18).toString()}`;
    const query = await TransientQuery.start(id, plan, this.runtimeDeps());
    this.transients.add(query);
    query.startLoop();
    const close = async () => {
      this.transients.delete(query);
      await query.close();
    };
    const types = plan.root.selectOrder.map((c) => c.type);
    const rows = (async function* () {
      try {
        yield* query.rows();
      } finally {
        await close();
      }
    })();
    return {
      type: 'rows',
      queryId: id,
      columns: plan.root.selectOrder.map((c) => ({ name: c.name, type: formatType(c.type) })),
      rows,
      cancel: close,
      limitReached: () => query.finished && plan.limit !== undefined,
      display: (row) => row.map((v, i) => displayValue(v, types[i] as SqlType)),
      json: (row) => row.map((v, i) => jsonValue(v, types[i] as SqlType)),
    };
  }

  /** A pull query: the rows at once, from the source's current state. */
  private async pullQuery(plan: Parameters<typeof runPullQuery>[0]): Promise<StatementResult> {
    if (plan.root.input.type === 'aggregate' || (plan.root.input.type === 'filter' && plan.root.input.input.type === 'aggregate')) {
      throw new KsqlError('Pull queries don\'t support GROUP BY clauses. See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query.');
    }
    const id = `pull_${Math.floor(Math.random() * 1e12)}`;
    const rows = await runPullQuery(plan, this.runtimeDeps(), id);
    const types = plan.root.selectOrder.map((c) => c.type);
    return {
      type: 'rows',
      queryId: id,
      columns: plan.root.selectOrder.map((c) => ({ name: c.name, type: formatType(c.type) })),
      rows: (async function* () {
        yield* rows;
      })(),
      cancel: async () => undefined,
      limitReached: () => false,
      display: (row) => row.map((v, i) => displayValue(v, types[i] as SqlType)),
      json: (row) => row.map((v, i) => jsonValue(v, types[i] as SqlType)),
    };
  }

  private async insertValues(s: Extract<Statement, { type: 'insertValues' }>): Promise<StatementResult> {
    const plan = planInsertValues(s, await this.queryPlanContext());
    const evaluate = (e: Parameters<typeof compileExpr>[0]) => compileExpr(e)([]);
    const key = plan.key.map(evaluate);
    const value = plan.value.map(evaluate);
    const rowtime = plan.rowtime ? evaluate(plan.rowtime) : null;
    const serdes = await sinkSerdes(plan.source, this.schemaRegistry);
    const keyless = plan.source.schema.keyColumns.length === 0;
    await this.broker.produce(plan.source.topic, [
      {
        key: keyless || key.every((v) => v === null) ? null : serdes.key.serialize(key, plan.source.topic),
        value: serdes.value.serialize(value, plan.source.topic),
        timestamp: rowtime === null ? Date.now() : Number(rowtime),
      },
    ]);
    return { type: 'message', message: '' };
  }
}

function showsStatistics(s: Statement): boolean {
  return ((s.type === 'describeSource' || s.type === 'describeSources' || s.type === 'show') && s.extended === true) || s.type === 'explain';
}

/** A statement's text with runs of whitespace made one space, for comparing statements. */
function normalizeStatement(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\s*;\s*$/, '').trim();
}

/** Results that changed nothing (IF EXISTS / IF NOT EXISTS that found nothing to do). */
function isNoop(result: StatementResult): boolean {
  return result.type === 'message' && (/already exists$/.test(result.message) || /does not exist\.$/.test(result.message));
}

function statementName(s: Statement): string {
  switch (s.type) {
    case 'query':
      return 'SELECT';
    case 'createAsSelect':
      return `CREATE ${s.kind} AS SELECT`;
    case 'insertInto':
      return 'INSERT INTO ... SELECT';
    case 'insertValues':
      return 'INSERT INTO ... VALUES';
    default:
      return s.type
        .replace(/([A-Z])/g, ' $1')
        .toUpperCase();
  }
}
