import { TetherError } from '../errors/tether-error.js';

const ownFields = new Set(['name', 'message', 'stack', 'code', 'cause']);

/**
 * An error thrown on the other side of the connection, rebuilt here. Keeps the remote `name`, `message`,
 * `code` (or 'REMOTE_ERROR' when it had none), `stack` (the remote frames, so you see where it failed),
 * the `cause` chain (each link a RemoteError too) and any custom fields of the original.
 */
export class RemoteError extends TetherError<string> {
  /** The remote stack trace as the other side printed it. */
  readonly remoteStack: string | undefined;
  /** Set when the remote threw something that is not an Error. */
  readonly value?: unknown;

  constructor(name: string, message: string, code: string, remoteStack: string | undefined, cause: unknown) {
    super(code, message, cause === undefined ? undefined : { cause });
    this.name = name;
    this.remoteStack = remoteStack;
  }
}

/** Rebuilds what arrived in an ERROR message as a RemoteError. `where` names the call, e.g. 'greeter.greet'. */
export function toRemoteError(value: unknown, where: string, depth = 0): RemoteError {
  if (value instanceof Error) {
    const source = value as Error & { code?: unknown };
    const cause =
      source.cause !== undefined && depth < 32 ? rebuildCause(source.cause, where, depth + 1) : undefined;
    const code = typeof source.code === 'string' ? source.code : 'REMOTE_ERROR';
    const error = new RemoteError(source.name, source.message, code, source.stack, cause);
    if (source.code !== undefined && typeof source.code !== 'string') {
      Object.defineProperty(error, 'remoteCode', { value: source.code, enumerable: true });
    }
    for (const key of Object.keys(source)) {
      if (!ownFields.has(key) && !(key in error)) {
        (error as unknown as Record<string, unknown>)[key] = (source as unknown as Record<string, unknown>)[
          key
        ];
      }
    }
    error.stack = `${source.stack ?? `${source.name}: ${source.message}`}\n    at <remote call ${where}>`;
    return error;
  }
  const error = new RemoteError(
    'RemoteError',
    `${where} threw a non-Error value: ${describe(value)}`,
    'REMOTE_ERROR',
    undefined,
    undefined,
  );
  Object.defineProperty(error, 'value', { value, enumerable: true });
  return error;
}

function rebuildCause(cause: unknown, where: string, depth: number): unknown {
  return cause instanceof Error ? toRemoteError(cause, where, depth) : cause;
}

function describe(value: unknown): string {
  try {
    const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return typeof value;
  }
}
