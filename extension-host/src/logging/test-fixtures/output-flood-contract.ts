// Contract and cookie shared by the output flood test and its fixture plugin (output-flood-plugin.ts).
import { defineService } from '@tether/sdk';

/** What the plugin saw of its own flood. */
export interface FloodReport {
  /** Lines written, both streams. */
  readonly lines: number;
  readonly stdoutLines: number;
  readonly stderrLines: number;
  readonly elapsedMs: number;
  /** The longest single `write()` call (a stream that blocks shows here). */
  readonly longestWriteMs: number;
  /** Times a `write()` returned false and the plugin waited for 'drain' before writing on. */
  readonly drainWaits: number;
  /** The longest of those waits: how long the host held the plugin back at worst. */
  readonly longestDrainWaitMs: number;
  /** The most bytes the plugin's stdout and stderr held, not yet taken by the host. */
  readonly maxBacklogBytes: number;
  /** The longest turn of the plugin's event loop while it wrote (a ping waits this long at worst). */
  readonly longestTurnMs: number;
}

export interface OutputFlood {
  /**
   * Writes short lines alternately to stdout and stderr, one `write()` per line, as fast as it can for
   * `durationMs`. It honours backpressure as a well-behaved writer does: when `write()` returns false it waits
   * for 'drain'. Every few ms it lets its event loop turn, so calls (pings) are answered meanwhile.
   */
  flood(durationMs: number): Promise<FloodReport>;
}

export const outputFlood = defineService<OutputFlood>()('outputflood', { methods: { flood: {} } });

export const outputFloodHandshake = { cookieKey: 'TETHER_FLOOD_FIXTURE', cookieValue: 'output-flood-1' };
