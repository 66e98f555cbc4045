import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidManifestError } from './invalid-manifest-error.js';
import { checkEntryPath, parseManifest, readManifest } from './parse-manifest.js';
import { onlyProblem, problemsOf, valid, withTether } from './test-fixtures/manifest-samples.js';

describe('parseManifest: valid manifests', () => {
  it('reads every field', () => {
    const manifest = parseManifest(valid, 'test/package.json');
    expect(manifest).toEqual({
      name: '@acme/kv',
      version: '1.2.0',
      displayName: 'Key-value store',
      entry: 'dist/plugin.js',
      runner: 'node',
      services: new Map([['kv', [1, 2]]]),
      host: '>=0.1.0 <2',
      hostApis: ['storage', 'notifications'],
      sha256: 'ab'.repeat(32),
      activation: 'onDemand',
      idleTimeoutMs: 300_000,
      crashLimit: { count: 5, windowMs: 60_000 },
      commands: [
        { id: 'kv.clear', title: 'Clear the store' },
        { id: 'kv.dump', title: 'Dump the store', arguments: '<prefix>: only the keys that start with it' },
      ],
      requires: new Map(),
      source: 'test/package.json',
    });
  });

  it('fills defaults: runner "node", displayName = package name, no host APIs, no sha256, on demand, no commands', () => {
    const manifest = parseManifest(
      { name: 'kv', version: '0.0.1', tether: { entry: 'plugin.js', services: { kv: [1] }, host: '*' } },
      'x',
    );
    expect(manifest.runner).toBe('node');
    expect(manifest.displayName).toBe('kv');
    expect(manifest.hostApis).toEqual([]);
    expect(manifest).not.toHaveProperty('sha256');
    expect(manifest.activation).toBe('onDemand');
    expect(manifest).not.toHaveProperty('idleTimeoutMs');
    expect(manifest).not.toHaveProperty('crashLimit');
    expect(manifest.commands).toEqual([]);
    expect(manifest.requires).toEqual(new Map());
  });

  it('normalizes the entry and sorts protocol versions', () => {
    const manifest = parseManifest(
      withTether({ entry: './dist/./plugin.js', services: { kv: [3, 1, 2] } }),
      'x',
    );
    expect(manifest.entry).toBe('dist/plugin.js');
    expect(manifest.services.get('kv')).toEqual([1, 2, 3]);
  });

  it.each(['utility', 'node', 'pty', 'executable'])('accepts runner %j', (runner) => {
    expect(parseManifest(withTether({ runner }), 'x').runner).toBe(runner);
  });

  it('accepts the sample greeter manifest (a TypeScript entry in development)', () => {
    const manifest = parseManifest(
      {
        name: '@tether-samples/greeter',
        version: '0.1.0',
        tether: { entry: 'src/plugin.ts', runner: 'node', services: { greeter: [1] }, host: '>=0.1.0 <1' },
      },
      'x',
    );
    expect(manifest.entry).toBe('src/plugin.ts');
  });

  it('accepts scoped names whose name part starts with "." or "_" (npm does)', () => {
    expect(parseManifest({ ...valid, name: '@acme/_kv' }, 'x').name).toBe('@acme/_kv');
  });

  it('keeps services in a Map, so names like "constructor" are plain data', () => {
    const manifest = parseManifest(
      withTether({ services: { constructor: [1], 'acme.kv-store_2': [1] } }),
      'x',
    );
    expect([...manifest.services.keys()]).toEqual(['constructor', 'acme.kv-store_2']);
  });
});

