import { TetherError, type TetherErrorCode, type TetherErrorOptions } from '@tether/sdk';

/**
 * The codes an install can fail with (the "install" group of the sdk's `error-codes.ts`). Callers branch on
 * them: a UI offers "trust this publisher" for `UNTRUSTED_PUBLISHER`, "download again" for
 * `PACKAGE_CORRUPT`, and nothing for `BAD_SIGNATURE`.
 *
 * - `NOT_SIGNED`: the package has no signature and unsigned installs are not allowed.
 * - `UNTRUSTED_PUBLISHER`: a well-formed signature by a key neither the app nor the user trusts.
 * - `BAD_SIGNATURE`: the signature does not verify, is malformed, or names another package than the archive.
 * - `PACKAGE_CORRUPT`: the archive is not the one that was signed, or is not a readable package archive.
 * - `UNSAFE_ARCHIVE`: an archive entry breaks a rule of safe extraction (`safe-extract.ts`); the message
 *   names the entry and the rule.
 * - `EXTRACT_FAILED`: a vetted archive could not be written to the staging folder (disk full, permissions).
 * - `DOWNLOAD_REFUSED`: the URL, or a redirect, is not HTTPS (plain HTTP only to loopback when allowed).
 * - `DOWNLOAD_FAILED`: the server answered with an error status or with something that is not an archive.
 * - `DOWNLOAD_TOO_LARGE`: the package is larger than the download cap.
 * - `DOWNLOAD_TIMEOUT`: the download took too long overall, or the server went silent.
 * - `DOWNLOAD_INCOMPLETE`: the connection ended before the whole package arrived.
 * - `ALREADY_INSTALLED`: that version is installed already (reinstall with `force`).
 * - `DOWNGRADE_REFUSED`: an older version than the installed one (install it with `force`).
 * - `INSTALL_FAILED`: the new version was put in place but did not start; the previous one was restored
 *   (`cause` is the start's error).
 * - `REQUIREMENT_UNMET`: the manifest `requires` a service no installed, enabled extension serves at a
 *   matching protocol version; the message names each one.
 */
export type InstallErrorCode = Extract<
  TetherErrorCode,
  | 'NOT_SIGNED'
  | 'UNTRUSTED_PUBLISHER'
  | 'BAD_SIGNATURE'
  | 'PACKAGE_CORRUPT'
  | 'UNSAFE_ARCHIVE'
  | 'EXTRACT_FAILED'
  | 'DOWNLOAD_REFUSED'
  | 'DOWNLOAD_FAILED'
  | 'DOWNLOAD_TOO_LARGE'
  | 'DOWNLOAD_TIMEOUT'
  | 'DOWNLOAD_INCOMPLETE'
  | 'ALREADY_INSTALLED'
  | 'DOWNGRADE_REFUSED'
  | 'INSTALL_FAILED'
  | 'REQUIREMENT_UNMET'
>;

/** Installing an extension package was refused; `code` says why, `message` what to do next. */
export class InstallError extends TetherError<InstallErrorCode> {
  override name = 'InstallError';

  constructor(code: InstallErrorCode, message: string, options?: TetherErrorOptions) {
    super(code, message, options);
  }
}
