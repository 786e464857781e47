/**
 * On the real engine: a single-node Slurm cluster (Debian's slurm-wlm and munge, started here as root)
 * runs the generated array script for a small study, then the merge job; the merged tables must equal a
 * local run byte for byte. Where the cluster cannot be started (not root, Slurm not installed) the test
 * says so and is skipped; .ci/run installs what it needs, so CI runs it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root, runCli } from '../cli/run.ts';
import { tempDir } from '../tempDir.ts';

const study = join(root, 'test', 'fixtures', 'studies', 'tiny.ts');
const which = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const missing = ['slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo', 'munged'].filter((c) => !which(c));
const why = process.getuid?.() !== 0 ? 'not root' : missing.length ? `not installed: ${missing.join(', ')} (apt-get install -y slurm-wlm munge)` : '';
if (why) console.warn(`Slurm integration test skipped: ${why}`);

const dir = tempDir('mixsim-slurm-');
const conf = join(dir, 'slurm.conf');
const env = { ...process.env, SLURM_CONF: conf };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts munged (if it is not running) and a one-node Slurm cluster with its own ports and state. */
async function startCluster(): Promise<void> {
  const node = hostname().split('.')[0];
  const port = 20000 + (process.pid % 20000);
  for (const d of ['state', 'spool', 'log']) mkdirSync(join(dir, d));
  writeFileSync(conf, [
    'ClusterName=mixsimtest', `SlurmctldHost=${node}`, 'SlurmUser=root', 'SlurmdUser=root', 'AuthType=auth/munge',
    `StateSaveLocation=${dir}/state`, `SlurmdSpoolDir=${dir}/spool`,
    `SlurmctldPidFile=${dir}/slurmctld.pid`, `SlurmdPidFile=${dir}/slurmd.pid`,
    `SlurmctldLogFile=${dir}/log/slurmctld.log`, `SlurmdLogFile=${dir}/log/slurmd.log`,
    `SlurmctldPort=${port}`, `SlurmdPort=${port + 1}`,
    'ProctrackType=proctrack/linuxproc', 'TaskPlugin=task/none', 'SelectType=select/cons_tres', 'SelectTypeParameters=CR_Core',
    'ReturnToService=2', 'MpiDefault=none', 'JobAcctGatherType=jobacct_gather/none', 'AccountingStorageType=accounting_storage/none',
    `NodeName=${node} CPUs=${availableParallelism()} State=UNKNOWN`,
    'PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP', '',
  ].join('\n'));
  writeFileSync(join(dir, 'cgroup.conf'), 'CgroupPlugin=cgroup/v1\n');
  if (spawnSync('pgrep', ['-x', 'munged']).status !== 0) {
    mkdirSync('/run/munge', { recursive: true });
    execFileSync('chown', ['munge:munge', '/run/munge']);
    if (!existsSync('/etc/munge/munge.key')) execFileSync('mungekey', ['--create'], { stdio: 'ignore' });
    execFileSync('runuser', ['-u', 'munge', '--', 'munged']);
  }
  execFileSync('slurmctld', ['-c'], { env });
  execFileSync('slurmd', ['-c'], { env });
  for (let t = 0; t < 120; t++) {
    const state = spawnSync('sinfo', ['-h', '-o', '%t'], { env, encoding: 'utf8' }).stdout.trim();
    if (state === 'idle') return;
    await sleep(500);
  }
  throw new Error(`the test cluster did not come up: ${readFileSync(join(dir, 'log', 'slurmd.log'), 'utf8').slice(-2000)}`);
}

/**
 * Stops the daemons and waits until they are gone: slurmctld saves its state as it stops, and would make
 * the test's folder again after it is removed.
 */
async function stopCluster(): Promise<void> {
  const pids = ['slurmd.pid', 'slurmctld.pid'].map((f) => join(dir, f)).filter(existsSync).map((f) => readFileSync(f, 'utf8').trim());
  for (const pid of pids) spawnSync('kill', [pid]);
  const running = (pid: string): boolean => {
    try {
      return !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); // a zombie has stopped
    } catch {
      return false;
    }
  };
  for (let t = 0; t < 100 && pids.some(running); t++) await sleep(100);
}

describe.skipIf(Boolean(why))('a study as a Slurm array job on a real single-node cluster', () => {
  afterAll(stopCluster);

  it('runs the generated array and merge scripts, and merges to the tables of a local run', async () => {
    await startCluster();
    const local = join(dir, 'local');
    expect(runCli('study', [study, '--out', local, '--reps', '8', '--quiet']).code).toBe(0);

    const out = join(dir, 'cluster');
    const generated = runCli('study', [study, '--slurm', '3', '--cpus', '1', '--out', out, '--reps', '8'], { env });
    expect(generated.code).toBe(0);
    const submit = generated.stdout.trim().split('\n').at(-1)!.trim();
    expect(submit).toMatch(/^jobid=\$\(sbatch --parsable .*array\.sbatch\) && sbatch --dependency=afterok:/);
    execFileSync('bash', ['-c', submit], { env, cwd: root });

    for (let t = 0; t < 600 && spawnSync('squeue', ['-h'], { env, encoding: 'utf8' }).stdout.trim() !== ''; t++) await sleep(500);
    const log = (name: string): string => (existsSync(join(out, 'slurm', name)) ? readFileSync(join(out, 'slurm', name), 'utf8') : '(no log)');
    expect(log('merge.log'), `shard 0: ${log('shard-0.log')}`).toContain('merged 3 shards');
    expect(readFileSync(join(out, 'replicates.csv'), 'utf8')).toBe(readFileSync(join(local, 'replicates.csv'), 'utf8'));
    expect(readFileSync(join(out, 'summary.csv'), 'utf8')).toBe(readFileSync(join(local, 'summary.csv'), 'utf8'));
  }, 600_000);
});
