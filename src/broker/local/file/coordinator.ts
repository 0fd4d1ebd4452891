/**
 * This process's view of one consumer group: its local members, a cached
 * snapshot of the group's files (members and claims, re-read when a watcher
 * or the heartbeat says they changed), and the range assignment computed
 * from it, the same in every process.
 */

import type { FSWatcher } from 'node:fs';
import { assignRanges } from '../../assignor.js';
import type { TopicPartition } from '../../port.js';
import type { Doorbell } from './doorbell.js';
import type { GroupFiles, GroupSnapshot } from './groups.js';

export interface LocalMember {
  readonly bell: Doorbell;
  readonly topics: readonly string[];
  readonly token: string;
}

export class GroupView {
  readonly members: LocalMember[] = [];
  readonly watchers: FSWatcher[] = [];
  /** Set when the group's files may have changed since the snapshot. */
  dirty = true;
  private snap: GroupSnapshot | undefined;
  private signature = '';

  constructor(
    readonly files: GroupFiles,
    private readonly sessionTimeoutMs: number,
  ) {}

  snapshot(): GroupSnapshot {
    if (this.dirty || this.snap === undefined) {
      this.dirty = false;
      this.snap = this.files.snapshot(this.sessionTimeoutMs);
      this.signature = signatureOf(this.snap);
    }
    return this.snap;
  }

  /** Re-read now (the heartbeat); wake local members when anything changed. */
  refresh(): void {
    const before = this.signature;
    this.dirty = true;
    this.snapshot();
    if (this.signature !== before) this.ring();
  }

  /** Something changed here: re-read before the next decision, and wake local members. */
  changed(): void {
    this.dirty = true;
    this.ring();
  }

  ring(): void {
    for (const m of this.members) m.bell.ring();
  }

  /** What the range assignor gives a member, over the live members in join order. */
  targetOf(snap: GroupSnapshot, token: string, partitionCount: (topic: string) => number | undefined): TopicPartition[] {
    const counts = new Map<string, number>();
    for (const m of snap.members) {
      for (const topic of m.topics) {
        const n = partitionCount(topic);
        if (n !== undefined) counts.set(topic, n);
      }
    }
    const members = snap.members.map((m) => ({ memberId: m.token, topics: m.topics }));
    return assignRanges(members, counts).get(token) ?? [];
  }
}

function signatureOf(snap: GroupSnapshot): string {
  const members = snap.members.map((m) => m.token).join(',');
  const claims = [...snap.claims.entries()].map(([k, c]) => `${k}=${c.member}`).sort().join(',');
  return `${members}|${claims}|${[...snap.deadClaims.keys()].sort().join(',')}`;
}
