// Crash records become crash lines with the records before them marked, from history as from the live tail.
import { describe, expect, it } from 'vitest';
import { CRASH_LOG_SCOPE } from '@tether/extension-host/manager-api';
import type { HostLogRecord } from '../connection/host-types.js';
import { toLogEntries } from './crash-entries.js';

let seq = 0;
function record(extension: string, message: string, scope = 'main'): HostLogRecord {
  seq += 1;
  return { extension, seq, time: 1000 + seq, level: 'info', scope, message };
}

function crash(extension: string): HostLogRecord {
  return {
    ...record(extension, 'crashed: exited with code 3', CRASH_LOG_SCOPE),
    level: 'error',
    fields: { code: 'PLUGIN_EXITED', exitCode: 3, signal: null, stderrTail: ['boom'] },
  };
}

describe('toLogEntries', () => {
  it('turns a crash record into a crash line and marks its extension’s last records before it', () => {
    const records = [
      record('alpha', 'a1'),
      record('beta', 'b1'),
      record('alpha', 'a2'),
      record('alpha', 'a3'),
      crash('alpha'),
      record('alpha', 'after'),
    ];
    const { entries, unmarked } = toLogEntries(records, 2);
    const marked = entries.flatMap((e) => (e.kind === 'record' && e.crashTail ? [e.record.message] : []));
    expect(marked).toEqual(['a2', 'a3']);
    const line = entries.find((e) => e.kind === 'crash');
    expect(line).toMatchObject({
      kind: 'crash',
      extension: 'alpha',
      seq: records[4]!.seq,
      error: { code: 'PLUGIN_EXITED', exitCode: 3, stderrTail: ['boom'] },
    });
    expect(unmarked.size).toBe(0);
  });

  it('says how many records to mark among those already held when the crash came alone (live tail)', () => {
    const { entries, unmarked } = toLogEntries([record('alpha', 'a9'), crash('alpha')], 5);
    expect(entries.map((e) => e.kind)).toEqual(['record', 'crash']);
    expect([...unmarked]).toEqual([['alpha', 4]]);
  });
});
