// Quitting holds Electron's before-quit until the extensions have stopped, then exits once.
import { describe, expect, it } from 'vitest';
import { QuitSequence, type QuitTarget } from './quit-sequence.js';

/** A target that records what happened, in order; `stop` settles when the test says. */
function target(): QuitTarget & {
  steps: string[];
  finishStop(status: number | Error): void;
} {
  const steps: string[] = [];
  let settle: ((status: number | Error) => void) | undefined;
  return {
    steps,
    hideWindows: () => steps.push('hide windows'),
    stop: () => {
      steps.push('stop');
      return new Promise<number>((resolve, reject) => {
        settle = (status) => (status instanceof Error ? reject(status) : resolve(status));
      });
    },
    exit: (status) => steps.push(`exit ${status}`),
    say: (line) => steps.push(`say ${line}`),
    finishStop: (status) => settle!(status),
  };
}

function beforeQuitEvent(): { preventDefault(): void; prevented: boolean } {
  const event = {
    prevented: false,
    preventDefault: () => {
      event.prevented = true;
    },
  };
  return event;
}

describe('QuitSequence', () => {
  it('holds the quit back, hides the windows, stops the extensions, then exits with their status', async () => {
    const quitting = target();
    const sequence = new QuitSequence(quitting);
    const event = beforeQuitEvent();
    sequence.onBeforeQuit(event);
    expect(event.prevented).toBe(true);
    expect(sequence.state).toBe('stopping');
    expect(quitting.steps).toEqual(['hide windows', 'stop']);
    quitting.finishStop(0);
    expect(await sequence.quit()).toBe(0);
    expect(quitting.steps).toEqual(['hide windows', 'stop', 'exit 0']);
    expect(sequence.state).toBe('stopped');
  });

  it('holds back a second quit during the stop and stops only once (Cmd+Q twice, SIGTERM twice)', async () => {
    const quitting = target();
    const sequence = new QuitSequence(quitting);
    sequence.onBeforeQuit(beforeQuitEvent());
    const again = beforeQuitEvent();
    sequence.onBeforeQuit(again);
    expect(again.prevented).toBe(true);
    quitting.finishStop(1);
    expect(await sequence.quit()).toBe(1);
    expect(quitting.steps.filter((step) => step === 'stop')).toHaveLength(1);
    expect(quitting.steps.filter((step) => step.startsWith('exit'))).toEqual(['exit 1']);
    const after = beforeQuitEvent();
    sequence.onBeforeQuit(after);
    expect(after.prevented).toBe(false);
  });

  it('exits with 1 when stopping fails, saying why', async () => {
    const quitting = target();
    const sequence = new QuitSequence(quitting);
    const done = sequence.quit();
    quitting.finishStop(new Error('the control socket would not close'));
    expect(await done).toBe(1);
    expect(quitting.steps).toContain('say stopping failed: the control socket would not close');
    expect(quitting.steps.at(-1)).toBe('exit 1');
  });

  it('exits with 1 at the deadline when the extensions do not stop', async () => {
    const quitting = target();
    const sequence = new QuitSequence(quitting, { deadlineMs: 10 });
    expect(await sequence.quit()).toBe(1);
    expect(quitting.steps.at(-1)).toBe('exit 1');
    expect(quitting.steps.some((step) => step.includes('did not stop within 10 ms'))).toBe(true);
  });
});
