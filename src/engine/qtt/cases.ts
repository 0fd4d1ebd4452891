/**
 * ksqlDB's query-validation test format (QTT): files of `{ "tests": [...] }`,
 * each test run once per entry of its `format` (and `config`) list.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Num, parseLossless, type Json } from './json.js';

export interface QttRecord {
  readonly topic: string;
  readonly key?: Json;
  readonly value?: Json;
  readonly timestamp?: number;
  readonly headers?: readonly { key: string; value: string | null }[];
  readonly window?: { start: number; end: number; type: string };
}

export interface QttTopic {
  readonly name: string;
  readonly partitions?: number;
  readonly keyFormat?: string;
  readonly valueFormat?: string;
  readonly keySchema?: Json;
  readonly valueSchema?: Json;
}

export interface QttPostSource {
  readonly name: string;
  readonly type?: string;
  readonly schema?: string;
  readonly keyFormat?: { format?: string };
  readonly valueFormat?: { format?: string };
}

export interface QttCase {
  /** The file's base name, e.g. "project-filter.json". */
  readonly file: string;
  readonly name: string;
  /** The `format` entry this run substitutes for {FORMAT}, or null. */
  readonly format: string | null;
  readonly statements: readonly string[];
  readonly properties: Readonly<Record<string, string>>;
  readonly topics: readonly QttTopic[];
  readonly inputs: readonly QttRecord[];
  readonly outputs: readonly QttRecord[];
  readonly expectedException?: { readonly type?: string; readonly message?: string };
  readonly post?: { readonly sources?: readonly QttPostSource[]; readonly topics?: { readonly blacklist?: string } };
}

/** Every .json file under the given files and folders, sorted. */
export function findTestFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const visit = (p: string) => {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p).sort()) visit(path.join(p, entry));
    } else if (p.endsWith('.json')) out.push(p);
  };
  for (const p of paths) visit(p);
  return out;
}

const asString = (v: Json | undefined): string | undefined =>
  v === undefined || v === null ? undefined : v instanceof Num ? v.text : typeof v === 'string' ? v : JSON.stringify(v);
const asNumber = (v: Json | undefined): number | undefined => (v instanceof Num ? Number(v.text) : typeof v === 'string' ? Number(v) : undefined);

/** Reads one test file into cases, one per format/config entry. */
export function loadTestFile(file: string): QttCase[] {
  const doc = parseLossless(fs.readFileSync(file, 'utf8')) as { [k: string]: Json };
  const tests = (doc.tests ?? []) as { [k: string]: Json }[];
  const base = path.basename(file);
  const cases: QttCase[] = [];
  for (const t of tests) {
    const formats = Array.isArray(t.format) ? (t.format as Json[]).map((f) => asString(f) ?? '') : [null];
    const configs = Array.isArray(t.config) ? (t.config as Json[]).map((f) => asString(f) ?? '') : [null];
    for (const format of formats) {
      for (const config of configs) {
        const sub = (s: string) => {
          let out = s;
          if (format !== null) out = out.split('{FORMAT}').join(format);
          if (config !== null) out = out.split('{CONFIG}').join(config);
          return out;
        };
        const props: Record<string, string> = {};
        for (const [k, v] of Object.entries((t.properties ?? {}) as { [k: string]: Json })) props[k] = sub(asString(v) ?? '');
        const records = (list: Json | undefined): QttRecord[] =>
          ((list ?? []) as { [k: string]: Json }[]).map((r) => ({
            topic: sub(asString(r.topic) ?? ''),
            ...('key' in r ? { key: r.key as Json } : {}),
            ...('value' in r ? { value: r.value as Json } : {}),
            ...(r.timestamp !== undefined && r.timestamp !== null ? { timestamp: asNumber(r.timestamp) as number } : {}),
            ...(Array.isArray(r.headers)
              ? { headers: (r.headers as { [k: string]: Json }[]).map((h) => ({ key: asString(h.KEY ?? h.key) ?? '', value: asString(h.VALUE ?? h.value) ?? null })) }
              : {}),
            ...(r.window && typeof r.window === 'object' && !Array.isArray(r.window) && !(r.window instanceof Num)
              ? {
                  window: {
                    start: asNumber((r.window as { [k: string]: Json }).start) ?? 0,
                    end: asNumber((r.window as { [k: string]: Json }).end) ?? 0,
                    type: asString((r.window as { [k: string]: Json }).type) ?? 'time',
                  },
                }
              : {}),
          }));
        const topics = ((t.topics ?? []) as { [k: string]: Json }[]).map((tp) => ({
          name: sub(asString(tp.name) ?? ''),
          ...(tp.partitions !== undefined ? { partitions: asNumber(tp.partitions) as number } : {}),
          ...(tp.keyFormat !== undefined ? { keyFormat: sub(asString(tp.keyFormat) ?? '') } : {}),
          ...(tp.valueFormat !== undefined ? { valueFormat: sub(asString(tp.valueFormat) ?? '') } : {}),
          ...(tp.keySchema !== undefined ? { keySchema: tp.keySchema as Json } : {}),
          ...(tp.valueSchema !== undefined ? { valueSchema: tp.valueSchema as Json } : {}),
        }));
        const ex = t.expectedException as { [k: string]: Json } | undefined;
        const post = t.post as { [k: string]: Json } | undefined;
        cases.push({
          file: base,
          name: asString(t.name) ?? '(unnamed)',
          format,
          statements: ((t.statements ?? []) as Json[]).map((s) => sub(asString(s) ?? '')),
          properties: props,
          topics,
          inputs: records(t.inputs),
          outputs: records(t.outputs),
          ...(ex ? { expectedException: { ...(ex.type ? { type: asString(ex.type) } : {}), ...(ex.message !== undefined ? { message: sub(asString(ex.message) ?? '') } : {}) } } : {}),
          ...(post
            ? {
                post: {
                  ...(Array.isArray(post.sources)
                    ? {
                        sources: (post.sources as { [k: string]: Json }[]).map((s) => ({
                          name: asString(s.name) ?? '',
                          ...(s.type !== undefined ? { type: asString(s.type) } : {}),
                          ...(s.schema !== undefined && s.schema !== null ? { schema: sub(asString(s.schema) ?? '') } : {}),
                          ...(s.keyFormat && typeof s.keyFormat === 'object' ? { keyFormat: { format: asString((s.keyFormat as { [k: string]: Json }).format) } } : {}),
                          ...(s.valueFormat && typeof s.valueFormat === 'object' ? { valueFormat: { format: asString((s.valueFormat as { [k: string]: Json }).format) } } : {}),
                        })),
                      }
                    : {}),
                  ...(post.topics && typeof post.topics === 'object' && !Array.isArray(post.topics)
                    ? { topics: { blacklist: asString((post.topics as { [k: string]: Json }).blacklist) } }
                    : {}),
                },
              }
            : {}),
        } as QttCase);
      }
    }
  }
  return cases;
}
