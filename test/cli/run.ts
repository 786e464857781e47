/** Runs a mixsim command the way `npm run` does (through src/cli/launch.cjs), capturing its output and exit code. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root. */
export const root = join(fileURLToPath(import.meta.url), '..', '..', '..');

const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The Node flags of a command's npm script (`node --single-threaded src/cli/launch.cjs study`: `--single-threaded`). */
export function nodeFlags(command: string): string[] {
  const words = (scripts[command] ?? '').split(/\s+/);
  const launch = words.indexOf('src/cli/launch.cjs');
  return words[0] === 'node' && launch > 0 ? words.slice(1, launch) : [];
}

/** Runs `src/cli/<command>.ts` with the arguments, with the Node flags its npm script gives. */
export function runCli(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}) {
  const r = spawnSync(process.execPath, [...nodeFlags(command), join(root, 'src', 'cli', 'launch.cjs'), command, ...args], {
    cwd: options.cwd ?? root, encoding: 'utf8', env: { ...process.env, ...options.env }, timeout: options.timeout ?? 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
