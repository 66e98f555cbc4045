import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.js';
import { ScaffoldError } from './scaffold-error.js';

function usageError(args: string[]): ScaffoldError {
  try {
    parseCliArgs(args);
  } catch (error) {
    expect(error).toBeInstanceOf(ScaffoldError);
    expect((error as ScaffoldError).code).toBe('USAGE');
    return error as ScaffoldError;
  }
  throw new Error(`parseCliArgs(${JSON.stringify(args)}) did not fail`);
}

describe('parseCliArgs', () => {
  it('takes a folder, and a name with --name (either order, = form too)', () => {
    expect(parseCliArgs(['my-counter'])).toEqual({ kind: 'create', directory: 'my-counter' });
    expect(parseCliArgs(['dir', '--name', '@acme/kv'])).toEqual({
      kind: 'create',
      directory: 'dir',
      name: '@acme/kv',
    });
    expect(parseCliArgs(['--name=kv', 'a folder'])).toEqual({
      kind: 'create',
      directory: 'a folder',
      name: 'kv',
    });
  });

  it('takes a folder that starts with "-" after "--"', () => {
    expect(parseCliArgs(['--', '-odd'])).toEqual({ kind: 'create', directory: '-odd' });
  });

  it('--help and --version win over everything else', () => {
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['dir', '-h'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['-v'])).toEqual({ kind: 'version' });
    expect(parseCliArgs(['--version', 'dir'])).toEqual({ kind: 'version' });
  });

  it('needs a folder', () => {
    expect(usageError([]).message).toBe('Say which folder to create the project in.');
    expect(usageError(['--name', 'kv']).message).toBe('Say which folder to create the project in.');
    expect(usageError(['']).message).toBe('Say which folder to create the project in.');
  });

  it('takes one folder, and says to quote a path with spaces', () => {
    expect(usageError(['my', 'counter']).message).toBe(
      'One folder at a time: got 2 ("my", "counter"). Quote a path with spaces.',
    );
  });

  it('names an unknown option and lists the known ones', () => {
    expect(usageError(['dir', '--nme', 'x']).message).toBe(
      'Unknown option --nme: the options are --name <name>, --help and --version.',
    );
  });

  it('says when --name has no value', () => {
    expect(usageError(['dir', '--name']).message).toMatch(/--name/);
  });
});
