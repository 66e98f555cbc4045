// issue-10: a plugin that leads its process group takes the group along when it exits because its host died.
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { HOST_DEATH_CONFIRM_MS } from '../constants.js';
import { waitFor } from '../test-support/wait-for.js';
import { createMemoryTransportPair } from '../transport/memory-transport.js';
import { StreamTransport } from '../transport/node/stream-transport.js';
import { exitWithGroupOnHostDeath, ownProcessGroup, type OwnProcessGroup } from './host-death-exit.js';
import type { PluginEnvironment } from './plugin-environment.js';

function fakes(leader = true) {
  const state = { ppid: 100, hostAlive: true, exits: [] as number[], kills: 0 };
  const environment: PluginEnvironment = {
    env: { TETHER_HOST_PID: '100' },
    pid: 4242,
    ppid: () => state.ppid,
    isAlive: () => state.hostAlive,
    writeStderr: () => {},
    exit: (code) => state.exits.push(code),
    hostWatchIntervalMs: 10,
  };
  const group: OwnProcessGroup = {
    isLeader: () => leader,
    kill: () => state.kills++,
  };
  return { state, environment, group };
}

/** A stream transport whose socket stands in for the one to the host. */
function streamTransport(): StreamTransport {
  return new StreamTransport(new PassThrough());
}

/** Waits for `condition`, quoting it if it never holds (see waitFor). */
async function until(condition: () => boolean): Promise<void> {
  await waitFor(condition, { what: String(condition), intervalMs: 2 });
}

describe('issue-10: exitWithGroupOnHostDeath', () => {
  it('kills the group when the parent has changed', () => {
    const { state, environment, group } = fakes();
    const wrapped = exitWithGroupOnHostDeath(environment, streamTransport(), group);
    state.ppid = 1;
    wrapped.exit(1);
    expect(state).toMatchObject({ kills: 1, exits: [1] });
  });

  it('kills the group when the process in TETHER_HOST_PID is gone', () => {
    const { state, environment, group } = fakes();
    const wrapped = exitWithGroupOnHostDeath(environment, streamTransport(), group);
    state.hostAlive = false;
    wrapped.exit(1);
    expect(state).toMatchObject({ kills: 1, exits: [1] });
  });

  it('never on exit 0 (a stop the host asked for), nor when the process leads no group', () => {
    const leading = fakes();
    const wrapped = exitWithGroupOnHostDeath(leading.environment, streamTransport(), leading.group);
    leading.state.ppid = 1;
    wrapped.exit(0);
    expect(leading.state).toMatchObject({ kills: 0, exits: [0] });

    const member = fakes(false);
    const other = exitWithGroupOnHostDeath(member.environment, streamTransport(), member.group);
    member.state.ppid = 1;
    other.exit(1);
    expect(member.state).toMatchObject({ kills: 0, exits: [1] });
  });

  it('exits at once, without killing, for its own reasons while the host is there', () => {
    const { state, environment, group } = fakes();
    exitWithGroupOnHostDeath(environment, streamTransport(), group).exit(1);
    expect(state).toMatchObject({ kills: 0, exits: [1] });
  });

  it('when the host ended the connection, waits for its death to show, then kills the group', async () => {
    const { state, environment, group } = fakes();
    const transport = streamTransport();
    const wrapped = exitWithGroupOnHostDeath(environment, transport, group);
    // As in servePlugin: the transport closing closes the session, which exits in the same tick.
    transport.onDidClose(() => wrapped.exit(1));
    transport.stream.emit('end');
    expect(transport.closed).toBe(true);
    expect(state.exits).toEqual([]);
    state.ppid = 1; // the kernel re-parents the plugin a little after closing the host's socket
    await until(() => state.exits.length > 0);
    expect(state).toMatchObject({ kills: 1, exits: [1] });
  });

  it('when the host ended the connection but stays alive, exits without killing after the wait', async () => {
    const { state, environment, group } = fakes();
    const transport = streamTransport();
    const wrapped = exitWithGroupOnHostDeath(environment, transport, group);
    transport.stream.emit('end');
    const exitAt = Date.now();
    wrapped.exit(1);
    wrapped.exit(1); // a second exit during the wait changes nothing
    await until(() => state.exits.length > 0);
    expect(Date.now() - exitAt).toBeGreaterThanOrEqual(HOST_DEATH_CONFIRM_MS - 5);
    expect(state).toMatchObject({ kills: 0, exits: [1] });
  });

  it('a transport that is not a socket (a MessagePort) never counts as ended by the host', () => {
    const { state, environment, group } = fakes();
    const [transport] = createMemoryTransportPair();
    exitWithGroupOnHostDeath(environment, transport, group).exit(1);
    expect(state).toMatchObject({ kills: 0, exits: [1] });
  });
});

describe('ownProcessGroup', () => {
  it('finds the group a process leads (spawned detached), not one it does not, and kills it', async () => {
    const leader = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    const member = spawn('sleep', ['30'], { stdio: 'ignore' });
    const leaderGone = new Promise((resolve) => leader.once('exit', (_code, signal) => resolve(signal)));
    try {
      expect(ownProcessGroup(leader.pid!).isLeader()).toBe(true);
      expect(ownProcessGroup(member.pid!).isLeader()).toBe(false);
      ownProcessGroup(member.pid!).kill(); // no such group: nothing happens
      ownProcessGroup(leader.pid!).kill();
      expect(await leaderGone).toBe('SIGKILL');
      expect(member.exitCode).toBeNull();
    } finally {
      leader.kill('SIGKILL');
      member.kill('SIGKILL');
    }
  });
});
