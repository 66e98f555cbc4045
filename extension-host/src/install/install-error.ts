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
 */
export type InstallErrorCode = Extract<
  TetherErrorCode,
  'NOT_SIGNED' | 'UNTRUSTED_PUBLISHER' | 'BAD_SIGNATURE' | 'PACKAGE_CORRUPT'
>;

/** Installing an extension package was refused; `code` says why, `message` what to do next. */
export class InstallError extends TetherError<InstallErrorCode> {
  override name = 'InstallError';

  constructor(code: InstallErrorCode, message: string, options?: TetherErrorOptions) {
    super(code, message, options);
  }
}
