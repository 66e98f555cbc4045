import {
  CONTROL_SOCKET_FILE,
  DEFAULT_STOP_GRACE_MS,
  SIGNATURE_FILE_SUFFIX,
  TRUSTED_KEYS_FOLDER,
} from '../constants.js';
import { DEFAULT_KEY_NAME } from '../install/generate-signing-keys.js';
import type { CommandName } from './cli-flags.js';

/** `tether --help`. */
export const mainHelp = `tether: run, inspect, package and sign Tether extensions

Usage:
  tether run <extension-dir> [--call <service.method> [args...]] [--json]
  tether logs <extension | extension-dir> [--follow] [--level <level>] [--log-dir <dir>] [--data <dir>]
  tether host --extensions <dir> [<dir>...] [--data <dir>]
  tether dev <extension-dir> [--port <n>] [--no-open] [--ui-root <dir>]
  tether list [--json] [--data <dir>]
  tether start|stop|restart|enable|disable <extension> [--data <dir>]
  tether exec <command-id> [args...] [--json] [--data <dir>]
  tether install <file.tgz | extension-dir | https-URL> [--allow-unsigned] [--force] [--data <dir>]
  tether uninstall <extension> [--purge] [--data <dir>]
  tether pack <extension-dir> [--out <dir>]
  tether keygen [--out <dir>] [--name <name>]
  tether sign <package.tgz> --key <private.pem>
  tether trust <public.pem> [--name <publisher>] | --list | --remove <key-id> [--data <dir>]
  tether help [<command>] | --help | --version

Commands:
  run     Check an extension's manifest and host compatibility, then start it. An
          extension that runs in a terminal ("runner": "pty") gets this terminal
          until it exits: every key goes to it, Enter ~. stops it.
  logs    Print an extension's log file (by its name or its folder); --follow keeps
          printing new lines (live from the running host, when there is one).
  host    Run an extension manager in this terminal: a line per state change;
          the commands below talk to it.
  dev     Develop an extension: run it with a manager, show it in the app's UI
          in your browser, restart it when its files change.
  list    The extensions of the running host: state, pid, restarts, publisher,
          signature, last error.
  start, stop, restart, enable, disable
          Change one extension of the running host.
  exec    Run a command an extension contributes, on the running host.
  install Verify a signed package and install (or upgrade) the extension; the
          running host runs it at once. Works without a host too.
  uninstall
          Stop an installed extension and remove it (its logs stay unless --purge).
  pack    Validate an extension's manifest and make its package (.tgz).
  keygen  Make a publisher's signing key pair (Ed25519).
  sign    Sign a package with your private key (writes <package.tgz>${SIGNATURE_FILE_SUFFIX}).
  trust   Trust a publisher's public key (list, remove): only packages signed
          by a trusted key install.
  help    Show help: "tether help <command>" for a command.

Options:
  -h, --help      Show help; "tether <command> --help" for a command.
  -v, --version   Print the tether version.
  --debug         Print stack traces with errors.

Exit status: 0 done; 1 failed (no host running, for the commands that need one), or the
extension did not stop cleanly when tether run stopped it (see "tether run --help"); 2 bad
command line, or no command. "tether run" of an extension that runs in a terminal exits
with the extension's own status.
`;

/** How `--call` and `tether exec` arguments are read, and how --json prints results (tagged-json.ts). */
const valueForms = `
Each argument is parsed as JSON when it parses (42, true, null, '{"a":1}', '"quoted"'),
otherwise it is passed as a string (hello). For values JSON has no form for, write an
object with one of these keys:
  {"$map": [["key", 1], ...]}             a Map
  {"$set": [1, 2]}                        a Set
  {"$date": "2024-05-01T10:00:00Z"}       a Date (ISO 8601)
  {"$bytes": "aGVsbG8="}                  a Uint8Array (base64)
  {"$bigint": "12345678901234567890"}     a BigInt
  {"$object": {"$ref": "x"}}              an object whose one key starts with "$", as is
They nest (a Map of Dates). --json prints results in the same forms, so what it prints
can be passed back as an argument (an Error prints as {"name", "code", "message", …}).
`;

