// What a `tether` command line asks for, once parsed (parse-args.ts): one variant per command.
import type { LogLevel } from '../logging/log-record.js';
import type { CommandName, LifecycleAction } from './cli-flags.js';

/** One method call requested with `tether run <dir> --call service.method [args…]`. */
export interface CallRequest {
  readonly service: string;
  readonly method: string;
  /** Each argument as call-argument.ts parses it: JSON (tagged values rebuilt) when it parses, else the text. */
  readonly args: readonly unknown[];
}

/** `dataFolder`: the `--data` of the commands that find a running host by its data folder. */
export type CliCommand =
  /** `tether --help`, `tether <command> --help`, `tether help [<command>]`. */
  | { readonly kind: 'help'; readonly topic?: CommandName }
  /** No command at all (bare `tether`): the usage goes to stderr and the status is 2. */
  | { readonly kind: 'missing-command' }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'run';
      readonly extensionDir: string;
      readonly call?: CallRequest;
      readonly json: boolean;
    }
  | {
      readonly kind: 'logs';
      /** An extension's name, or its folder (whose package.json names it). */
      readonly extension: string;
      readonly follow: boolean;
      readonly level?: LogLevel;
      readonly logDir?: string;
      readonly dataFolder?: string;
    }
  | { readonly kind: 'host'; readonly extensionFolders: readonly string[]; readonly dataFolder?: string }
  | {
      readonly kind: 'dev';
      readonly extensionDir: string;
      readonly port?: number;
      readonly open: boolean;
      readonly uiRoot?: string;
    }
  | { readonly kind: 'list'; readonly json: boolean; readonly dataFolder?: string }
  | {
      readonly kind: 'lifecycle';
      readonly action: LifecycleAction;
      readonly extension: string;
      readonly dataFolder?: string;
    }
  | {
      readonly kind: 'exec';
      readonly commandId: string;
      /** Parsed like `--call` arguments. */
      readonly args: readonly unknown[];
      readonly json: boolean;
      readonly dataFolder?: string;
    }
  | {
      readonly kind: 'install';
      /** A .tgz file, an extension folder or an https:// URL. */
      readonly source: string;
      readonly allowUnsigned: boolean;
      readonly force: boolean;
      readonly dataFolder?: string;
    }
  | {
      readonly kind: 'uninstall';
      readonly extension: string;
      readonly purge: boolean;
      readonly dataFolder?: string;
    }
  | { readonly kind: 'pack'; readonly extensionDir: string; readonly outDir?: string }
  | { readonly kind: 'keygen'; readonly outDir?: string; readonly name?: string }
  | { readonly kind: 'sign'; readonly archive: string; readonly keyFile: string }
  | TrustCommand;

/** `tether trust <public.pem> [--name <publisher>]`, `tether trust --list`, `tether trust --remove <keyId>`. */
export type TrustCommand = { readonly kind: 'trust'; readonly dataFolder?: string } & (
  | { readonly action: 'add'; readonly keyFile: string; readonly publisher?: string }
  | { readonly action: 'list' }
  | { readonly action: 'remove'; readonly keyId: string }
);

export interface ParsedArgs {
  readonly command: CliCommand;
  /** `--debug`: print stack traces with errors. */
  readonly debug: boolean;
}
