import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidManifestError, parseManifest } from '@tether/extension-host';
import { packageNameProblem, suggestPackageName, unscopedName } from './package-name.js';

/** Whether the host's manifest parser takes `name` as an extension's name. */
function manifestAcceptsName(name: string): boolean {
  const manifest = {
    name,
    version: '1.0.0',
    tether: { entry: 'dist/plugin.js', services: { counter: [1] }, host: '^0.1.0' },
  };
  try {
    parseManifest(manifest, 'package.json');
    return true;
  } catch (error) {
    if (!(error instanceof InvalidManifestError)) throw error;
    return false;
  }
}

describe('packageNameProblem', () => {
  it.each(['my-counter', '@acme/kv', 'a', 'a.b_c-1', '01-greeter', '@a-b/c.d', 'x'.repeat(214)])(
    'accepts %j',
    (name) => {
      expect(packageNameProblem(name)).toBeUndefined();
    },
  );

  it.each([
    ['', 'is empty'],
    ['x'.repeat(215), 'is longer than 214 characters'],
    [' counter', 'has leading or trailing spaces'],
    ['My-Counter', 'has capital letters; npm names are lowercase'],
    ['.counter', "starts with '.' or '_'"],
    ['_counter', "starts with '.' or '_'"],
    ['@acme/.kv', "has a name part that starts with '.' or '_'"],
    ['node_modules', 'is a reserved name'],
    ['http', 'is the name of a Node.js core module'],
    ['my counter', 'has characters npm does not allow; use lowercase letters, digits, "-", "." or "_"'],
    [
      '@acme',
      'is not a valid scoped name; use "@scope/name" with lowercase letters, digits, "-", "." or "_"',
    ],
    [
      '@acme/',
      'is not a valid scoped name; use "@scope/name" with lowercase letters, digits, "-", "." or "_"',
    ],
    [
      '@acme/kv/x',
      'is not a valid scoped name; use "@scope/name" with lowercase letters, digits, "-", "." or "_"',
    ],
    ['kv~1', "has a character npm does not allow in a name (~'!()*)"],
  ])('refuses %j: it %s', (name, problem) => {
    expect(packageNameProblem(name)).toBe(problem);
  });

  it('never accepts a name the manifest parser refuses', () => {
    const nameLike = fc.string({
      unit: fc.constantFrom('a', 'z', '0', '-', '.', '_', '~', '@', '/', 'A', ' ', '!'),
      maxLength: 12,
    });
    fc.assert(
      fc.property(nameLike, (name) => {
        if (packageNameProblem(name) === undefined) expect(manifestAcceptsName(name)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('suggestPackageName', () => {
  it.each([
    ['My Counter', 'my-counter'],
    ['  Hello__World!! ', 'hello__world'],
    ['.hidden', 'hidden'],
    ['Ünïcode Thing', 'unicode-thing'],
  ])('%j → %j', (text, suggestion) => {
    expect(suggestPackageName(text)).toBe(suggestion);
  });

  it.each(['***', 'HTTP', 'node_modules'])('has nothing valid to offer for %j', (text) => {
    expect(suggestPackageName(text)).toBeUndefined();
  });
});

describe('unscopedName', () => {
  it('drops the scope', () => {
    expect(unscopedName('@acme/kv')).toBe('kv');
    expect(unscopedName('kv')).toBe('kv');
  });
});
