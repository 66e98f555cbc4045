// Test plugin for output floods (output-flood.process.test.ts): writes short stdout/stderr lines as fast as
// it can and reports how often, and how long, the host held it back.
import { once } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { implement, serve } from '@tether/sdk';
import { outputFlood, outputFloodHandshake, type FloodReport } from './output-flood-contract.js';

/** Writing runs in slices this long, then the event loop turns. */
const SLICE_MS = 5;
/** Lines written between two looks at the clock. */
const LINES_PER_CHECK = 32;

async function flood(durationMs: number): Promise<FloodReport> {
  const started = performance.now();
  const end = started + durationMs;
  let stdoutLines = 0;
  let stderrLines = 0;
  let longestWriteMs = 0;
  let drainWaits = 0;
  let longestDrainWaitMs = 0;
  let maxBacklogBytes = 0;
  let longestTurnMs = 0;
  let now = started;
  while (now < end) {
    const turnStarted = now;
    const sliceEnd = Math.min(end, now + SLICE_MS);
    let full: NodeJS.WriteStream | undefined;
    while (full === undefined && now < sliceEnd) {
      for (let k = 0; k < LINES_PER_CHECK; k++) {
        const n = stdoutLines + stderrLines;
        const onStdout = n % 2 === 0;
        const stream = onStdout ? process.stdout : process.stderr;
        // Short lines; every 16th has a level prefix, so both parser paths run.
        const line = n % 16 === 0 ? `[WARN] flood ${n} slow disk\n` : `flood line ${n} on a stream\n`;
        const before = performance.now();
        const accepted = stream.write(line);
        const took = performance.now() - before;
        if (took > longestWriteMs) longestWriteMs = took;
        if (onStdout) stdoutLines++;
        else stderrLines++;
        if (!accepted) {
          full = stream;
          break;
        }
      }
      now = performance.now();
    }
    const backlog = process.stdout.writableLength + process.stderr.writableLength;
    if (backlog > maxBacklogBytes) maxBacklogBytes = backlog;
    const turn = performance.now() - turnStarted;
    if (turn > longestTurnMs) longestTurnMs = turn;
    if (full !== undefined) {
      drainWaits++;
      const waitStarted = performance.now();
      await once(full, 'drain');
      const waited = performance.now() - waitStarted;
      if (waited > longestDrainWaitMs) longestDrainWaitMs = waited;
    } else {
      await nextTurn();
    }
    now = performance.now();
  }
  return {
    lines: stdoutLines + stderrLines,
    stdoutLines,
    stderrLines,
    elapsedMs: performance.now() - started,
    longestWriteMs,
    drainWaits,
    longestDrainWaitMs,
    maxBacklogBytes,
    longestTurnMs,
  };
}

await serve({ handshake: outputFloodHandshake, services: [implement(outputFlood, { flood })] });
