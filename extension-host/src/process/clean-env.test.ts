import { describe, expect, it } from 'vitest';
import { buildPluginEnv, isInheritedEnvName } from './clean-env.js';

describe('buildPluginEnv', () => {
  const hostEnv = {
    PATH: '/usr/bin',
    HOME: '/home/me',
    LC_ALL: 'C.UTF-8',
    AWS_SECRET_ACCESS_KEY: 'secret',
    GITHUB_TOKEN: 'token',
    NPM_CONFIG_AUTHTOKEN: 'npm',
    NODE_OPTIONS: '--inspect',
    HTTPS_PROXY: 'http://user:pass@proxy',
    UNSET: undefined,
  };

  it('keeps only allowlisted host variables, then the spec env, then the handshake env', () => {
    const env = buildPluginEnv({
      hostEnv,
      specEnv: { EXTRA: '1', TETHER_SOCKET: 'spoofed', PATH: '/opt/bin' },
      handshakeEnv: { TETHER_SOCKET: '/tmp/x/plugin.sock' },
      platform: 'linux',
    });
    expect(env).toEqual({
      PATH: '/opt/bin',
      HOME: '/home/me',
      LC_ALL: 'C.UTF-8',
      EXTRA: '1',
      TETHER_SOCKET: '/tmp/x/plugin.sock',
    });
  });

  it('adds the Windows essentials, case-insensitively, only on Windows', () => {
    expect(isInheritedEnvName('SYSTEMROOT', 'win32')).toBe(true);
    expect(isInheritedEnvName('Path', 'win32')).toBe(true);
    expect(isInheritedEnvName('SystemRoot', 'linux')).toBe(false);
    expect(isInheritedEnvName('Path', 'linux')).toBe(false);
    expect(isInheritedEnvName('GITHUB_TOKEN', 'win32')).toBe(false);
  });
});
