// Bundled for the browser by browser-bundle.test.ts and run where Node's globals are gone: a loopback call with
// a callback and a stream, through '@tether/sdk/common' only.
import { createLoopbackPeers, defineService, proxy } from '@tether/sdk/common';

interface Echo {
  shout(text: string, onDone: (length: number) => Promise<void>): Promise<string>;
  count(to: number): AsyncIterable<number>;
}

const echo = defineService<Echo>()('test.browser-echo', { methods: { shout: {}, count: {} } });

export interface ScenarioResult {
  /** `typeof` of Node's globals where the scenario ran: all 'undefined'. */
  readonly nodeGlobals: Record<string, string>;
  readonly shouted: string;
  readonly lengths: number[];
  readonly counted: number[];
}

export async function runScenario(): Promise<ScenarioResult> {
  const nodeGlobals: Record<string, string> = {};
  for (const name of ['process', 'Buffer', 'setImmediate', 'require'])
    nodeGlobals[name] = typeof (globalThis as Record<string, unknown>)[name];
  const { host, plugin, dispose } = createLoopbackPeers();
  try {
    plugin.expose(echo, {
      async shout(text, onDone) {
        await onDone(text.length);
        return text.toUpperCase();
      },
      async *count(to) {
        for (let i = 1; i <= to; i++) yield await Promise.resolve(i);
      },
    });
    const remote = host.remote(echo);
    const lengths: number[] = [];
    const shouted = await remote.shout(
      'hello',
      proxy((length: number) => {
        lengths.push(length);
      }),
    );
    const counted: number[] = [];
    for await (const item of await remote.count(3)) counted.push(item);
    return { nodeGlobals, shouted, lengths, counted };
  } finally {
    dispose();
  }
}
