import { readFileSync } from 'node:fs';
import { TetherError } from '@tether/sdk';
import { describe, expect, it } from 'vitest';
import { checkHostCompatibility } from './check-host-compatibility.js';
import { HOST_VERSION } from './host-version.js';

const manifest = (host: string) => ({ name: '@acme/kv', version: '1.2.0', host });

function errorOf(fn: () => void): TetherError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TetherError);
    return error as TetherError;
  }
  throw new Error('expected an error');
}

describe('checkHostCompatibility', () => {
  it('HOST_VERSION is the extension-host package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(HOST_VERSION).toBe(pkg.version);
  });

  it.each(['>=0.1.0 <2', '^0.1.0', '0.1.x', '*', '~0.1', '>=0.0.1', '0.1.0', '<1 || >=5'])(
    'host %s accepts 0.1.0',
    (range) => {
      expect(() => checkHostCompatibility(manifest(range))).not.toThrow();
    },
  );

  it('too old a host: says what is needed, what this host has, and what to do', () => {
    const error = errorOf(() => checkHostCompatibility(manifest('>=2.0.0')));
    expect(error.code).toBe('INCOMPATIBLE_HOST');
    expect(error.message).toBe(
      'Extension "@acme/kv" 1.2.0 needs a Tether host >=2.0.0; this app has 0.1.0; update the app or install an older version of the extension.',
    );
  });

  it('too new a host: says to update the extension', () => {
    const error = errorOf(() => checkHostCompatibility(manifest('^0.0.5'), { hostLabel: 'tether CLI' }));
    expect(error.message).toBe(
      'Extension "@acme/kv" 1.2.0 needs a Tether host ^0.0.5; this tether CLI has 0.1.0; update the extension (or use an older tether CLI).',
    );
  });

  it('off both ways across || sets: a neutral hint', () => {
    const error = errorOf(() => checkHostCompatibility(manifest('<0.1.0 || >=2'), { hostVersion: '1.0.0' }));
    expect(error.message).toContain('install a version of the extension made for this app.');
  });

  it('a pre-release host is compared by precedence', () => {
    expect(() =>
      checkHostCompatibility(manifest('>=0.1.0 <2'), { hostVersion: '1.0.0-beta.2' }),
    ).not.toThrow();
    expect(() => checkHostCompatibility(manifest('^1'), { hostVersion: '1.0.0-beta.2' })).not.toThrow();
    expect(
      errorOf(() => checkHostCompatibility(manifest('>=1.0.0'), { hostVersion: '1.0.0-beta.2' })).code,
    ).toBe('INCOMPATIBLE_HOST');
    expect(
      errorOf(() => checkHostCompatibility(manifest('>=0.1.0 <2'), { hostVersion: '2.0.0-rc.1' })).message,
    ).toContain('update the extension');
  });

  it('a range that was never validated is INVALID_MANIFEST; a bad host version is INVALID_OPTIONS', () => {
    expect(errorOf(() => checkHostCompatibility(manifest('>=x.y'))).code).toBe('INVALID_MANIFEST');
    expect(errorOf(() => checkHostCompatibility(manifest('*'), { hostVersion: 'v1' })).code).toBe(
      'INVALID_OPTIONS',
    );
  });
});
