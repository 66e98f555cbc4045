// The manager's half of an install (ExtensionHostManager.install): once the installer has put a verified
// version in place, the manager tries it — the new version must start and finish its handshake — and, if it
// does not, stops it, restores the previous version (or removes the new one) and says so (INSTALL_FAILED).
import { TetherError } from '@tether/sdk';
import { rollbackInstall, type StagedInstall } from '../install/extension-installer.js';
import { InstallError } from '../install/install-error.js';
import type { InstallResult } from './extension-host-manager.js';
import type { ManagedExtension } from './managed-extension.js';

/** What the trial needs from the manager. */
export interface InstallTrialContext {
  /** The extension with this id now (after a rescan), if any. */
  find(id: string): ManagedExtension | undefined;
  /** Looks at the extension folders again. */
  rescan(): Promise<void>;
}

/**
 * Starts the installed version (left running if `wasRunning`, stopped again otherwise; a disabled one is
 * not started). On failure: the previous state is restored and INSTALL_FAILED thrown, with the cause.
 */
export async function tryInstalled(
  staged: StagedInstall,
  wasRunning: boolean,
  context: InstallTrialContext,
): Promise<void> {
  const extension = context.find(staged.id);
  try {
    if (extension === undefined || extension.state === 'invalid') {
      const problems = extension?.snapshot().problems ?? ['it was not found after it was put in place'];
      throw new TetherError('EXTENSION_INVALID', `${staged.id}@${staged.version}: ${problems.join('; ')}`);
    }
    if (!extension.snapshot().enabled) {
      // A disabled extension is not started to try it; it was verified and its manifest checked.
    } else {
      await extension.restart();
      if (!wasRunning) await extension.stop();
    }
  } catch (error) {
    // First stop the failed version: the supervisor may have a restart of it scheduled, which would race
    // with the removal of its folder below (and count as one more crash).
    await extension?.stop().catch(() => undefined);
    await rollbackInstall(staged);
    await context.rescan();
    const restored = context.find(staged.id);
    if (restored !== undefined) {
      if (wasRunning) await restored.start().catch(() => undefined);
      else if (restored.state === 'crashed' || restored.state === 'failed')
        await restored.stop().catch(() => undefined);
    }
    const what =
      staged.before === undefined ? 'it was removed again' : `version ${staged.before.version} was restored`;
    throw new InstallError(
      'INSTALL_FAILED',
      `${staged.id}@${staged.version} was installed but did not start (${error instanceof Error ? error.message : String(error)}); ${what}.`,
      { cause: error },
    );
  }
}

/** What an install that was committed reports (`InstallResult`, the `done` progress item). */
export function installResultOf(staged: StagedInstall): InstallResult {
  return {
    id: staged.id,
    version: staged.version,
    ...(staged.before === undefined || staged.before.version === staged.version
      ? {}
      : { previousVersion: staged.before.version }),
    signed: staged.verified.signed,
    ...(staged.verified.keyId === undefined ? {} : { keyId: staged.verified.keyId }),
    ...(staged.verified.publisher === undefined ? {} : { publisher: staged.verified.publisher }),
  };
}
