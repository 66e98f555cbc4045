// Issue 10.6: a plugin writing short stdout/stderr lines as fast as it can for 5 s, through the real paths:
// the runner's line splitter and stderr tail, the output mirror (to a real pipe, as the default mirror writes
// to the host's stderr), the log intake's line parser and the LogStore. Measured in the host: event-loop lag
// p99 and RSS growth; in the plugin: how long the host ever held it back. The figures are printed; the
// assertions are generous bounds only (a loaded 2-core machine is slow), not the targets.
//   TETHER_FLOOD_SINK=file|electron   also write every record to a log file (FileLogSink / ElectronLogSink)
//   TETHER_FLOOD_MIRROR=none          no output mirror
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { PluginClient } from '../client/plugin-client.js';
import type { OutputWriter } from '../process/output-mirror.js';
import { NodeRunner } from '../runner/node-runner.js';
import { FIXTURE_START_TIMEOUT_MS, TSX_LOADER } from '../runner/test-fixtures/fixture-paths.js';
import { ElectronLogSink } from './electron-log-sink.js';
import { FileLogSink } from './file-log-sink.js';
import { LogStore } from './log-store.js';
import { outputFlood, outputFloodHandshake } from './test-fixtures/output-flood-contract.js';

const entry = fileURLToPath(new URL('./test-fixtures/output-flood-plugin.ts', import.meta.url));
const FLOOD_MS = 5000;
/**
 * Bounds, not the targets (event-loop lag p99 under 50 ms, RSS growth under 64 MB, the plugin never held
 * back), which the printed figures show on a quiet machine. Generous on purpose: other processes share the 2
 * cores, and at a load of 10 a whole run has shown a p99 of 1.1 s with a plugin whose own loop stalled as long.
 * A host that handles a flood in long synchronous stretches, or holds the plugin for good, still fails.
 * The machine's idle lag, measured while the plugin starts, is added to the lag bound.
 */
const LAG_P99_BOUND_MS = 1000;
const RSS_GROWTH_BOUND_MB = 192;
/** The longest the plugin may wait for the host to take its output (a 'drain'). */
const PLUGIN_STALL_BOUND_MS = 2000;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real pipe with a fast reader at the other end, like a host whose stderr goes to a terminal or a log. */
function pipeToDevNull(): OutputWriter {
  const cat = spawn('cat', [], { stdio: ['pipe', 'ignore', 'ignore'] });
  cleanups.push(() => cat.kill());
  return cat.stdin;
}

/** The LogStore, with a log file sink when TETHER_FLOOD_SINK asks for one, and a count of the lines it took. */
async function floodStore(): Promise<{ store: LogStore; sink: string; lines(): number }> {
  const store = new LogStore();
  cleanups.push(() => store.dispose());
  const sink = process.env['TETHER_FLOOD_SINK'] ?? 'none';
  if (sink === 'file' || sink === 'electron') {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tether-flood-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const fileSink = sink === 'file' ? new FileLogSink({ dir }) : new ElectronLogSink({ dir });
    cleanups.push(() => fileSink.dispose());
    store.addSink(fileSink);
  }
  let lines = 0;
  store.addSink({
    write(record) {
      if (record.scope === 'stdout' || record.scope === 'stderr') lines++;
    },
  });
  return { store, sink, lines: () => lines };
}

describe('issue 10.6: output floods', () => {
  it('a plugin flooding stdout and stderr for 5 s keeps the host responsive and is not held back', async () => {
    const { store, sink, lines } = await floodStore();
    const mirror = process.env['TETHER_FLOOD_MIRROR'] === 'none' ? null : pipeToDevNull();
    // The machine's own noise (other processes share its 2 cores), measured while the host mostly waits.
    const idleLag = monitorEventLoopDelay({ resolution: 10 });
    idleLag.enable();
    const client = await PluginClient.start({
      spec: {
        name: 'output-flood',
        entry,
        nodeArgs: ['--conditions=tether-source', '--import', TSX_LOADER],
      },
      handshake: outputFloodHandshake,
      runner: new NodeRunner({ output: mirror }),
      logStore: store,
      startTimeoutMs: FIXTURE_START_TIMEOUT_MS,
    });
    idleLag.disable();
    cleanups.push(() => client.stop());

    const rssBefore = process.memoryUsage.rss();
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    }, 20);
    cleanups.push(() => clearInterval(sampler));
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    // The plugin's event loop turns during the flood: pings are answered meanwhile.
    let flooding = true;
    let longestPingMs = 0;
    const pinging = (async () => {
      while (flooding) {
        longestPingMs = Math.max(longestPingMs, await client.ping());
        // not a wait: paces the pings through the flood; only the longest one is looked at.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const report = await client.dispense(outputFlood).flood(FLOOD_MS);
    flooding = false;
    await pinging;
    await waitFor(() => lines() >= report.lines, {
      what: () => `all ${report.lines} lines in the log store (${lines()} so far)`,
      timeoutMs: 15_000,
      intervalMs: 10,
    });
    const caughtUpMs = performance.now() - started - report.elapsedMs;
    const cpu = process.cpuUsage(cpuBefore);
    lag.disable();
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());

    const figures = {
      linesPerSecond: Math.round(report.lines / (report.elapsedMs / 1000)),
      lines: report.lines,
      hostLagP99Ms: round(lag.percentile(99) / 1e6),
      hostLagMaxMs: round(lag.max / 1e6),
      idleLagP99Ms: round(idleLag.percentile(99) / 1e6),
      hostRssGrowthMB: round((rssPeak - rssBefore) / 2 ** 20),
      hostCaughtUpAfterMs: Math.round(caughtUpMs),
      hostCpuUsPerLine: round((cpu.user + cpu.system) / report.lines, 2),
      pluginLongestWriteMs: round(report.longestWriteMs, 2),
      pluginDrainWaits: report.drainWaits,
      pluginLongestDrainWaitMs: round(report.longestDrainWaitMs),
      pluginMaxBacklogKB: Math.round(report.maxBacklogBytes / 1024),
      pluginLongestTurnMs: round(report.longestTurnMs),
      longestPingMs: round(longestPingMs),
      mirror: mirror === null ? 'off' : 'pipe',
      sink,
    };
    console.log(`output flood figures: ${JSON.stringify(figures)}`);

    expect(report.stdoutLines).toBeGreaterThan(1000);
    expect(report.stderrLines).toBeGreaterThan(1000);
    expect(figures.hostLagP99Ms).toBeLessThan(LAG_P99_BOUND_MS + figures.idleLagP99Ms);
    expect(figures.hostRssGrowthMB).toBeLessThan(RSS_GROWTH_BOUND_MB);
    // The plugin's write() itself never blocks (its stdout and stderr are non-blocking sockets; a long one is
    // the plugin not being scheduled), so what the host controls is how long the plugin waits for a drain.
    expect(report.longestDrainWaitMs).toBeLessThan(PLUGIN_STALL_BOUND_MS);
    expect(client.state).toBe('running');
  }, 40_000);
});

function round(value: number, digits = 1): number {
  return Number(value.toFixed(digits));
}
