// What `tether run` tells a terminal plugin about the user's terminal.
import { describe, expect, it } from 'vitest';
import { userTerminalEnv } from './user-terminal-env.js';

describe('userTerminalEnv', () => {
  it('passes TERM, and COLORTERM when the terminal has one', () => {
    expect(userTerminalEnv({ TERM: 'tmux-256color', COLORTERM: 'truecolor', HOME: '/h' })).toEqual({
      TERM: 'tmux-256color',
      COLORTERM: 'truecolor',
    });
    expect(userTerminalEnv({ TERM: 'linux' })).toEqual({ TERM: 'linux' });
    expect(userTerminalEnv({ TERM: 'linux', COLORTERM: '' })).toEqual({ TERM: 'linux' });
  });

  it('passes nothing without TERM: the runner then uses its defaults', () => {
    expect(userTerminalEnv({ COLORTERM: 'truecolor' })).toEqual({});
    expect(userTerminalEnv({ TERM: '' })).toEqual({});
  });
});
