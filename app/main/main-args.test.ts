// The Electron app's own command line, among Electron's and Chromium's.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMainArgs } from './main-args.js';

describe('parseMainArgs', () => {
  it('reads --data <dir> and --data=<dir>, resolved against the working folder', () => {
    expect(parseMainArgs(['/electron', '.', '--data', 'my-data'], '/work')).toEqual({
      dataFolder: path.resolve('/work', 'my-data'),
    });
    expect(parseMainArgs(['/electron', '--data=/tmp/x', '--enable-logging'], '/work')).toEqual({
      dataFolder: '/tmp/x',
    });
  });

  it('ignores everything else, and a --data without a value', () => {
    expect(parseMainArgs(['/electron', '.', '--no-sandbox', '--inspect=5858'])).toEqual({});
    expect(parseMainArgs(['/electron', '--data'])).toEqual({});
    expect(parseMainArgs(['/electron', '--data', '--other'])).toEqual({});
    expect(parseMainArgs(['/electron', '--data='])).toEqual({});
  });
});
