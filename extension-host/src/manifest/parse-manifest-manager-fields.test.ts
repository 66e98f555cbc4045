// The manifest fields the extension manager reads: activation, idle timeout, crash limit, commands, requires.
import { describe, expect, it } from 'vitest';
import { parseManifest } from './parse-manifest.js';
import { onlyProblem, problemsOf, withTether } from './test-fixtures/manifest-samples.js';

describe('tether.requires', () => {
  const withRequires = (requires: unknown) => ({
    name: 'x',
    version: '1.0.0',
    tether: { entry: 'p.js', services: { s: [1] }, host: '>=0.1.0', requires },
  });

  it('reads service → range', () => {
    expect(parseManifest(withRequires({ kv: '^2', 'ui.notify': '>=1 <3' }), 'p').requires).toEqual(
      new Map([
        ['kv', '^2'],
        ['ui.notify', '>=1 <3'],
      ]),
    );
  });

  it('reports a bad service name, a range that is not a string or does not parse', () => {
    expect(() => parseManifest(withRequires({ '1kv': '^1', kv: 2, db: '^^' }), 'p')).toThrow(
      /tether\.requires\["?1kv"?\]?.* is not a valid service name[\s\S]*must be a semver range[\s\S]*not a valid semver range/,
    );
    expect(() => parseManifest(withRequires(['kv']), 'p')).toThrow(/tether\.requires must map each service/);
  });
});

describe('tether.activation, idleTimeoutSeconds, crashLimit', () => {
  it.each(['startup', 'onDemand'])('accepts activation %j', (activation) => {
    expect(parseManifest(withTether({ activation, idleTimeoutSeconds: undefined }), 'x').activation).toBe(
      activation,
    );
  });

  it('activation: names the choices and suggests the close one', () => {
    expect(onlyProblem(withTether({ activation: 'ondemand' }))).toBe(
      'tether.activation must be "startup" (started with the app) or "onDemand" (started at first use; the default when left out); got "ondemand"; did you mean "onDemand"?',
    );
    expect(onlyProblem(withTether({ activation: 'eager', idleTimeoutSeconds: undefined }))).toMatch(
      /got "eager"$/,
    );
    expect(onlyProblem(withTether({ activation: true }))).toMatch(/^tether\.activation must be .* got true$/);
  });

  it('idleTimeoutSeconds: seconds, fractions allowed, kept in ms', () => {
    expect(parseManifest(withTether({ idleTimeoutSeconds: 0.3 }), 'x').idleTimeoutMs).toBe(300);
    expect(parseManifest(withTether({ idleTimeoutSeconds: 0.0001 }), 'x').idleTimeoutMs).toBe(1);
    expect(parseManifest(withTether({ idleTimeoutSeconds: 2_147_483 }), 'x').idleTimeoutMs).toBe(
      2_147_483_000,
    );
  });

  it.each([0, -5, '300', null, Infinity, Number.NaN, 2_147_484, [300]])(
    'idleTimeoutSeconds %j is refused',
    (idleTimeoutSeconds) => {
      expect(onlyProblem(withTether({ idleTimeoutSeconds }))).toMatch(
        /^tether\.idleTimeoutSeconds must be a number of seconds > 0 \(at most 2147483\), like 300, after which an unused extension is stopped; got /,
      );
    },
  );

  it('idleTimeoutSeconds with "activation": "startup" is a contradiction', () => {
    expect(onlyProblem(withTether({ activation: 'startup', idleTimeoutSeconds: 60 }))).toBe(
      'tether.idleTimeoutSeconds applies only to "activation": "onDemand" extensions (a "startup" one is kept running); remove it, or set "activation": "onDemand"',
    );
  });

  it('crashLimit: count and windowSeconds, the window kept in ms', () => {
    expect(parseManifest(withTether({ crashLimit: { count: 1, windowSeconds: 1 } }), 'x').crashLimit).toEqual(
      { count: 1, windowMs: 1000 },
    );
  });

  it('crashLimit: not an object, unknown keys, bad numbers', () => {
    expect(onlyProblem(withTether({ crashLimit: 3 }))).toBe(
      `tether.crashLimit must be an object like { "count": 3, "windowSeconds": 300 } (restarted after up to 3 crashes in 300 s; one more marks it failed), or left out for the host's default; got 3`,
    );
    expect(problemsOf(withTether({ crashLimit: { cuont: 3, windowSecs: 60 } }))).toEqual([
      'tether.crashLimit.cuont is not a crashLimit field; did you mean "count"?; the fields are count, windowSeconds, like { "count": 3, "windowSeconds": 300 }',
      'tether.crashLimit.windowSecs is not a crashLimit field; did you mean "windowSeconds"?; the fields are count, windowSeconds, like { "count": 3, "windowSeconds": 300 }',
      'tether.crashLimit.count must be a whole number ≥ 1, the crashes tolerated within windowSeconds, like 3; got nothing',
      'tether.crashLimit.windowSeconds must be a whole number of seconds ≥ 1 (at most 2147483), like 300; got nothing',
    ]);
    for (const count of [0, 1.5, -1, '3']) {
      expect(onlyProblem(withTether({ crashLimit: { count, windowSeconds: 60 } }))).toMatch(
        /^tether\.crashLimit\.count must be a whole number ≥ 1/,
      );
    }
    for (const windowSeconds of [0, 0.5, 2_147_484, '60']) {
      expect(onlyProblem(withTether({ crashLimit: { count: 3, windowSeconds } }))).toMatch(
        /^tether\.crashLimit\.windowSeconds must be a whole number of seconds ≥ 1/,
      );
    }
  });
});

