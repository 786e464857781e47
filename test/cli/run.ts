/** Runs a mixsim command the way `npm run` does (through src/cli/launch.cjs), capturing its output and exit code. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root. */
export const root = join(fileURLToPath(import.meta.url), '..', '..', '..');

/** Runs `src/cli/<command>.ts` with the arguments. */
export function runCli(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}) {
  const r = spawnSync(process.execPath, [join(root, 'src', 'cli', 'launch.cjs'), command, ...args], {
    cwd: options.cwd ?? root, encoding: 'utf8', env: { ...process.env, ...options.env }, timeout: options.timeout ?? 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
