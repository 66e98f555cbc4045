// One traced RPC call, read from its log record (scope `rpc`; ManagerApi.setTracing says what its fields hold).
import type { HostLogRecord } from '../connection/host-types.js';

export interface TraceCall {
  readonly seq: number;
  readonly extension: string;
  /** 'outgoing': the host called the extension; 'incoming': the extension called the host. */
  readonly direction: 'outgoing' | 'incoming';
  readonly service: string;
  readonly method: string;
  /** When the call ended (ms since the epoch). */
  readonly time: number;
  readonly durationMs: number;
  readonly bytesOut: number | undefined;
  readonly bytesIn: number | undefined;
  readonly bytes: number;
  readonly error: string | undefined;
}

/** The call a trace record describes, or undefined for a record that is not one. */
export function traceCall(record: HostLogRecord): TraceCall | undefined {
  const fields = record.fields;
  if (record.scope !== 'rpc' || fields === undefined) return undefined;
  const { service, method, durationMs, bytes, bytesOut, bytesIn, error, direction } = fields;
  if (typeof service !== 'string' || typeof method !== 'string' || typeof durationMs !== 'number')
    return undefined;
  return {
    seq: record.seq,
    extension: record.extension,
    direction: direction === 'incoming' ? 'incoming' : 'outgoing',
    service,
    method,
    time: record.time,
    durationMs,
    bytesOut: typeof bytesOut === 'number' ? bytesOut : undefined,
    bytesIn: typeof bytesIn === 'number' ? bytesIn : undefined,
    bytes: typeof bytes === 'number' ? bytes : 0,
    error: error === undefined ? undefined : typeof error === 'string' ? error : JSON.stringify(error),
  };
}
