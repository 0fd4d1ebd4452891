/**
 * Topics on disk: `topics/<name>/topic.json` (layout and configs, written
 * once) beside one directory per partition. A topic is created by staging
 * its whole directory under `tmp/` and renaming it into place, so other
 * processes see all of it or nothing; deleted by renaming it into `trash/`
 * first. Each incarnation has an id, so offsets committed for a deleted
 * topic never apply to a new one of the same name.
 */

import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { InvalidTopicError } from '../../errors.js';
import { CLEANUP_POLICY, type TopicSpec } from '../../port.js';
import { fsyncDir, io, writeFileAtomic } from './io.js';
import { PartitionLog } from './partition.js';

export const TOPIC_FILE = 'topic.json';
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export interface TopicMeta {
  format: 1;
  name: string;
  id: string;
  partitions: number;
  replicas: number;
  config: Record<string, string>;
  createdAt: number;
}

/** Validate a spec as Kafka would; returns the metadata of a new incarnation. */
export function topicMetaOf(spec: TopicSpec): TopicMeta {
  const { name, partitions } = spec;
  const replicas = spec.replicas ?? 1;
  const config = { ...(spec.config ?? {}) };
  if (typeof name !== 'string' || !TOPIC_NAME.test(name) || name === '.' || name === '..') {
    throw new InvalidTopicError(String(name), 'names are 1-249 of [a-zA-Z0-9._-], not . or ..');
  }
  if (!Number.isSafeInteger(partitions) || partitions < 1) {
    throw new InvalidTopicError(name, `partitions must be an integer >= 1, got ${partitions}`);
  }
  if (!Number.isSafeInteger(replicas) || replicas < 1) {
    throw new InvalidTopicError(name, `replicas must be an integer >= 1, got ${replicas}`);
  }
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== 'string') throw new InvalidTopicError(name, `config '${key}' must be a string`);
  }
  const policy = config[CLEANUP_POLICY];
  if (policy !== undefined && !policy.split(',').every((p) => ['compact', 'delete'].includes(p.trim()))) {
    throw new InvalidTopicError(name, `${CLEANUP_POLICY} must be compact and/or delete, got '${policy}'`);
  }
  for (const key of ['segment.bytes', 'retention.ms', 'retention.bytes']) {
    const v = config[key];
    if (v !== undefined && !/^-?\d+$/.test(v.trim())) throw new InvalidTopicError(name, `${key} must be an integer, got '${v}'`);
  }
  return { format: 1, name, id: randomUUID(), partitions, replicas, config, createdAt: Date.now() };
}

/** Write a topic's directory (metadata and empty partitions) under stage. */
export function stageTopic(stage: string, meta: TopicMeta, durable: boolean): void {
  io.mkdir(stage);
  for (let p = 0; p < meta.partitions; p++) PartitionLog.create(join(stage, String(p)), durable);
  writeFileAtomic(join(stage, TOPIC_FILE), JSON.stringify(meta), durable, stage);
  if (durable) fsyncDir(stage);
}

export function parseTopicMeta(raw: Buffer): TopicMeta | undefined {
  try {
    const meta = JSON.parse(raw.toString('utf8')) as TopicMeta;
    if (meta.format !== 1 || typeof meta.name !== 'string' || !(meta.partitions >= 1)) return undefined;
    return meta;
  } catch {
    return undefined;
  }
}

/** Whether cleanup.policy keeps time/size retention (absent means delete, as in Kafka). */
export function hasDeletePolicy(config: Readonly<Record<string, string>>): boolean {
  const policy = config[CLEANUP_POLICY];
  return policy === undefined || policy.split(',').some((p) => p.trim() === 'delete');
}

/** An integer topic config, else the fallback. */
export function intConfig(config: Readonly<Record<string, string>>, key: string, fallback: number): number {
  const v = config[key];
  if (v === undefined) return fallback;
  const n = Number(v.trim());
  return Number.isSafeInteger(n) ? n : fallback;
}
