/**
 * The command log: every statement that changes the metastore (CREATE, DROP,
 * ALTER, types, persistent queries, TERMINATE) appended to
 * `_ksqlite_<service.id>_command_topic` with the properties it ran under and
 * the query id it got. At start the engine replays it, so streams, tables and
 * queries come back and resume from their committed offsets.
 */
import type { Broker } from '../broker/index.js';

export interface Command {
  /** The statement as it ran (variables already substituted). */
  readonly statement: string;
  /** Session property overrides in force when it ran. */
  readonly properties: Readonly<Record<string, string>>;
  /** The id a persistent query got, so a replay resumes the same consumer group. */
  readonly queryId?: string;
  /** When it ran (epoch ms). */
  readonly at: number;
}

export interface LoggedCommand extends Command {
  /** Position in the log: also the number in the query ids (CSAS_X_<n>). */
  readonly offset: number;
}

export function commandTopicName(serviceId: string): string {
  return `_ksqlite_${serviceId}_command_topic`;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class CommandLog {
  private constructor(
    private readonly broker: Broker,
    readonly topic: string,
  ) {}

  /** Opens (creating if needed) the service's command topic. */
  static async open(broker: Broker, serviceId: string): Promise<CommandLog> {
    const topic = commandTopicName(serviceId);
    await ensureTopic(broker, topic);
    return new CommandLog(broker, topic);
  }

  /** The offset the next command will get. */
  async nextOffset(): Promise<number> {
    const ends = await this.broker.endOffsets(this.topic);
    return ends[0]?.offset ?? 0;
  }

  async append(command: Command): Promise<number> {
    const [meta] = await this.broker.produce(this.topic, [
      {
        key: encoder.encode(String(command.at)),
        value: encoder.encode(JSON.stringify(command)),
        timestamp: command.at,
        partition: 0,
      },
    ]);
    return meta?.offset ?? 0;
  }

  /** Commands from `from` (inclusive) to the end, in order. */
  async read(from = 0): Promise<LoggedCommand[]> {
    return (await this.readFrom(from)).commands;
  }

  /** Commands from `from` (inclusive) to the end, and the offset after the last record read. */
  async readFrom(from = 0): Promise<{ commands: LoggedCommand[]; next: number }> {
    const out: LoggedCommand[] = [];
    const begin = (await this.broker.beginningOffsets(this.topic))[0]?.offset ?? 0;
    let offset = Math.max(from, begin);
    for (;;) {
      const batch = await this.broker.fetch(this.topic, 0, offset, 1000);
      if (batch.length === 0) break;
      for (const r of batch) {
        offset = r.offset + 1;
        if (r.value === null) continue;
        try {
          const c = JSON.parse(decoder.decode(r.value)) as Command;
          out.push({ ...c, offset: r.offset });
        } catch {
          // A record that is not a command is skipped; the log stays usable.
        }
      }
    }
    return { commands: out, next: offset };
  }

  /** Waits up to `ms` for a record at or after `offset`; true when there is one. */
  async waitFor(offset: number, ms: number): Promise<boolean> {
    const batch = await this.broker.fetch(this.topic, 0, offset, 1, ms);
    return batch.length > 0;
  }
}

/** The one-partition topic whose ownership per query group decides which process runs a query. */
export function leaseTopicName(serviceId: string): string {
  return `_ksqlite_${serviceId}_query_leases`;
}

/** Creates a one-partition internal topic unless it exists (another process may race us to it). */
export async function ensureTopic(broker: Broker, topic: string): Promise<void> {
  if (await broker.topicExists(topic)) return;
  try {
    await broker.createTopic({ name: topic, partitions: 1, replicas: 1, ifNotExists: true });
  } catch (err) {
    if (!(await broker.topicExists(topic))) throw err;
  }
}