const runHelp = `Usage: tether run <extension-dir> [--call <service.method> [args...]] [--json]

Reads <extension-dir>/package.json, validates its "tether" manifest, checks that the
extension supports this host version, and starts the extension.

An extension that runs in a terminal ("runner": "pty") gets this terminal: every key,
Ctrl-C included, goes to the extension; its output and colours come here; its window
size follows yours. tether run ends when the extension exits, with its exit status
(128 + n when signal n killed it). To stop it yourself, press Enter, then ~ and .
("Enter ~."; "~~" types one ~). Your terminal's settings are restored however it ends,
except when tether itself is killed with SIGKILL (kill -9), which no program can catch:
then type "stty sane" and Enter. The extension gets your TERM and COLORTERM. With --call
and stdout redirected, stdout holds the result alone and the extension's screen goes to
stderr. With piped input the bytes pass through unchanged and the end of the input is
sent as Ctrl-D.

When tether run stops the extension (after --call; on Ctrl-C; a terminal extension on
Enter ~.) it asks it to stop, waits ${DEFAULT_STOP_GRACE_MS} ms, sends SIGTERM, waits ${DEFAULT_STOP_GRACE_MS} ms more,
then sends SIGKILL. If the extension then exits with a code other than 0 or has to be
killed, tether run says so on stderr and exits 1 (a terminal extension: with its own
status).

--call prints the result on stdout. A method that returns a stream (an AsyncIterable,
a ReadableStream) is read to its end, each item printed as it arrives, one per line
(a terminal extension's: when the stream ends). A failed call prints
  tether: kv.get failed: KeyNotFoundError [NOT_FOUND]: no key "greeting"
(name, code and message), and the extension's last stderr lines when the error has
them, and exits 1; with --json, stderr gets the error as one line of JSON instead:
  {"name":"KeyNotFoundError","code":"NOT_FOUND","message":"…","call":"kv.get"}
${valueForms}
Options:
  --call <service.method> [args...]
                  Call one method and print its result (see above). Use "--" before
                  arguments that start with "-" (negative numbers need none).
  --json          Print results as JSON, one line per result or stream item (NDJSON),
                  in the forms above; errors as JSON on stderr.
  --debug         Print stack traces with errors.

Examples:
  tether run ./my-extension --call kv.set greeting '"hello"'
  tether run ./my-extension --call kv.import '{"$map": [["a", 1]]}' '{"$date": "2024-05-01T10:00:00Z"}'
  tether run ./my-extension --json --call feed.latest 10 | jq .title
  tether run sample-extensions/05-tty        (an interactive extension in your terminal)
`;

const logsHelp = `Usage: tether logs <extension | extension-dir> [--follow] [--level <level>] [--log-dir <dir>] [--data <dir>]

Prints the log file of an extension, named by its name in package.json or by its folder
(the package.json there names it): the records it logged, its console output and its
stdout/stderr lines, one per line:
  2024-05-01T10:00:00.000Z WARN  [db] slow query {"ms":812}
Coloured by level when the output is a terminal.

With --follow and a tether host running for the data folder, the records come live from
the host instead: those it holds (since it started), then each new one as it is logged,
until Ctrl-C or until the host stops. Without a host (or with --log-dir), --follow
watches the log file.

Options:
  -f, --follow        Keep printing new records as they come, until Ctrl-C.
  --level <level>     Only records at this level and above: trace, debug, info, warn, error.
  --log-dir <dir>     Where the log files are. Default: $TETHER_LOG_DIR, else
                      $XDG_STATE_HOME/tether/logs, else ~/.local/state/tether/logs
                      ("tether run" and "tether host" write there).
  --data <dir>        The data folder of the host to follow (see "tether host --help").

An unknown name is refused with the closest names that have logs ("did you mean").

Examples:
  tether logs my-extension --follow --level warn
  tether logs ./my-extension
`;

const dataOption = `  --data <dir>        The host's data folder (default: $XDG_DATA_HOME/tether, else
                      ~/.local/share/tether; see "tether host --help").`;

const hostHelp = `Usage: tether host --extensions <dir> [<dir>...] [--data <dir>]

Runs an extension manager in this terminal, for the extensions in the given folders
(each folder holds extension folders, or is one itself): it finds them, starts those
with "activation": "startup" and the others on first use, restarts those that crash
(with backoff, giving up after too many crashes), and notices extensions added or
removed. It prints a line per extension to start with, then one per state change:
  14:02:07 @acme/kv starting → running
  14:02:09 @acme/kv running → crashed: Plugin "@acme/kv" exited with code 3 …

"tether list", "tether start|stop|restart|enable|disable", "tether exec" and
"tether logs --follow" talk to it through a control socket, <data>/${CONTROL_SOCKET_FILE},
that only your user can open (the data folder is made private: mode 0700). One host per
data folder: a second one says which process has it. A socket left behind by a host that
was killed is replaced. Each extension is started with the magic cookie its own manifest
names ("tether.handshake"). Enabled/disabled choices are kept in the data folder; log
files go where "tether logs" reads them.

Ctrl-C (or SIGTERM, SIGHUP) stops every extension (asks, then SIGTERM and SIGKILL after
${DEFAULT_STOP_GRACE_MS} ms each), removes the socket and exits 0.

Options:
  --extensions <dir>  A folder of extensions; repeat it, or list several after it.
${dataOption}

Example:
  tether host --extensions ~/my-extensions --extensions ./my-extension-in-development
`;

