// The commands and flags of the `tether` command line, as data: parse-args.ts reads them, and they say which
// command each flag belongs to (for "--follow belongs to …" and "did you mean" messages).

export const commandNames = [
  'run',
  'logs',
  'host',
  'dev',
  'list',
  'start',
  'stop',
  'restart',
  'enable',
  'disable',
  'exec',
  'install',
  'uninstall',
  'pack',
  'keygen',
  'sign',
  'trust',
  'help',
] as const;
export type CommandName = (typeof commandNames)[number];

/** The commands that change one extension of a running host: `tether <action> <extension>`. */
export const lifecycleActions = ['start', 'stop', 'restart', 'enable', 'disable'] as const;
export type LifecycleAction = (typeof lifecycleActions)[number];

export function isLifecycleAction(name: string): name is LifecycleAction {
  return (lifecycleActions as readonly string[]).includes(name);
}

/**
 * The commands that talk to a running host, so find it with `--data` (install and uninstall work without
 * one, on that data folder).
 */
const hostCommands: readonly CommandName[] = [
  'host',
  'list',
  ...lifecycleActions,
  'exec',
  'logs',
  'install',
  'uninstall',
];

export interface FlagSpec {
  /** Short forms (`-h`). */
  readonly aliases?: readonly string[];
  /** What the value is, for "--data needs a folder"; absent for a flag without a value. */
  readonly value?: string;
  /** May be given more than once (each value kept). */
  readonly repeatable?: boolean;
  /**
   * Bare words after it are more of its values (`--call service.method args…` collects the call's arguments,
   * `--extensions a b` more folders), up to the next flag.
   */
  readonly collects?: boolean;
  /** The commands that take it; `all` for the global flags. */
  readonly commands: readonly CommandName[] | 'all';
}

export const flagSpecs: Readonly<Record<string, FlagSpec>> = {
  '--help': { aliases: ['-h'], commands: 'all' },
  '--version': { aliases: ['-v'], commands: 'all' },
  '--debug': { commands: 'all' },
  '--call': { value: 'a service.method, like --call kv.get', collects: true, commands: ['run'] },
  '--json': { commands: ['run', 'list', 'exec'] },
  '--follow': { aliases: ['-f'], commands: ['logs'] },
  '--level': { value: 'one of trace, debug, info, warn, error', commands: ['logs'] },
  '--log-dir': { value: 'a folder', commands: ['logs'] },
  '--data': { value: 'a folder', commands: [...hostCommands, 'trust'] },
  '--extensions': { value: 'a folder of extensions', repeatable: true, collects: true, commands: ['host'] },
  '--out': { value: 'a folder', commands: ['pack', 'keygen'] },
  '--name': { value: 'a name', commands: ['keygen', 'trust'] },
  '--key': { value: 'a private key file (PEM)', commands: ['sign'] },
  '--list': { commands: ['trust'] },
  '--allow-unsigned': { commands: ['install'] },
  '--force': { commands: ['install'] },
  '--purge': { commands: ['uninstall'] },
  '--remove': { value: 'a key id', commands: ['trust'] },
  '--port': { value: 'a port number (0: any free port)', commands: ['dev'] },
  '--no-open': { commands: ['dev'] },
  '--ui-root': { value: 'the folder of a built UI (it holds index.html)', commands: ['dev'] },
};

/** `-h` → `--help`; an unknown flag → undefined. */
export function canonicalFlag(token: string): string | undefined {
  if (Object.hasOwn(flagSpecs, token)) return token;
  for (const [flag, spec] of Object.entries(flagSpecs)) if (spec.aliases?.includes(token)) return flag;
  return undefined;
}

/** Every spelling of the flags `command` takes (all flags when no command is known yet). */
export function flagsOf(command: CommandName | undefined): string[] {
  return Object.entries(flagSpecs)
    .filter(([, spec]) => command === undefined || spec.commands === 'all' || spec.commands.includes(command))
    .flatMap(([flag, spec]) => [flag, ...(spec.aliases ?? [])]);
}

/** Whether `command` takes `flag` (canonical). */
export function takesFlag(command: CommandName, flag: string): boolean {
  const spec = flagSpecs[flag];
  return spec !== undefined && (spec.commands === 'all' || spec.commands.includes(command));
}

/** `"tether run"`, `"tether run", "tether list" and "tether exec"`. */
export function describeCommands(commands: readonly CommandName[]): string {
  const names = commands.map((command) => `"tether ${command}"`);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
}
