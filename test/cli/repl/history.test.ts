import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { History, MAX_HISTORY, decodeEntry, encodeEntry } from '../../../src/cli/repl/history.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ksqlite-history-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

test('entries round-trip through the one-line encoding', () => {
  for (const e of ['SHOW STREAMS;', 'a\nb', 'back\\slash\\n', "x\n'y\\n'"]) {
    expect(decodeEntry(encodeEntry(e))).toBe(e);
    expect(encodeEntry(e)).not.toContain('\n');
  }
});

test('entries are appended to the file as they are added; blanks and repeats are skipped', () => {
  const file = path.join(scratch, 'a', 'history');
  const h = new History(file);
  h.add('SHOW STREAMS;');
  h.add('SHOW STREAMS;');
  h.add('   ');
  h.add('SELECT 1\nFROM x;  ');
  expect(h.entries()).toEqual(['SHOW STREAMS;', 'SELECT 1\nFROM x;']);
  expect(new History(file).entries()).toEqual(['SHOW STREAMS;', 'SELECT 1\nFROM x;']);
});

test('the file keeps the newest entries only', () => {
  const file = path.join(scratch, 'long');
  fs.writeFileSync(file, Array.from({ length: MAX_HISTORY + 5 }, (_, i) => `e${i}\n`).join(''));
  const h = new History(file);
  expect(h.length).toBe(MAX_HISTORY);
  expect(h.at(0)).toBe('e5');
  expect(fs.readFileSync(file, 'utf8').split('\n').length - 1).toBe(MAX_HISTORY);
});

test('reverse search finds the newest match before a position, ignoring case', () => {
  const h = new History();
  for (const e of ['select a', 'show streams', 'SELECT b', 'describe x']) h.add(e);
  expect(h.searchBack('select', h.length)).toBe(2);
  expect(h.searchBack('select', 2)).toBe(0);
  expect(h.searchBack('select', 0)).toBe(-1);
  expect(h.searchBack('nothing', h.length)).toBe(-1);
});
