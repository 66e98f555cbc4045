import { describe, expect, it } from 'vitest';
import { PROTOCOL_INITIAL_WINDOW } from '../constants.js';
import { ReceiveWindow } from './receive-window.js';

describe('ReceiveWindow', () => {
  it('grants the window above the initial credit once, then returns credit in half-window batches', () => {
    const window = new ReceiveWindow(4 * PROTOCOL_INITIAL_WINDOW);
    expect(window.peerCredit).toBe(PROTOCOL_INITIAL_WINDOW);
    expect(window.initialGrant()).toBe(3 * PROTOCOL_INITIAL_WINDOW);
    expect(window.peerCredit).toBe(window.size);
    expect(window.receive(window.size)).toBe(true);
    expect(window.receive(1)).toBe(false);
    expect(window.release(window.size / 2 - 1)).toBe(0);
    expect(window.release(1)).toBe(window.size / 2);
    expect(window.peerCredit).toBe(window.size / 2);
  });

  it('grants nothing extra at the protocol minimum', () => {
    expect(new ReceiveWindow(PROTOCOL_INITIAL_WINDOW).initialGrant()).toBe(0);
  });
});
