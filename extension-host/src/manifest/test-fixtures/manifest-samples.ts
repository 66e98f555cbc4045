// Shared by the manifest tests: a valid manifest, and helpers that collect the problems of a broken one.
import { isTetherError } from '@tether/sdk';
import { expect } from 'vitest';
import { InvalidManifestError } from '../invalid-manifest-error.js';
import { parseManifest } from '../parse-manifest.js';

export const valid = {
  name: '@acme/kv',
  version: '1.2.0',
  tether: {
    entry: 'dist/plugin.js',
    runner: 'node',
    services: { kv: [1, 2] },
    host: '>=0.1.0 <2',
    hostApis: ['storage', 'notifications'],
    displayName: 'Key-value store',
    sha256: 'AB'.repeat(32),
    activation: 'onDemand',
    idleTimeoutSeconds: 300,
    crashLimit: { count: 5, windowSeconds: 60 },
    contributes: {
      commands: [
        { id: 'kv.clear', title: 'Clear the store' },
        { id: 'kv.dump', title: 'Dump the store', arguments: '<prefix>: only the keys that start with it' },
      ],
    },
  },
};

/** `valid` with the `tether` section changed (a key set to undefined is removed). */
export function withTether(changes: Record<string, unknown>): unknown {
  const tether: Record<string, unknown> = { ...valid.tether, ...changes };
  for (const key of Object.keys(changes)) if (changes[key] === undefined) delete tether[key];
  return { ...valid, tether };
}

export function problemsOf(json: unknown): readonly string[] {
  try {
    parseManifest(json, 'test/package.json');
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidManifestError);
    expect(isTetherError(error, 'INVALID_MANIFEST')).toBe(true);
    return (error as InvalidManifestError).problems;
  }
  throw new Error('expected the manifest to be rejected');
}

export function onlyProblem(json: unknown): string {
  const problems = problemsOf(json);
  expect(problems).toHaveLength(1);
  return problems[0]!;
}
