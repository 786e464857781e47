/** One run at a time per journal: the lock file beside it, refused while its run lives, taken over after. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockJournal } from '../../src/study/journalLock.ts';
import { tempDir } from '../tempDir.ts';

const journalIn = (): string => join(tempDir('mixsim-lock-'), 'journal.ndjson');
/** The pid of a process that has ended (and been reaped). */
const endedPid = (): number => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

describe('lockJournal', () => {
  it('writes who holds it, refuses a second holder while it is held, and is gone once given back', () => {
    const journal = journalIn();
    const unlock = lockJournal(journal);
    const holder = JSON.parse(readFileSync(`${journal}.lock`, 'utf8')) as { host: string; pid: number };
    expect(holder).toMatchObject({ host: hostname(), pid: process.pid });
    expect(() => lockJournal(journal)).toThrow(
      new RegExp(`^${journal.replace(/[.]/g, '\\.')} is being written by run ${process.pid} on ${hostname()}, started .*: wait for it to end, or give another --out \\(if no run is writing it, remove .*journal\\.ndjson\\.lock\\)$`),
    );
    unlock();
    expect(existsSync(`${journal}.lock`)).toBe(false);
    lockJournal(journal)();
  });

  it('takes over the lock of a run that has ended (killed with SIGKILL, say)', () => {
    const journal = journalIn();
    const pid = endedPid();
    expect(pid).toBeGreaterThan(0);
    writeFileSync(`${journal}.lock`, JSON.stringify({ host: hostname(), pid, started: '2026-01-01T00:00:00.000Z' }));
    const unlock = lockJournal(journal);
    expect(JSON.parse(readFileSync(`${journal}.lock`, 'utf8')).pid).toBe(process.pid);
    unlock();
  });

  it('takes over a lock file that names no run', () => {
    const journal = journalIn();
    writeFileSync(`${journal}.lock`, 'not json');
    lockJournal(journal)();
  });

  it('waits for a lock held from another machine while its heartbeat lives, then refuses', () => {
    const journal = journalIn();
    const lock = `${journal}.lock`;
    writeFileSync(lock, JSON.stringify({ host: 'node-17', pid: 1, started: '2026-01-01T00:00:00.000Z' }));
    // The other machine's run: a process that keeps touching the lock, as its heartbeat does.
    const beating = spawn(process.execPath, ['-e', `const fs = require('fs'); setInterval(() => fs.utimesSync(${JSON.stringify(lock)}, new Date(), new Date()), 20)`]);
    try {
      const started = Date.now();
      expect(() => lockJournal(journal, { staleMs: 600 })).toThrow(/is being written by run 1 on node-17, started 2026-01-01T00:00:00\.000Z/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(500);
      expect(JSON.parse(readFileSync(lock, 'utf8')).host).toBe('node-17');
    } finally {
      beating.kill();
    }
  });

  it('takes over a lock whose heartbeat stopped (its machine died, its job was requeued elsewhere)', () => {
    const journal = journalIn();
    writeFileSync(`${journal}.lock`, JSON.stringify({ host: 'node-17', pid: 1, started: '2026-01-01T00:00:00.000Z' }));
    const past = new Date(Date.now() - 120_000);
    utimesSync(`${journal}.lock`, past, past);
    const started = Date.now();
    const unlock = lockJournal(journal);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(JSON.parse(readFileSync(`${journal}.lock`, 'utf8')).pid).toBe(process.pid);
    unlock();
  });

  it("keeps its own lock's heartbeat going until it gives the lock back", async () => {
    const journal = journalIn();
    const unlock = lockJournal(journal, { heartbeatMs: 20 });
    const past = new Date(Date.now() - 120_000);
    utimesSync(`${journal}.lock`, past, past);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(Date.now() - statSync(`${journal}.lock`).mtimeMs).toBeLessThan(1000);
    unlock();
  });
});
