/**
 * One run at a time per journal. Two runs on one `--out` (a run started twice, a `--resume` while the first
 * still runs) both ran the replicates still missing and wrote them to the same journal, which then held
 * replicates twice and could never be summarised again.
 *
 * The lock is a file beside the journal (`journal.ndjson.lock`) naming the run that holds it: host, pid and
 * start. It is made whole and at once (written under a temporary name, then hard-linked to its own, which
 * fails when it exists), so a lock file is never seen half-written. A lock left by a run that was killed
 * (SIGKILL leaves it behind) is taken over when its process is gone from this host.
 */
import { hostname } from 'node:os';
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { UserError } from '../errors.ts';

/** Who holds a lock. */
interface Holder {
  readonly host: string;
  readonly pid: number;
  readonly started: string;
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

/**
 * Takes the lock of the journal at `journalPath` for this process, or throws a {@link UserError} naming the
 * run that holds it. Returns the function that gives it back.
 */
export function lockJournal(journalPath: string): () => void {
  const lockPath = `${journalPath}.lock`;
  const me: Holder = { host: hostname(), pid: process.pid, started: new Date().toISOString() };
  for (let attempt = 0; !tryCreate(lockPath, me); attempt++) {
    const holder = readHolder(lockPath);
    const stale = holder === undefined || (holder.host === me.host && !isRunning(holder.pid));
    if (!stale || attempt > 0) {
      const who = holder ? `run ${holder.pid} on ${holder.host}, started ${holder.started}` : 'another run';
      throw new UserError(`${journalPath} is being written by ${who}: wait for it to end, or give another --out (if no run is writing it, remove ${lockPath})`);
    }
    rmSync(lockPath, { force: true });
  }
  return () => {
    if (readHolder(lockPath)?.pid === me.pid) rmSync(lockPath, { force: true });
  };
}