describe('parseManifest: each invalid field', () => {
  it('rejects a non-object package.json', () => {
    expect(onlyProblem([])).toContain('must contain a JSON object');
    expect(onlyProblem(null)).toContain('must contain a JSON object');
  });

  it.each([
    [undefined, 'name is missing'],
    ['Acme', 'capital letters'],
    ['.hidden', "starts with '.' or '_'"],
    ['_x', "starts with '.' or '_'"],
    ['@acme/x!', 'not a valid scoped name'],
    ['has space', 'characters npm does not allow'],
    ['a/b', 'characters npm does not allow'],
    ['@acme', 'not a valid scoped name'],
    ['@acme/', 'not a valid scoped name'],
    ['fs', 'core module'],
    ['node_modules', 'reserved'],
    ['', 'is empty'],
    ['x'.repeat(215), 'longer than 214'],
    [42, 'is not a string'],
  ])('name %j', (name, fragment) => {
    const json: Record<string, unknown> = { ...valid, name };
    if (name === undefined) delete json['name'];
    const problem = onlyProblem(json);
    expect(problem).toContain(fragment);
  });

  it.each([undefined, '1.2', 'v1.2.0', '1.2.0.0', 1, '01.2.0'])('version %j', (version) => {
    const json: Record<string, unknown> = { ...valid, version };
    if (version === undefined) delete json['version'];
    expect(onlyProblem(json)).toMatch(/^version (is missing|must be a semantic version like "1\.2\.0")/);
  });

  it('a missing tether section says how to add one', () => {
    expect(onlyProblem({ name: 'kv', version: '1.0.0' })).toBe(
      'package.json has no "tether" section; add one like "tether": { "entry": "dist/plugin.js", "services": { "myService": [1] }, "host": "^0.1.0" }',
    );
    expect(onlyProblem({ name: 'kv', version: '1.0.0', tether: [] })).toContain('tether must be an object');
  });

  it('tether.entry: missing or not a string', () => {
    expect(onlyProblem(withTether({ entry: undefined }))).toContain('tether.entry is missing');
    expect(onlyProblem(withTether({ entry: 7 }))).toBe(
      'tether.entry must be a relative path inside the package, like "dist/plugin.js"; got 7',
    );
  });

  it('tether.runner: names the choices and suggests the close one', () => {
    expect(onlyProblem(withTether({ runner: 'nodejs' }))).toBe(
      'tether.runner must be one of "utility", "node", "pty", "executable" (or left out for "node"); got "nodejs"; did you mean "node"?',
    );
    expect(onlyProblem(withTether({ runner: 3 }))).toContain('got 3');
  });

  it('tether.services: missing, empty, bad names, bad versions, duplicates', () => {
    expect(onlyProblem(withTether({ services: undefined }))).toContain('tether.services is missing');
    expect(onlyProblem(withTether({ services: {} }))).toContain('got an object');
    expect(onlyProblem(withTether({ services: [['kv', 1]] }))).toContain('got a list');
    expect(onlyProblem(withTether({ services: { kv: [] } }))).toBe(
      'tether.services.kv must list the protocol versions the extension provides, like [1]; got [] (an empty list)',
    );
    expect(onlyProblem(withTether({ services: { kv: 1 } }))).toContain('tether.services.kv must list');
    expect(onlyProblem(withTether({ services: { kv: [1, '2'] } }))).toBe(
      'tether.services.kv[1] must be a protocol version, a whole number ≥ 1 like 1; got "2"',
    );
    expect(problemsOf(withTether({ services: { kv: [0, 1.5, -1, 2, 2] } }))).toEqual([
      'tether.services.kv[0] must be a protocol version, a whole number ≥ 1 like 1; got 0',
      'tether.services.kv[1] must be a protocol version, a whole number ≥ 1 like 1; got 1.5',
      'tether.services.kv[2] must be a protocol version, a whole number ≥ 1 like 1; got -1',
      'tether.services.kv[4] repeats protocol version 2; list each version once',
    ]);
    expect(onlyProblem(withTether({ services: { 'my kv': [1] } }))).toMatch(
      /^tether\.services\["my kv"\] is not a valid service name/,
    );
  });

  it('tether.services: "__proto__" from JSON is an invalid name, not a prototype change', () => {
    const json = JSON.parse(JSON.stringify(valid).replace('"kv"', '"__proto__"')) as unknown;
    expect(onlyProblem(json)).toMatch(/^tether\.services\.__proto__ is not a valid service name/);
  });

  it('tether.host: missing, not a string, not a range', () => {
    expect(onlyProblem(withTether({ host: undefined }))).toBe(
      'tether.host is missing; say which Tether host versions the extension works with, like "host": "^0.1.0"',
    );
    expect(onlyProblem(withTether({ host: 1 }))).toContain('tether.host must be a semver range');
    expect(onlyProblem(withTether({ host: '  ' }))).toContain('tether.host must be a semver range');
    expect(onlyProblem(withTether({ host: '>=one' }))).toBe(
      'tether.host must be a semver range of Tether host versions, like "host": "^0.1.0" or ">=0.1.0 <2"; got ">=one": "one" is not a version or partial version (like 1.2.3, 1.2, 1.x or *)',
    );
  });

  it('tether.hostApis: not a list, bad names, duplicates', () => {
    expect(onlyProblem(withTether({ hostApis: 'storage' }))).toContain('must be a list of host API names');
    expect(
      problemsOf(withTether({ hostApis: ['Storage', 'ui.notifications', 'a..b', 3, 'storage', 'storage'] })),
    ).toEqual([
      'tether.hostApis[0] must be a host API name (lowercase words joined by dots, like "storage" or "ui.notifications"); got "Storage"',
      'tether.hostApis[2] must be a host API name (lowercase words joined by dots, like "storage" or "ui.notifications"); got "a..b"',
      'tether.hostApis[3] must be a host API name (lowercase words joined by dots, like "storage" or "ui.notifications"); got 3',
      'tether.hostApis[5] repeats "storage"; list each host API once',
    ]);
  });

  it.each(['', '   ', 'a\nb', 'x'.repeat(101), 5])('tether.displayName %j', (displayName) => {
    expect(onlyProblem(withTether({ displayName }))).toMatch(/^tether\.displayName must be a short name/);
  });

  it.each(['abc', 'g'.repeat(64), 'a'.repeat(63), 'a'.repeat(65), 12])('tether.sha256 %j', (sha256) => {
    expect(onlyProblem(withTether({ sha256 }))).toMatch(
      /^tether\.sha256 must be the SHA-256 of the entry file/,
    );
  });

  it('unknown keys are reported, with "did you mean" for typos', () => {
    const fields =
      'the fields are entry, runner, services, host, hostApis, displayName, sha256, handshake, activation, idleTimeoutSeconds, crashLimit, contributes, requires';
    expect(
      problemsOf(
        withTether({ hostAPIs: ['storage'], servces: {}, banana: 1, contributions: {}, idleTimeout: 3 }),
      ),
    ).toEqual([
      `tether.hostAPIs is not a manifest field; did you mean "hostApis"?; ${fields}`,
      `tether.servces is not a manifest field; did you mean "services"?; ${fields}`,
      `tether.banana is not a manifest field; ${fields}`,
      `tether.contributions is not a manifest field; did you mean "contributes"?; ${fields}`,
      `tether.idleTimeout is not a manifest field; did you mean "idleTimeoutSeconds"?; ${fields}`,
    ]);
  });

  it('tether.services: "tether.commands" is reserved for contributed commands', () => {
    expect(onlyProblem(withTether({ services: { kv: [1], 'tether.commands': [1] } }))).toBe(
      'tether.services["tether.commands"] is reserved for the built-in commands service, which a plugin serves by itself when it registers commands; list its commands in tether.contributes.commands instead',
    );
  });
});