describe('tether.contributes.commands', () => {
  const commandsOf = (commands: unknown): unknown => withTether({ contributes: { commands } });

  it('keeps the manifest order, trims titles and argument descriptions', () => {
    const manifest = parseManifest(
      commandsOf([
        { id: 'b.second', title: '  Second ' },
        { id: 'A-1_x.y', title: 'First', arguments: ' <n>: how many ' },
      ]),
      'x',
    );
    expect(manifest.commands).toEqual([
      { id: 'b.second', title: 'Second' },
      { id: 'A-1_x.y', title: 'First', arguments: '<n>: how many' },
    ]);
    expect(manifest.commands[0]).not.toHaveProperty('arguments');
  });

  it('an empty contributes or commands list contributes nothing', () => {
    expect(parseManifest(withTether({ contributes: {} }), 'x').commands).toEqual([]);
    expect(parseManifest(commandsOf([]), 'x').commands).toEqual([]);
  });

  it('contributes: not an object, unknown keys with "did you mean"', () => {
    expect(onlyProblem(withTether({ contributes: [] }))).toBe(
      'tether.contributes must be an object like { "commands": [{ "id": "kv.clear", "title": "Clear the store" }] }, or left out; got [] (an empty list)',
    );
    expect(problemsOf(withTether({ contributes: { command: [], menus: [] } }))).toEqual([
      'tether.contributes.command is not something an extension can contribute; did you mean "commands"?; the fields are commands',
      'tether.contributes.menus is not something an extension can contribute; the fields are commands',
    ]);
  });

  it('commands: not a list, an entry not an object', () => {
    expect(onlyProblem(commandsOf({ 'kv.clear': 'Clear' }))).toBe(
      'tether.contributes.commands must be a list of commands like [{ "id": "kv.clear", "title": "Clear the store" }]; got an object',
    );
    expect(onlyProblem(commandsOf(['kv.clear']))).toBe(
      'tether.contributes.commands[0] must be an object like { "id": "kv.clear", "title": "Clear the store" }; got "kv.clear"',
    );
  });

  it('a command: unknown keys with "did you mean", missing id and title', () => {
    expect(problemsOf(commandsOf([{ tittle: 'Clear', argument: 'x', when: 'always' }]))).toEqual([
      'tether.contributes.commands[0].tittle is not a command field; did you mean "title"?; the fields are id, title, arguments',
      'tether.contributes.commands[0].argument is not a command field; did you mean "arguments"?; the fields are id, title, arguments',
      'tether.contributes.commands[0].when is not a command field; the fields are id, title, arguments',
      'tether.contributes.commands[0].id is missing; give the command an id like "kv.clear", the key of its handler in serve({ commands })',
      'tether.contributes.commands[0].title is missing; give the command the title people see, like "Clear the store"',
    ]);
  });

  it.each(['', '1kv', '.kv', 'kv clear', 'kv/clear', 'kv:clear', 'k'.repeat(129), 42])(
    'command id %j is refused',
    (id) => {
      expect(onlyProblem(commandsOf([{ id, title: 'T' }]))).toBe(
        `tether.contributes.commands[0].id must be a command id: letters, digits, '.', '_' or '-', starting with a letter (at most 128 characters), like "kv.clear"; got ${typeof id === 'string' ? JSON.stringify(id.length > 80 ? `${id.slice(0, 77)}...` : id) : String(id)}`,
      );
    },
  );

  it('command ids are unique within the manifest', () => {
    expect(
      problemsOf(
        commandsOf([
          { id: 'kv.clear', title: 'Clear' },
          { id: 'kv.dump', title: 'Dump' },
          { id: 'kv.clear', title: 'Clear again' },
        ]),
      ),
    ).toEqual([
      'tether.contributes.commands[2].id repeats "kv.clear" (tether.contributes.commands[0] has it); give each command its own id',
    ]);
  });

  it.each(['', '   ', 'two\nlines', 'x'.repeat(101), 7])('title %j is refused', (title) => {
    expect(onlyProblem(commandsOf([{ id: 'kv.clear', title }]))).toMatch(
      /^tether\.contributes\.commands\[0\]\.title must be the title people see \(1–100 characters, one line\), like "Clear the store"; got /,
    );
  });

  it.each(['', 'a\tb', 'x'.repeat(501), ['<n>'], null])('arguments %j is refused', (args) => {
    expect(onlyProblem(commandsOf([{ id: 'kv.clear', title: 'Clear', arguments: args }]))).toMatch(
      /^tether\.contributes\.commands\[0\]\.arguments must be a description of the command's arguments for people \(1–500 characters, one line\), like "<prefix>: only the keys that start with it", or left out; got /,
    );
  });

  it('every faulty command is reported, each under its index', () => {
    expect(
      problemsOf(commandsOf([{ id: 'ok', title: 'Fine' }, { id: 'bad id', title: '' }, 'x'])).map(
        (problem) => problem.split(' ')[0],
      ),
    ).toEqual([
      'tether.contributes.commands[1].id',
      'tether.contributes.commands[1].title',
      'tether.contributes.commands[2]',
    ]);
  });
});
