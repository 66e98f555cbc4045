// `@tether/sdk/common` runs in a browser: the UI (app/renderer) bundles it with the manager's contract.
// esbuild bundles both for the browser, as the UI's bundler would: the build fails on a Node module, and the
// metafile must name none. Then the bundle runs a real call (test-fixtures/browser-scenario.ts) in a worker
// stripped of what a browser page lacks: no process, Buffer, setImmediate or require, timers that return
// numbers (no unref()).
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from './test-fixtures/browser-scenario.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

const entry = `
import * as common from '@tether/sdk/common';
import { managerApi } from '@tether/extension-host/manager-api';
import { runScenario } from './sdk/src/test-fixtures/browser-scenario.ts';
globalThis.bundled = { exports: Object.keys(common), managerApiName: managerApi.name, runScenario };
`;

/** Runs in the worker: takes Node's globals away, evaluates the bundle in the global scope, runs the scenario. */
const workerScript = `
const { parentPort, workerData } = require('node:worker_threads');
const { setTimeout: nodeSetTimeout, setInterval: nodeSetInterval } = globalThis;
globalThis.setTimeout = (callback, ms, ...args) => Number(nodeSetTimeout(callback, ms, ...args));
globalThis.setInterval = (callback, ms, ...args) => Number(nodeSetInterval(callback, ms, ...args));
for (const name of ['process', 'Buffer', 'setImmediate', 'clearImmediate', 'global', 'require']) delete globalThis[name];
(0, eval)(workerData.code);
const { exports, managerApiName, runScenario } = globalThis.bundled;
runScenario().then(
  (result) => parentPort.postMessage({ exports, managerApiName, result }),
  (error) => parentPort.postMessage({ error: String(error && error.stack || error) }),
);
`;

const builtins = new Set(builtinModules);
const isNodeModule = (path: string): boolean =>
  path.startsWith('node:') || builtins.has(path) || builtins.has(path.split('/')[0]!);

let code: string;
let metafile: Metafile;

beforeAll(async () => {
  const result = await build({
    stdin: { contents: entry, resolveDir: root, sourcefile: 'browser-entry.js' },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    write: false,
    metafile: true,
    conditions: ['tether-source'],
    logLevel: 'silent',
  });
  code = result.outputFiles[0]!.text;
  metafile = result.metafile;
});

interface WorkerAnswer {
  readonly exports?: string[];
  readonly managerApiName?: string;
  readonly result?: ScenarioResult;
  readonly error?: string;
}

function runInStrippedWorker(bundle: string): Promise<WorkerAnswer> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerScript, { eval: true, workerData: { code: bundle } });
    worker.once('message', (answer: WorkerAnswer) => {
      resolve(answer);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (exitCode) => reject(new Error(`the worker exited (${exitCode}) without answering`)));
  });
}

describe('@tether/sdk/common in a browser', () => {
  it('bundles for the browser with no Node module in it', () => {
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain('sdk/src/common.ts');
    expect(inputs).toContain('extension-host/src/manager/manager-api.ts');
    const nodeOnly = inputs.filter((path) => isNodeModule(path) || /(^|\/)node\//.test(path));
    const nodeImports = Object.entries(metafile.inputs).flatMap(([from, input]) =>
      input.imports
        .filter((imported) => isNodeModule(imported.path))
        .map((imported) => `${from} → ${imported.path}`),
    );
    expect(nodeOnly).toEqual([]);
    expect(nodeImports).toEqual([]);
  });

  it('loads and makes a call with a callback and a stream where Node globals are gone', async () => {
    const answer = await runInStrippedWorker(code);
    expect(answer.error).toBeUndefined();
    expect(answer.managerApiName).toBe('tether.manager');
    expect(answer.exports).toEqual(expect.arrayContaining(['RpcPeer', 'connectRpc', 'defineService']));
    expect(answer.result).toEqual({
      nodeGlobals: {
        process: 'undefined',
        Buffer: 'undefined',
        setImmediate: 'undefined',
        require: 'undefined',
      },
      shouted: 'HELLO',
      lengths: [5],
      counted: [1, 2, 3],
    });
  });
});
