import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CHANNEL_WINDOW,
  DEFAULT_MAX_CHANNELS,
  DEFAULT_MAX_FRAME_SIZE,
  DEFAULT_MAX_MESSAGE_SIZE,
  DEFAULT_MAX_REASSEMBLY_BYTES,
  MAX_FRAME_SIZE_LIMIT,
  PROTOCOL_INITIAL_WINDOW,
} from '../constants.js';
import { isTetherError } from '../errors/tether-error.js';
import { resolveMuxOptions } from './mux-options.js';
import type { MuxSessionOptions } from './mux-types.js';

describe('resolveMuxOptions', () => {
  it('fills in the defaults', () => {
    expect(resolveMuxOptions({ role: 'acceptor' })).toEqual({
      role: 'acceptor',
      maxFrameSize: DEFAULT_MAX_FRAME_SIZE,
      maxMessageSize: DEFAULT_MAX_MESSAGE_SIZE,
      maxReassemblyBytes: DEFAULT_MAX_REASSEMBLY_BYTES,
      maxChannels: DEFAULT_MAX_CHANNELS,
      channelWindow: DEFAULT_CHANNEL_WINDOW,
    });
  });

  it('makes the reassembly budget follow a larger maxMessageSize, and refuses one below it', () => {
    const big = DEFAULT_MAX_REASSEMBLY_BYTES * 2;
    expect(resolveMuxOptions({ role: 'acceptor', maxMessageSize: big }).maxReassemblyBytes).toBe(big);
    expect(() =>
      resolveMuxOptions({ role: 'acceptor', maxMessageSize: 4096, maxReassemblyBytes: 4095 }),
    ).toThrow(/`maxReassemblyBytes` \(4095\) must be at least `maxMessageSize` \(4096\)/);
  });

  it('accepts the bounds', () => {
    expect(() =>
      resolveMuxOptions({
        role: 'initiator',
        maxFrameSize: MAX_FRAME_SIZE_LIMIT,
        channelWindow: PROTOCOL_INITIAL_WINDOW,
        maxChannels: 1,
        maxMessageSize: 1,
      }),
    ).not.toThrow();
  });

  it.each([
    [{ role: 'server' }, /`role` must be 'initiator'.*or 'acceptor'.*got "server"/],
    [
      { role: 'initiator', maxFrameSize: MAX_FRAME_SIZE_LIMIT + 1 },
      /`maxFrameSize` must be an integer from 1024 to 16777216/,
    ],
    [{ role: 'initiator', maxFrameSize: 1023 }, /`maxFrameSize`.*got 1023/],
    [{ role: 'initiator', maxFrameSize: 2048.5 }, /`maxFrameSize`/],
    [
      { role: 'initiator', channelWindow: 65535 },
      /`channelWindow` must be an integer from 65536 to 4294967295/,
    ],
    [{ role: 'initiator', maxChannels: 0 }, /`maxChannels` must be an integer from 1/],
    [{ role: 'initiator', maxMessageSize: Number.NaN }, /`maxMessageSize`.*got NaN/],
    [{ role: 'initiator', maxChannels: '10' }, /`maxChannels`.*got "10"/],
  ])('rejects %o with INVALID_OPTIONS naming the option and range', (options, message) => {
    let caught: unknown;
    try {
      resolveMuxOptions(options as unknown as MuxSessionOptions);
    } catch (error) {
      caught = error;
    }
    expect(isTetherError(caught, 'INVALID_OPTIONS')).toBe(true);
    expect((caught as Error).message).toMatch(message);
  });
});
