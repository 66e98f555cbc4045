// Test-only: a host callback (passed by proxy) that records the call it answers, from currentCall(), and
// the abort reason its signal gets; it resolves 'too late' once aborted. Shared by the loopback and the
// cross-process tests of cancellation.
import { currentCall } from '../call-context.js';
import { proxy } from '../proxy-marker.js';

export interface AbortRecord {
  readonly service: string | undefined;
  readonly method: string;
  reason?: unknown;
}

export function abortRecordingCallback() {
  const seen: AbortRecord[] = [];
  const callback = proxy(() => {
    const { signal, service, method } = currentCall();
    const entry: AbortRecord = { service, method };
    seen.push(entry);
    return new Promise<string>((resolve) => {
      signal.addEventListener('abort', () => {
        entry.reason = signal.reason;
        resolve('too late');
      });
    });
  });
  return { callback, seen };
}
