// Issue 15, end to end: the real `tether` command (bin/tether.js) in its own process calling the real plugin
// of test-fixtures/call-fixture-plugin.ts — streamed results drained and printed as they arrive (NDJSON with
// --json), errors with their name and code, arguments in the tagged JSON form and fed back from --json.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { writeCallFixtureExtension } from './test-fixtures/call-fixture-extension.js';

const bin = fileURLToPath(new URL('../../bin/tether.js', import.meta.url));
/** Node + tsx twice (CLI and plugin): generous for a loaded 2-core machine. */
const TEST_TIMEOUT_MS = 60_000;

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let dir = '';
let logDir = '';
let env: Record<string, string | undefined> = {};
beforeAll(async () => {
  dir = await writeCallFixtureExtension();
  logDir = await mkdtemp(path.join(tmpdir(), 'tether-issue-15-logs-'));
  env = { ...process.env, TETHER_LOG_DIR: logDir };
});
afterAll(async () => {
  await Promise.all([dir, logDir].map((folder) => rm(folder, { recursive: true, force: true })));
});

/** Runs `tether <args>` to its end; rejects only when it could not run or did not end in time. */
function tether(args: readonly string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env, timeout: TEST_TIMEOUT_MS - 5_000 },
      (error, stdout, stderr) => {
        if (error === null) resolve({ code: 0, stdout, stderr });
        else if (typeof error.code === 'number') resolve({ code: error.code, stdout, stderr });
        else
          reject(new Error(`tether ${args.join(' ')} did not run to its end: ${error.message}\n${stderr}`));
      },
    );
  });
}

function lines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

