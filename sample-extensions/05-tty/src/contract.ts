// The contract, declared once and imported by both sides. The RPC service travels on the plugin's side
// socket; the terminal carries only what the user sees and types, so the two never mix.
import { defineService } from '@tether/sdk';

/** What the plugin knows about its terminal and its REPL. */
export interface SessionInfo {
  /** stdin and stdout are both terminals (always true: the plugin refuses to run otherwise). */
  readonly isTTY: boolean;
  /** The window size the plugin sees (follows the user's window). */
  readonly columns: number;
  readonly rows: number;
  /** The REPL reads its own keys (raw mode), except while a job (shell, sleep) has the terminal. */
  readonly rawMode: boolean;
  /** The last command typed at the prompt; null before the first. */
  readonly lastCommand: string | null;
  /** How many commands were typed. */
  readonly commands: number;
}

export interface Session {
  info(): SessionInfo;
}

export const session = defineService<Session>()('session', { methods: { info: {} } });

/** The app's magic cookie: not a secret, just "an app that uses Tether started you". */
export const handshake = { cookieKey: 'TETHER_SAMPLES', cookieValue: 'hello-from-the-samples' };
