/**
 * One run at a time per journal. Two runs on one `--out` (a run started twice, a `--resume` while the first
 * still runs) both ran the replicates still missing and wrote them to the same journal, which then held
 * replicates twice and could never be summarised again.
 *
 * The lock is a file beside the journal (`journal.ndjson.lock`) naming the run that holds it: host, pid and
 * start. It is made whole and at once (written under a temporary name, then hard-linked to its own, which
 * fails when it exists), so a lock file is never seen half-written. Its holder touches it every few seconds
 * (its heartbeat). A lock is stale, and taken over, when its process is gone from this host (SIGKILL leaves
 * the file behind), or when its heartbeat has stopped for longer than `staleMs`: the run was on another
 * machine sharing the folder, which died or was preempted (a Slurm array task requeued on another node).
 * A lock held from another machine with a live heartbeat is waited for, that long at most.
 */
import { hostname } from 'node:os';
import { linkSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { UserError } from '../errors.ts';

/** Who holds a lock. */
interface Holder {
  readonly host: string;
  readonly pid: number;
  readonly started: string;
}

/** Options of {@link lockJournal}. */
export interface LockOptions {
  /** How long a lock's heartbeat may stop before the lock is stale. Default 60 s. */
  readonly staleMs?: number;
  /** How often the holder touches its lock. Default 10 s. */
  readonly heartbeatMs?: number;
}

/**
 * Whether a process of this host is still running. Signal 0 only asks; a killed process that its parent has
 * not reaped (a zombie: in a container whose init reaps nothing, a run killed with SIGKILL stays one) still
 * answers it, so on Linux its state is read from /proc as well.
 */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function readHolder(lockPath: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(lockPath, 'utf8')) as Holder;
    return typeof holder.pid === 'number' && typeof holder.host === 'string' ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** Milliseconds since the lock's last heartbeat (Infinity when it is gone). */
function silence(lockPath: string): number {
  const stat = statSync(lockPath, { throwIfNoEntry: false });
  return stat ? Date.now() - stat.mtimeMs : Infinity;
}

/** Makes the lock file at once, whole; false when it exists. */
function tryCreate(lockPath: string, holder: Holder): boolean {
  const draft = `${lockPath}.${holder.pid}.tmp`;
  writeFileSync(draft, `${JSON.stringify(holder)}\n`);
  try {
    linkSync(draft, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(draft, { force: true });
  }
}

/** Blocks this thread for `ms` (the run's other threads go on starting meanwhile). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Takes the lock of the journal at `journalPath` for this process, or throws a {@link UserError} naming the
 * run that holds it. Returns the function that gives it back.
 */
export function lockJournal(journalPath: string, options: LockOptions = {}): () => void {
  const staleMs = options.staleMs ?? 60_000;
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  const lockPath = `${journalPath}.lock`;
  const me: Holder = { host: hostname(), pid: process.pid, started: new Date().toISOString() };
  const waitUntil = Date.now() + staleMs;
  for (let takeovers = 0; !tryCreate(lockPath, me);) {
    const holder = readHolder(lockPath);
    const gone = holder === undefined || silence(lockPath) > staleMs || (holder.host === me.host && !isRunning(holder.pid));
    if (gone && takeovers++ < 3) {
      rmSync(lockPath, { force: true });
      continue;
    }
    if (holder && holder.host !== me.host && Date.now() < waitUntil) {
      sleep(Math.min(1000, staleMs / 4));
      continue;
    }
    const who = holder ? `run ${holder.pid} on ${holder.host}, started ${holder.started}` : 'another run';
    throw new UserError(`${journalPath} is being written by ${who}: wait for it to end, or give another --out (if no run is writing it, remove ${lockPath})`);
  }
  const heartbeat = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(lockPath, now, now);
    } catch {
      // Removed by hand: the run goes on; its journal is still its own.
    }
  }, heartbeatMs);
  heartbeat.unref();
  return () => {
    clearInterval(heartbeat);
    const holder = readHolder(lockPath);
    if (holder?.pid === me.pid && holder.host === me.host) rmSync(lockPath, { force: true });
  };
}