describe('issue 15: tether run --call prints a streamed result as it arrives', () => {
  it(
    'each item on its own line: inspected, or NDJSON in the tagged form with --json',
    async () => {
      const text = await tether(['run', dir, '--call', 'fixture.count', '3']);
      expect({ code: text.code, stdout: text.stdout }).toEqual({
        code: 0,
        stdout:
          '{ i: 1, at: 2024-05-01T00:00:00.000Z }\n{ i: 2, at: 2024-05-02T00:00:00.000Z }\n' +
          '{ i: 3, at: 2024-05-03T00:00:00.000Z }\n',
      });
      const json = await tether(['run', dir, '--json', '--call', 'fixture.count', '2']);
      expect(json.code).toBe(0);
      expect(json.stdout).toBe(
        '{"i":1,"at":{"$date":"2024-05-01T00:00:00.000Z"}}\n{"i":2,"at":{"$date":"2024-05-02T00:00:00.000Z"}}\n',
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'the first item is printed while the stream is still open',
    async () => {
      const gate = path.join(dir, 'gate');
      const child = spawn(
        process.execPath,
        [bin, 'run', dir, '--json', '--call', 'fixture.count', '2', gate],
        {
          env,
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
      child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
      const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
      try {
        await waitFor(() => stdout.includes('\n'), {
          what: () => `the first item; stdout:\n${stdout}\nstderr:\n${stderr}`,
          timeoutMs: TEST_TIMEOUT_MS - 10_000,
        });
        // The plugin waits for the gate before its second item: only the first can have been printed.
        expect(lines(stdout)).toEqual([{ i: 1, at: { $date: '2024-05-01T00:00:00.000Z' } }]);
        await writeFile(gate, '');
        expect(await exited).toBe(0);
        expect(lines(stdout)).toHaveLength(2);
      } finally {
        child.kill('SIGKILL');
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a stream that fails: its items, then the error with name and code; exit 1',
    async () => {
      const ran = await tether(['run', dir, '--json', '--call', 'fixture.countThenFail', '2']);
      expect(ran.code).toBe(1);
      expect(lines(ran.stdout)).toHaveLength(2);
      expect(ran.stderr.trimEnd().split('\n').at(-1)).toBe(
        '{"name":"QuotaError","code":"QUOTA_EXCEEDED","message":"no more than 2 items","limit":{"$bigint":"10"},"call":"fixture.countThenFail"}',
      );
    },
    TEST_TIMEOUT_MS,
  );
});

describe('issue 15: a failed --call keeps the error’s name and code', () => {
  it(
    'Name [CODE]: message; with --json an object on stderr, stdout empty',
    async () => {
      const text = await tether(['run', dir, '--call', 'fixture.fail']);
      expect({ code: text.code, stdout: text.stdout }).toEqual({ code: 1, stdout: '' });
      expect(text.stderr).toContain(
        'tether: fixture.fail failed: QuotaError [QUOTA_EXCEEDED]: the quota of 10 is used up; wait for tomorrow\n',
      );
      const json = await tether(['run', dir, '--json', '--call', 'fixture.fail']);
      expect({ code: json.code, stdout: json.stdout }).toEqual({ code: 1, stdout: '' });
      expect(JSON.parse(json.stderr.trimEnd().split('\n').at(-1)!)).toEqual({
        name: 'QuotaError',
        code: 'QUOTA_EXCEEDED',
        message: 'the quota of 10 is used up; wait for tomorrow',
        limit: { $bigint: '10' },
        call: 'fixture.fail',
      });
    },
    TEST_TIMEOUT_MS,
  );
});

describe('issue 15: --call arguments in the tagged JSON form', () => {
  it(
    'Map, Set, Date, bytes and BigInt arrive as themselves; what --json prints can be fed back',
    async () => {
      const args = [
        '{"$map": [["a", {"$date": "2024-05-01T10:00:00Z"}]]}',
        '{"$set": [1, 2]}',
        '{"$date": "2024-05-01T10:00:00Z"}',
        '{"$bytes": "aGk="}',
        '{"$bigint": "-9007199254740993"}',
        '{"$object": {"$ref": "as is"}}',
        'plain',
      ];
      const first = await tether(['run', dir, '--json', '--call', 'fixture.types', ...args]);
      expect(first.code).toBe(0);
      const printed = JSON.parse(first.stdout) as { types: string[]; values: unknown[] };
      expect(printed).toEqual({
        types: ['Map', 'Set', 'Date', 'Uint8Array', 'bigint', 'Object', 'string'],
        values: [
          { $map: [['a', { $date: '2024-05-01T10:00:00.000Z' }]] },
          { $set: [1, 2] },
          { $date: '2024-05-01T10:00:00.000Z' },
          { $bytes: 'aGk=' },
          { $bigint: '-9007199254740993' },
          { $object: { $ref: 'as is' } },
          'plain',
        ],
      });
      const fedBack = printed.values.map((value) => JSON.stringify(value));
      const second = await tether(['run', dir, '--json', '--call', 'fixture.types', ...fedBack]);
      expect({ code: second.code, stdout: second.stdout }).toEqual({ code: 0, stdout: first.stdout });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a malformed tag is a usage error naming the argument (exit 2, nothing started)',
    async () => {
      const ran = await tether(['run', dir, '--call', 'fixture.types', '1', '{"$date": "someday"}']);
      expect(ran).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'tether: argument 2 of --call fixture.types: "$date" needs a date in ISO 8601, like {"$date": "2024-05-01T10:00:00Z"}; got "someday"\n' +
          'Run "tether run --help" for usage.\n',
      });
    },
    TEST_TIMEOUT_MS,
  );
});

describe('issue 15: tether help', () => {
  it(
    'tether help <command> prints its help on stdout and exits 0',
    async () => {
      const ran = await tether(['help', 'run']);
      expect({ code: ran.code, stderr: ran.stderr }).toEqual({ code: 0, stderr: '' });
      expect(ran.stdout).toMatch(/^Usage: tether run <extension-dir>/);
      expect(ran.stdout).toContain('{"$map": [["key", 1], ...]}');
    },
    TEST_TIMEOUT_MS,
  );
});
