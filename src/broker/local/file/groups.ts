/**
 * Consumer groups on disk, shared by every process on the data directory:
 *
 *   groups/<dir>/group.json      the group id (dir is the id, escaped)
 *   groups/<dir>/offsets.json    committed offsets, replaced atomically
 *   groups/<dir>/members/<m>     one file per member (immutable; join order = name order)
 *   groups/<dir>/leases/<m>      the member's heartbeat: its mtime
 *   groups/<dir>/owners/<t>.<p>  a claim: which member owns a partition now
 *   groups/<dir>/lock            serializes offset commits
 *
 * Every member computes the same range assignment from the live members;
 * a partition changes hands only through its claim file: the old owner runs
 * onRevoke and deletes the claim, then the new owner creates it (link(2),
 * which never overwrites). A member whose process died, or whose lease is
 * older than the session timeout, is removed by whoever notices, and its
 * claims are free.
 */

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CorruptRecordError } from '../../errors.js';
import type { TopicPartition } from '../../port.js';
import { createExclusive, errnoOf, io, listDir, readIfExists, storageError, unlinkIfExists, writeFileAtomic } from './io.js';
import { breakFile, ownerGone, PROCESS } from './lock.js';

export interface MemberRecord {
  /** File name under members/ and leases/: sorts in join order. */
  token: string;
  memberId: string;
  clientId: string;
  topics: string[];
  pid: number;
  host: string;
  process: string;
}

export interface Claim {
  member: string;
  memberId: string;
  topic: string;
  partition: number;
  topicId: string;
}

export interface OffsetsDoc {
  groupId: string;
  /** topic -> the incarnation the offsets belong to, and partition -> offset. */
  topics: Record<string, { id: string; partitions: Record<string, number> }>;
  /** Pending transactions whose offsets are in this file (so recovery never applies them twice). */
  appliedTxns?: string[];
}

export interface GroupSnapshot {
  /** Live members in join order. */
  members: MemberRecord[];
  /** topic:partition -> claim, live members' only. */
  claims: Map<string, Claim>;
  /** Claim file contents by key, for breaking dead members' claims. */
  deadClaims: Map<string, string>;
}

export const tpKey = (topic: string, partition: number): string => `${topic}:${partition}`;

/** A directory name for a group id: the id when it is plainly safe, else escaped (and hashed when long). */
export function groupDirName(groupId: string): string {
  let name = '';
  for (const byte of Buffer.from(groupId, 'utf8')) {
    const c = String.fromCharCode(byte);
    name += /[A-Za-z0-9_.-]/.test(c) ? c : `%${byte.toString(16).padStart(2, '0')}`;
  }
  if (/^\.*$/.test(name)) name = name.replace(/\./g, '%2e') || '%00';
  if (name.length > 180) name = `${name.slice(0, 120)}~${createHash('sha256').update(groupId).digest('hex').slice(0, 40)}`;
  return name;
}

let memberSeq = 0;

/** The files of one group. */
export class GroupFiles {
  readonly dir: string;
  readonly membersDir: string;
  readonly leasesDir: string;
  readonly ownersDir: string;
  readonly lockPath: string;
  readonly offsetsPath: string;
  private readonly memberCache = new Map<string, MemberRecord>();

  constructor(
    groupsDir: string,
    readonly groupId: string,
  ) {
    this.dir = join(groupsDir, groupDirName(groupId));
    this.membersDir = join(this.dir, 'members');
    this.leasesDir = join(this.dir, 'leases');
    this.ownersDir = join(this.dir, 'owners');
    this.lockPath = join(this.dir, 'lock');
    this.offsetsPath = join(this.dir, 'offsets.json');
  }

  exists(): boolean {
    return readIfExists(join(this.dir, 'group.json')) !== undefined;
  }

  ensure(): void {
    try {
      io.mkdir(this.membersDir);
      io.mkdir(this.leasesDir);
      io.mkdir(this.ownersDir);
    } catch (e) {
      throw storageError(e, 'creating group directory', this.dir);
    }
    if (!this.exists()) writeFileAtomic(join(this.dir, 'group.json'), JSON.stringify({ groupId: this.groupId }), false, this.dir);
  }

  readOffsets(): OffsetsDoc {
    const raw = readIfExists(this.offsetsPath);
    if (raw === undefined) return { groupId: this.groupId, topics: {} };
    try {
      return JSON.parse(raw.toString('utf8')) as OffsetsDoc;
    } catch {
      throw new CorruptRecordError(this.offsetsPath, 0, null, 'unreadable committed offsets');
    }
  }

