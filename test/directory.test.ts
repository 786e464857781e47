import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirectory } from '../src/directory.ts';
import { fileErrorLine, systemErrorReason, UserError } from '../src/errors.ts';
import { tempDir } from './tempDir.ts';

describe('makeDirectory', () => {
  it('makes a folder and its missing parents, and returns its absolute path', () => {
    const root = tempDir('mixsim-dir-');
    const deep = join(root, 'a', 'b', 'c');
    expect(makeDirectory(deep, '--out')).toBe(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
  });

  it('accepts a folder that is already there', () => {
    const root = tempDir('mixsim-dir-');
    mkdirSync(join(root, 'there'));
    expect(makeDirectory(join(root, 'there'), '--out')).toBe(join(root, 'there'));
  });

  it('names the flag and the file in the way, and makes nothing', () => {
    const root = tempDir('mixsim-dir-');
    const file = join(root, 'notes.txt');
    writeFileSync(file, 'x');
    expect(() => makeDirectory(file, '--out')).toThrow(new UserError(`--out: '${file}' is a file, not a folder`));
    expect(() => makeDirectory(join(file, 'a', 'b'), '--out')).toThrow(new UserError(`--out: '${file}' is a file, not a folder`));
    expect(existsSync(join(root, 'a'))).toBe(false);
  });

  // Node 20's mkdirSync(…, { recursive: true }) never returns here: /proc refuses new entries with ENOENT.
  it.skipIf(!existsSync('/proc/self'))('fails at once where the system refuses a new folder', () => {
    expect(() => makeDirectory('/proc/mixsim-cannot-be', '--out'))
      .toThrow(new UserError("--out: cannot make the folder '/proc/mixsim-cannot-be': no such file or directory (ENOENT)"));
  });
});

describe('system errors as one line', () => {
  const refusal = (): unknown => {
    const root = tempDir('mixsim-dir-');
    mkdirSync(join(root, 'summary.csv'));
    try {
      writeFileSync(join(root, 'summary.csv'), 'x');
    } catch (error) {
      return error;
    }
    throw new Error('writing over a folder did not fail');
  };

  it('says the call, the path and the reason', () => {
    const error = refusal();
    expect(systemErrorReason(error)).toBe('illegal operation on a directory (EISDIR)');
    expect(fileErrorLine(error)).toMatch(/^cannot open '.*summary\.csv': illegal operation on a directory \(EISDIR\)$/);
  });

  it('leaves other errors alone', () => {
    expect(fileErrorLine(new Error('a bug'))).toBeUndefined();
    expect(fileErrorLine(Object.assign(new Error('spawn'), { code: 'ENOENT', syscall: 'spawn' }))).toBeUndefined();
    expect(systemErrorReason(new Error('a bug'))).toBe('a bug');
  });
});
