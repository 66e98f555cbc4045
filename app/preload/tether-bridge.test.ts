// The preload's part that is not an Electron call: what `window.tether` holds and how a port is forwarded.
import { describe, expect, it } from 'vitest';
import {
  PORT_MESSAGE,
  REQUEST_PORT_CHANNEL,
  VERSION_ARGUMENT,
  appVersionFromArgv,
  createTetherBridge,
  forwardPort,
} from './tether-bridge.js';

describe('the preload’s bridge', () => {
  it('holds the version and the port request, nothing more, and cannot be changed by the page', () => {
    const sent: string[] = [];
    const bridge = createTetherBridge('1.2.3', (channel) => sent.push(channel));
    expect(Object.keys(bridge).sort()).toEqual(['requestPort', 'version']);
    bridge.requestPort();
    expect(sent).toEqual([REQUEST_PORT_CHANNEL]);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('reads the version the main process put on the renderer’s command line', () => {
    expect(appVersionFromArgv(['/electron', '--type=renderer', `${VERSION_ARGUMENT}0.1.0`])).toBe('0.1.0');
    expect(appVersionFromArgv(['/electron'])).toBe('unknown');
    expect(appVersionFromArgv([`${VERSION_ARGUMENT}<script>`])).toBe('unknown');
  });

  it('forwards exactly one port to the page’s main world, as Electron’s guide does', () => {
    const posted: unknown[][] = [];
    const target = { postMessage: (...args: unknown[]) => posted.push(args) };
    forwardPort(target, ['port']);
    expect(posted).toEqual([[PORT_MESSAGE, '*', ['port']]]);
    forwardPort(target, []);
    forwardPort(target, ['a', 'b']);
    expect(posted).toHaveLength(1);
  });
});
