/**
 * The environment a plugin process starts with (protocol.md section 5.1): an allowlist of the host's own
 * variables, then what the host passes for this plugin, then the handshake variables. Nothing else of the
 * host's environment reaches a plugin — not `AWS_*`, `*_TOKEN`, `*_KEY`, `NPM_CONFIG_*`, proxies with
 * credentials, nor anything the host itself was given and a plugin has no business seeing.
 */

/**
 * Host variables a plugin inherits, by exact name. Each is needed by ordinary programs to run at all (find
 * executables, a home directory, a temp directory) or to behave like the user expects (locale, time zone,
 * terminal type). None carries a credential.
 *
 * Deliberately absent:
 * - `NODE_OPTIONS`: it can `--require` code into the plugin, and a host started with `--inspect` would make
 *   every plugin try to bind the same debugger port. A plugin's Node flags come from `LaunchSpec.nodeArgs`.
 * - `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY`: proxy URLs often embed a user and password. A host that wants its
 *   plugins behind a proxy passes them in `LaunchSpec.env`.
 * - `NODE_EXTRA_CA_CERTS`, `SSH_AUTH_SOCK`, `DISPLAY`, `XDG_*`: pass explicitly when an extension needs them.
 */
export const INHERITED_ENV_NAMES: readonly string[] = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'TEMP',
  'TMP',
  'TERM',
];

/** Host variables a plugin inherits by prefix (the locale categories `LC_ALL`, `LC_CTYPE`, …). */
export const INHERITED_ENV_PREFIXES: readonly string[] = ['LC_'];

/**
 * Extra variables inherited on Windows, where programs fail in odd ways without them (no `SystemRoot`: no
 * Winsock; no `ComSpec`: no shell). Windows variable names are case-insensitive.
 */
export const INHERITED_ENV_NAMES_WIN32: readonly string[] = [
  'SystemRoot',
  'SystemDrive',
  'windir',
  'ComSpec',
  'PATHEXT',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  'ProgramData',
  'ProgramFiles',
  'ProgramFiles(x86)',
  'NUMBER_OF_PROCESSORS',
  'PROCESSOR_ARCHITECTURE',
];

/** Inputs of {@link buildPluginEnv}; later layers win over earlier ones. */
export interface PluginEnvLayers {
  /** The host's environment (normally `process.env`); only allowlisted names are taken from it. */
  readonly hostEnv: Readonly<Record<string, string | undefined>>;
  /** What the host passes to this plugin on purpose (`LaunchSpec.env`). */
  readonly specEnv?: Readonly<Record<string, string>> | undefined;
  /** The handshake variables (cookie, `TETHER_SOCKET`, …); nothing may override them. */
  readonly handshakeEnv?: Readonly<Record<string, string>> | undefined;
  /** Defaults to `process.platform`; decides the Windows extras and case-insensitive names. */
  readonly platform?: NodeJS.Platform | undefined;
}

/** True when the host variable `name` is one a plugin inherits on `platform`. */
export function isInheritedEnvName(name: string, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'win32') {
    const upper = name.toUpperCase();
    const names = [...INHERITED_ENV_NAMES, ...INHERITED_ENV_NAMES_WIN32];
    return (
      names.some((n) => n.toUpperCase() === upper) ||
      INHERITED_ENV_PREFIXES.some((prefix) => upper.startsWith(prefix))
    );
  }
  return INHERITED_ENV_NAMES.includes(name) || INHERITED_ENV_PREFIXES.some((p) => name.startsWith(p));
}

/** Builds the complete environment of a plugin process. The result is a fresh object the caller may keep. */
export function buildPluginEnv(layers: PluginEnvLayers): Record<string, string> {
  const platform = layers.platform ?? process.platform;
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(layers.hostEnv)) {
    if (value !== undefined && isInheritedEnvName(name, platform)) env[name] = value;
  }
  Object.assign(env, layers.specEnv, layers.handshakeEnv);
  return env;
}