  writeOffsets(doc: OffsetsDoc, durable: boolean): void {
    writeFileAtomic(this.offsetsPath, JSON.stringify(doc), durable, this.dir);
  }

  /** Register a member: lease first (so it is never seen without one), then its record. */
  join(memberId: string, clientId: string, topics: readonly string[]): MemberRecord {
    this.ensure();
    const token = `${String(Date.now()).padStart(15, '0')}-${String(++memberSeq).padStart(8, '0')}-${PROCESS.pid}-${PROCESS.token.slice(0, 8)}`;
    const record: MemberRecord = {
      token,
      memberId,
      clientId,
      topics: [...topics],
      pid: PROCESS.pid,
      host: PROCESS.host,
      process: PROCESS.token,
    };
    const lease = join(this.leasesDir, token);
    try {
      io.close(io.open(lease, 'w'));
    } catch (e) {
      throw storageError(e, 'creating lease', lease);
    }
    createExclusive(join(this.membersDir, token), JSON.stringify(record), this.dir);
    this.memberCache.set(token, record);
    return record;
  }

  /** Refresh a member's lease; false when it is gone (the member was removed as dead). */
  heartbeat(token: string): boolean {
    try {
      io.utimes(join(this.leasesDir, token), Date.now());
      return readIfExists(join(this.membersDir, token)) !== undefined;
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return false;
      throw storageError(e, 'refreshing lease', join(this.leasesDir, token));
    }
  }

  leave(token: string): void {
    unlinkIfExists(join(this.membersDir, token));
    unlinkIfExists(join(this.leasesDir, token));
    this.memberCache.delete(token);
  }

  /**
   * Read members and claims; remove members found dead (process gone, or
   * lease older than sessionTimeoutMs) with their claims.
   */
  snapshot(sessionTimeoutMs: number): GroupSnapshot {
    const now = Date.now();
    const members: MemberRecord[] = [];
    for (const token of listDir(this.membersDir).sort()) {
      if (token.includes('.tmp-')) continue;
      let record = this.memberCache.get(token);
      if (record === undefined) {
        const raw = readIfExists(join(this.membersDir, token));
        if (raw === undefined) continue;
        try {
          record = JSON.parse(raw.toString('utf8')) as MemberRecord;
        } catch {
          continue;
        }
        this.memberCache.set(token, record);
      }
      let age = Number.POSITIVE_INFINITY;
      try {
        age = now - io.stat(join(this.leasesDir, token)).mtimeMs;
      } catch {
        // No lease: removed as dead by someone, or never made.
      }
      const gone = ownerGone({ pid: record.pid, host: record.host, token: record.process }, age, sessionTimeoutMs);
      if (gone || age > sessionTimeoutMs) {
        this.leave(token);
        continue;
      }
      members.push(record);
    }
    const live = new Set(members.map((m) => m.token));
    const claims = new Map<string, Claim>();
    const deadClaims = new Map<string, string>();
    for (const name of listDir(this.ownersDir)) {
      const raw = readIfExists(join(this.ownersDir, name));
      if (raw === undefined) continue;
      const text = raw.toString('utf8');
      let claim: Claim;
      try {
        claim = JSON.parse(text) as Claim;
      } catch {
        continue;
      }
      const key = tpKey(claim.topic, claim.partition);
      if (live.has(claim.member)) claims.set(key, claim);
      else deadClaims.set(key, text);
    }
    return { members, claims, deadClaims };
  }

  claimPath(topic: string, partition: number): string {
    return join(this.ownersDir, `${topic}.${partition}`);
  }

  /** Take a free partition: false when someone else holds it. */
  claim(member: MemberRecord, tp: TopicPartition, topicId: string, deadClaim: string | undefined): boolean {
    const path = this.claimPath(tp.topic, tp.partition);
    if (deadClaim !== undefined && !breakFile(path, deadClaim)) return false;
    const claim: Claim = { member: member.token, memberId: member.memberId, topic: tp.topic, partition: tp.partition, topicId };
    return createExclusive(path, JSON.stringify(claim), this.dir);
  }

  /** Give a partition back, if the claim is still this member's. */
  release(token: string, tp: TopicPartition): void {
    const path = this.claimPath(tp.topic, tp.partition);
    const raw = readIfExists(path);
    if (raw === undefined) return;
    try {
      if ((JSON.parse(raw.toString('utf8')) as Claim).member !== token) return;
    } catch {
      return;
    }
    breakFile(path, raw.toString('utf8'));
  }
}
