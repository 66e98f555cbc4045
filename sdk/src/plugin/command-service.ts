// Contributed commands: the built-in `tether.commands` service through which a host runs the commands a
// plugin registers with `serve({ commands })` (protocol.md section 5.5), and the check of those handlers.
import { COMMAND_NOT_FOUND_LISTED_IDS, COMMAND_SERVICE_NAME, MAX_COMMAND_ID_LENGTH } from '../constants.js';
import { TetherError } from '../errors/tether-error.js';
import { defineService, type ServiceDefinition } from '../rpc/service.js';
import { implement, type ServiceBinding } from './service-binding.js';

/**
 * The service a plugin that registers commands serves, at every app protocol version it serves; the host
 * calls it with `client.dispense(commandService)`.
 */
export interface CommandService {
  /**
   * Runs command `id`, its handler receiving `args` spread (`handler(...args)`), and resolves with what the
   * handler returns (awaited). Arguments and result go through the codec like any call's (Map, Date, proxies
   * and streams cross). Rejects with `COMMAND_NOT_FOUND` (the message lists the registered ids) for an id the
   * plugin did not register, with `INVALID_ARGUMENT` when `args` is not an array, and with the handler's own
   * error (name, message, code, stack, cause kept) when it throws.
   */
  execute(id: string, args: unknown[]): Promise<unknown>;
  /** The ids of the registered commands, in the order given to `serve({ commands })`. */
  list(): Promise<string[]>;
}

/** The `tether.commands` service (name {@link COMMAND_SERVICE_NAME}): `client.dispense(commandService).execute(id, args)`. */
export const commandService: ServiceDefinition<CommandService> = defineService<CommandService>()(
  COMMAND_SERVICE_NAME,
  { methods: { execute: {}, list: {} } },
);

/**
 * A command's handler: any function. It receives the host's arguments spread and may return a value or a
 * promise; what it returns (awaited) is the result of `execute`, what it throws the error.
 */
export type CommandHandler = (...args: never[]) => unknown;

/** Command id → handler, as given to `serve({ commands })`: `{ 'kv.clear': async () => { … } }`. */
export type CommandHandlers = Readonly<Record<string, CommandHandler>>;

const commandIdPattern = new RegExp(`^[A-Za-z][A-Za-z0-9._-]{0,${MAX_COMMAND_ID_LENGTH - 1}}$`);

/**
 * True when `id` is a valid command id: letters, digits, '.', '_' or '-', starting with a letter, at most
 * {@link MAX_COMMAND_ID_LENGTH} characters (`kv.clear`). The manifest's `contributes.commands` follows the
 * same rule.
 */
export function isValidCommandId(id: unknown): id is string {
  return typeof id === 'string' && commandIdPattern.test(id);
}

/**
 * Checks the `commands` option of `serve()` and returns the binding of the `tether.commands` service that
 * runs them. The handlers are copied: adding to the object later registers nothing.
 * @throws TetherError('INVALID_OPTIONS') saying which entry to fix.
 */
export function bindCommands(commands: unknown): ServiceBinding {
  if (typeof commands !== 'object' || commands === null || Array.isArray(commands)) {
    invalid(
      `commands must be an object mapping each command id to its handler, like { 'kv.clear': async () => … }; got ${describe(commands)}`,
    );
  }
  // A Map, so that only the ids given are found: "constructor" or "toString" are not commands unless registered.
  const handlers = new Map<string, CommandHandler>();
  for (const [id, handler] of Object.entries(commands)) {
    if (!isValidCommandId(id)) {
      invalid(
        `command id ${JSON.stringify(id)} is not valid: use letters, digits, '.', '_' or '-', starting with a letter (at most ${MAX_COMMAND_ID_LENGTH} characters), like "kv.clear"`,
      );
    }
    if (typeof handler !== 'function') {
      invalid(`the handler of command "${id}" must be a function; got ${describe(handler)}`);
    }
    handlers.set(id, handler as CommandHandler);
  }
  return implement(commandService, {
    async execute(id, args) {
      const handler = typeof id === 'string' ? handlers.get(id) : undefined;
      if (handler === undefined) throw notFound(id, [...handlers.keys()]);
      if (!Array.isArray(args)) {
        throw new TetherError(
          'INVALID_ARGUMENT',
          `Command "${id}" was run with ${describe(args)} as its arguments; pass them as an array: execute("${id}", [arg1, arg2]).`,
        );
      }
      return (await Reflect.apply(handler, commands, args)) as unknown;
    },
    list: () => Promise.resolve([...handlers.keys()]),
  });
}

function notFound(id: unknown, ids: readonly string[]): TetherError {
  const listed = ids.slice(0, COMMAND_NOT_FOUND_LISTED_IDS).map((known) => JSON.stringify(known));
  const more = ids.length - listed.length;
  const registered =
    ids.length === 0
      ? 'it registers none'
      : `its commands are ${listed.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  const what = typeof id === 'string' ? JSON.stringify(id) : describe(id);
  return new TetherError(
    'COMMAND_NOT_FOUND',
    `This plugin has no command ${what} (${registered}). Run one of those, or register it with serve({ commands }) and list it in the manifest's contributes.commands.`,
  );
}

function invalid(what: string): never {
  throw new TetherError('INVALID_OPTIONS', `serve(): ${what}.`);
}

/** A value as shown after "got": strings quoted (and shortened), other kinds named. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `a ${typeof value}`;
}
