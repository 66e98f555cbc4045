/**
 * The user's terminal type, for a plugin whose terminal `tether run` passes through: `TERM` and, when set,
 * `COLORTERM`. The plugin's output reaches the user's terminal byte for byte, so the plugin (and the `vi` or
 * `ssh` it runs) must write that terminal's escape sequences, not those of the xterm the pty runner assumes
 * by default — which is why ssh passes `TERM` too. Empty when `TERM` is unset or empty (the runner's
 * defaults then apply).
 */
export function userTerminalEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const term = env['TERM'];
  if (term === undefined || term === '') return {};
  const colorTerm = env['COLORTERM'];
  return colorTerm === undefined || colorTerm === '' ? { TERM: term } : { TERM: term, COLORTERM: colorTerm };
}