const devHelp = `Usage: tether dev <extension-dir> [--port <n>] [--no-open] [--ui-root <dir>]

Runs your extension as an app would: an extension manager (over a new temporary data
folder, deleted at the end) with <extension-dir> as its one extension, started at once.
The app's UI serves it in your browser, on 127.0.0.1 only; the URL printed holds a
per-run token without which the UI cannot connect:
  14:02:07 tether dev: the UI: http://127.0.0.1:43117/?token=…
The browser opens by itself when there is a display and a program to open it.

When a file in <extension-dir> changes (node_modules and dot files aside), the extension
is restarted a moment later (a build that writes many files restarts it once), and its
manifest is read again. A line is printed per state change, as "tether host" does;
"tether list --data <the folder printed>" and the other host commands talk to it.

Ctrl-C (or SIGTERM, SIGHUP) stops the extension, the UI and the manager, and exits 0.

Options:
  --port <n>          The UI's port on 127.0.0.1 (default: any free port).
  --no-open           Do not open a browser; only print the URL.
  --ui-root <dir>     Serve this built UI instead of the app's (renderer/dist of the
                      @tether/app package; "npm run build -w app" builds it).

Example:
  tether dev ./my-extension
`;

const listHelp = `Usage: tether list [--json] [--data <dir>]

Lists the extensions of the running tether host: id, version, state, pid, automatic
restarts, publisher, signature and the last error (its first line; --json has all of it,
and the manifest problems of an invalid extension). SIGNATURE is "signed" or "unsigned"
for an extension installed with "tether install", "dev folder" for one the host found in
an extension folder given to it (not installed, so not verified); PUBLISHER is the name
the signing key was trusted with ("tether trust --name"), else its key id.

Options:
  --json              Print the host's snapshots as JSON (an error: as JSON on stderr).
${dataOption}
`;

const lifecycleHelp = `Usage: tether start|stop|restart|enable|disable <extension> [--data <dir>]

Changes one extension of the running tether host, then prints its state:
  start     Start it now (also one that failed: its crash history is cleared).
  stop      Stop it; it stays enabled and starts again on demand.
  restart   Stop and start it, clearing its crash history.
  enable    Enable it (kept in the data folder); a startup extension starts.
  disable   Stop it and keep it stopped until enabled (kept in the data folder).

An error from the host (no such extension, a start that failed) is printed with its
code, and the status is 1.

Options:
${dataOption}
`;

const execHelp = `Usage: tether exec <command-id> [args...] [--json] [--data <dir>]

Runs a command that an extension contributes ("contributes.commands" in its manifest)
on the running tether host, starting the extension if needed, and prints the result as
"tether run --call" does: a stream item by item. Use "--" before arguments that start
with "-" (negative numbers need none). A command that fails prints its error's name,
code and message, and the status is 1.
${valueForms}
Options:
  --json              Print the result as JSON (a stream: one line per item), in the
                      forms above; errors as JSON on stderr.
${dataOption}

Example:
  tether exec kv.export ./backup.json
`;