describe('parseManifest: several problems at once', () => {
  it('reports every problem in one error, each naming its field', () => {
    let caught: unknown;
    try {
      parseManifest(
        {
          name: 'Bad Name',
          version: '1',
          tether: {
            entry: '../x.js',
            runner: 'electron',
            services: { kv: [0] },
            hostApis: ['X'],
            enrty: 'a.js',
          },
        },
        '/ext/package.json',
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidManifestError);
    const error = caught as InvalidManifestError;
    expect(error.code).toBe('INVALID_MANIFEST');
    expect(error.source).toBe('/ext/package.json');
    expect(error.problems.map((p) => p.split(' ')[0])).toEqual([
      'name',
      'version',
      'tether.enrty',
      'tether.entry',
      'tether.runner',
      'tether.services.kv[0]',
      'tether.host',
      'tether.hostApis[0]',
    ]);
    expect(error.problems).toContain(
      'tether.entry must be a relative path inside the package, like "dist/plugin.js"; got "../x.js" (it leaves the package with "..")',
    );
    expect(error.message).toMatch(
      /^Invalid extension manifest in \/ext\/package\.json \(8 problems\):\n {2}- name /,
    );
    expect(error.message.split('\n')).toHaveLength(9);
  });

  it('a single problem reads as one line', () => {
    const error = (() => {
      try {
        parseManifest(withTether({ runner: 'x' }), 'a/package.json');
      } catch (e) {
        return e as InvalidManifestError;
      }
      throw new Error('no error');
    })();
    expect(error.message).toMatch(
      /^Invalid extension manifest in a\/package\.json: tether\.runner must be one of/,
    );
  });
});

describe('entry paths that escape the package', () => {
  it.each([
    ['../x.js', 'leaves the package'],
    ['dist/../../x.js', 'leaves the package'],
    ['./..', 'leaves the package'],
    ['..', 'leaves the package'],
    ['/etc/passwd', 'absolute path'],
    ['C:\\plugin.js', 'absolute path'],
    ['c:/plugin.js', 'absolute path'],
    ['C:plugin.js', 'absolute path'],
    ['\\\\server\\share\\x.js', 'absolute path'],
    ['\\x.js', 'absolute path'],
    ['dist\\..\\..\\x.js', 'uses "\\"'],
    ['dist/plugin.js\0.png', 'NUL byte'],
    ['', 'is empty'],
    ['  ', 'is empty'],
    ['.', 'does not name a file'],
    ['dist/', 'does not name a file'],
    ['dist//x.js', 'does not name a file'],
  ])('%j is refused (%s)', (entry, reason) => {
    const result = checkEntryPath(entry);
    expect(result).toEqual({ problem: expect.stringContaining(reason) as unknown });
    expect(onlyProblem(withTether({ entry }))).toContain(
      'tether.entry must be a relative path inside the package',
    );
  });

  it.each([
    ['plugin.js', 'plugin.js'],
    ['./dist/plugin.js', 'dist/plugin.js'],
    ['dist/..plugin.js', 'dist/..plugin.js'],
    ['bin/my-plugin', 'bin/my-plugin'],
  ])('%j is accepted as %j', (entry, normalized) => {
    expect(checkEntryPath(entry)).toEqual({ path: normalized });
  });
});

describe('readManifest', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tether-manifest-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads and validates package.json in the folder', async () => {
    await writeFile(path.join(dir, 'package.json'), JSON.stringify(valid));
    const manifest = await readManifest(dir);
    expect(manifest.name).toBe('@acme/kv');
    expect(manifest.source).toBe(path.join(dir, 'package.json'));
  });

  it('names the package.json in validation errors', async () => {
    await writeFile(path.join(dir, 'package.json'), JSON.stringify(withTether({ runner: 'x' })));
    await expect(readManifest(dir)).rejects.toThrow(
      `Invalid extension manifest in ${path.join(dir, 'package.json')}:`,
    );
  });

  it('a folder without package.json', async () => {
    await expect(readManifest(dir)).rejects.toMatchObject({
      code: 'INVALID_MANIFEST',
      message: `Invalid extension manifest in ${dir}: there is no package.json; an extension is an npm package folder whose package.json has a "tether" section`,
    });
  });

  it('a folder that does not exist', async () => {
    await expect(readManifest(path.join(dir, 'nope'))).rejects.toThrow(
      'the folder does not exist; check the extension path',
    );
  });

  it('a file instead of a folder', async () => {
    await writeFile(path.join(dir, 'file.txt'), 'x');
    await expect(readManifest(path.join(dir, 'file.txt'))).rejects.toThrow('this is a file, not a folder');
  });

  it('invalid JSON', async () => {
    await writeFile(path.join(dir, 'package.json'), '{ "name": ');
    await expect(readManifest(dir)).rejects.toThrow(/package\.json is not valid JSON \(.+\); fix its syntax/);
  });

  it('resolves a relative folder against the working directory', async () => {
    await mkdir(path.join(dir, 'ext'));
    await writeFile(path.join(dir, 'ext', 'package.json'), JSON.stringify(valid));
    const manifest = await readManifest(path.relative(process.cwd(), path.join(dir, 'ext')));
    expect(manifest.source).toBe(path.join(dir, 'ext', 'package.json'));
  });
});

describe('tether.handshake', () => {
  const base = { name: 'x', version: '1.0.0' };
  const tether = { entry: 'a.js', services: { s: [1] }, host: '>=0.1.0' };
  it('is the app cookie as { cookieKey, cookieValue }', () => {
    const manifest = parseManifest(
      { ...base, tether: { ...tether, handshake: { cookieKey: 'APP_PLUGIN', cookieValue: 'v' } } },
      'test',
    );
    expect(manifest.handshake).toEqual({ cookieKey: 'APP_PLUGIN', cookieValue: 'v' });
  });
  it('names the field and the expected shape when it is wrong', () => {
    for (const handshake of [
      { cookieKey: 'APP' },
      { cookieKey: 'bad key', cookieValue: 'v' },
      'cookie',
      { cookieKey: 'A', cookieValue: '', x: 1 },
    ]) {
      expect(() => parseManifest({ ...base, tether: { ...tether, handshake } }, 'test')).toThrow(
        /tether\.handshake must be/,
      );
    }
  });
});
