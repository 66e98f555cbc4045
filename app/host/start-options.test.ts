// npm start's command line and its default data folder.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StartUsageError, parseStartArgs } from './start-options.js';
import { userDataFolder } from './user-data-folder.js';

describe('parseStartArgs', () => {
  it('defaults: the user data folder, any free port, open a browser', () => {
    expect(parseStartArgs([])).toEqual({ dataFolder: userDataFolder(), port: 0, open: true });
  });

  it('--data, --port, --no-open, --ui-root', () => {
    expect(parseStartArgs(['--data', 'd', '--port=8080', '--no-open', '--ui-root', 'ui'])).toEqual({
      dataFolder: path.resolve('d'),
      port: 8080,
      open: false,
      uiRoot: path.resolve('ui'),
      browserRequest: '--port',
      dataGiven: true,
    });
    expect(parseStartArgs(['-h'])).toBe('help');
  });

  it.each([
    [['--port', 'http'], '--port must be a port number'],
    [['--port', '70000'], '--port must be a port number'],
    [['--prot', '1'], "Unknown option '--prot'"],
    [['extra'], "Unexpected argument 'extra'"],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseStartArgs(argv)).toThrow(StartUsageError);
    expect(() => parseStartArgs(argv)).toThrow(message);
  });
});

describe('userDataFolder', () => {
  it('is tether host’s folder on Linux, Tether’s app folder on macOS and Windows', () => {
    expect(userDataFolder({ HOME: '/home/u' }, 'linux')).toBe('/home/u/.local/share/tether');
    expect(userDataFolder({ HOME: '/home/u', XDG_DATA_HOME: '/x' }, 'linux')).toBe('/x/tether');
    expect(userDataFolder({ HOME: '/Users/u' }, 'darwin')).toBe(
      '/Users/u/Library/Application Support/Tether',
    );
    expect(userDataFolder({ HOME: 'C:\\Users\\u', APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toBe(
      path.join('C:\\Users\\u\\AppData\\Roaming', 'Tether'),
    );
  });
});