const installHelp = `Usage: tether install <file.tgz | extension-dir | https-URL> [--allow-unsigned] [--force] [--data <dir>]

Installs an extension, or upgrades it to the package's version:
  1. gets the package: a .tgz (with its .sig beside it), an extension folder (packed as
     "tether pack" does; never signed), or an https:// URL (and <URL>.sig), downloaded
     with a size cap and a timeout;
  2. verifies the signature before unpacking anything: signed by a key you trust
     ("tether trust") or the app trusts, over exactly this package;
  3. unpacks it safely, checks its manifest, puts it in place and switches to it
     atomically (an interrupted install leaves the previous state);
  4. starts the new version once to try it: if it does not start, the previous version
     is restored (INSTALL_FAILED says why).
The running tether host of the data folder does all this (its extension runs the new
version at once); when none runs, tether does it itself in that data folder. Progress
goes to stderr, then "installed <id>@<version> (signed by <publisher> <key id>)" to
stdout. A refusal prints its code and exits 1: NOT_SIGNED, UNTRUSTED_PUBLISHER,
BAD_SIGNATURE, PACKAGE_CORRUPT, UNSAFE_ARCHIVE, DOWNLOAD_*, ALREADY_INSTALLED,
DOWNGRADE_REFUSED, INSTALL_FAILED. A path names a file on this machine.

Options:
  --allow-unsigned    Accept a package without a signature (your own extension, in
                      development): a warning is printed now and at every start. A
                      signature that is there must still verify.
  --force             Install an older version than the installed one, or the same
                      version again (a repair).
${dataOption}

Example:
  tether install ./acme-kv-1.2.0.tgz
`;

const uninstallHelp = `Usage: tether uninstall <extension> [--purge] [--data <dir>]

Stops an extension installed with "tether install" and removes every version of it,
through the running tether host of the data folder (or, when none runs, directly). Its
log files stay, for "tether logs", unless --purge. An extension in a development folder
is not removed (INVALID_ARGUMENT): delete that folder yourself.

Options:
  --purge             Delete its log files too.
${dataOption}
`;

const packHelp = `Usage: tether pack <extension-dir> [--out <dir>]

Validates <extension-dir>/package.json as an extension manifest (every problem is listed),
then makes the package with "npm pack": <name>-<version>.tgz in npm's layout (every file
under package/; @acme/kv 1.2.0 → acme-kv-1.2.0.tgz), holding the files npm would publish
("files" in package.json, .npmignore). The package's scripts (prepack, prepare) are not
run: build the extension first. A package that would miss its entry file (tether.entry)
is refused.

Options:
  --out <dir>         Where to write the package (default: the current folder).

Then sign it: tether sign <package.tgz> --key <private.pem>. See docs/packaging.md.
`;

const keygenHelp = `Usage: tether keygen [--out <dir>] [--name <name>]

Makes an Ed25519 key pair for signing your packages, and prints its key id (the first 16
bytes of the SHA-256 of the public key, in hex):
  <name>-private.pem  mode 0600: keep it secret; whoever has it signs as you.
  <name>-public.pem   mode 0644: give it to your users (tether trust <file>).
Existing files are never overwritten.

Options:
  --out <dir>         Where to write the keys (default: the current folder).
  --name <name>       The files' name (default: ${DEFAULT_KEY_NAME}).
`;

const signHelp = `Usage: tether sign <package.tgz> --key <private.pem>

Writes <package.tgz>${SIGNATURE_FILE_SUFFIX}, a detached signature (JSON) over the package's SHA-512 and
the name and version in its package.json, with your key id. Publish it next to the
package. Installing verifies it before unpacking anything: the package must be exactly
the signed file, and your key must be trusted. See docs/packaging.md.

Options:
  --key <file>        Your private key (the -private.pem of tether keygen).
`;

const trustHelp = `Usage: tether trust <public.pem> [--name <publisher>] [--data <dir>]
       tether trust --list [--data <dir>]
       tether trust --remove <key-id> [--data <dir>]

The publisher keys you trust: a package installs only when it is signed by one of them
(or by a key the app trusts). They are kept in <data>/${TRUSTED_KEYS_FOLDER}/, one file per key.

Options:
  --name <publisher>  A name for the publisher, shown with the key.
  --list              List the trusted keys.
  --remove <key-id>   Stop trusting a key.
${dataOption}
`;

export function helpFor(topic: CommandName | undefined): string {
  switch (topic) {
    case undefined:
      return mainHelp;
    case 'run':
      return runHelp;
    case 'logs':
      return logsHelp;
    case 'host':
      return hostHelp;
    case 'dev':
      return devHelp;
    case 'list':
      return listHelp;
    case 'exec':
      return execHelp;
    case 'install':
      return installHelp;
    case 'uninstall':
      return uninstallHelp;
    case 'pack':
      return packHelp;
    case 'keygen':
      return keygenHelp;
    case 'sign':
      return signHelp;
    case 'trust':
      return trustHelp;
    case 'start':
    case 'stop':
    case 'restart':
    case 'enable':
    case 'disable':
      return lifecycleHelp;
    case 'help':
      return mainHelp;
  }
}
