// Installing a package the user picked or dropped (the .tgz, with its .sig beside it when signed): its bytes
// stream to the host (`installPackage`), whose answer is the install's progress — `download` while the bytes
// arrive, then verify, extract, activate, trial-start, done — or its InstallError, whose code says why it was
// refused.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorCode, errorText } from '../common/error-text.js';
import { followStream } from '../connection/follow-stream.js';
import type { InstallProgress, ManagerRemote } from '../connection/host-types.js';

export type InstallPhase = InstallProgress['phase'];

/** The steps in order, as the bar shows them. */
export const installSteps: readonly InstallPhase[] = [
  'download',
  'verify',
  'extract',
  'activate',
  'trial-start',
  'done',
];

export const installStepLabels: Readonly<Record<InstallPhase, string>> = {
  download: 'Upload',
  verify: 'Verify signature',
  extract: 'Extract',
  activate: 'Activate',
  'trial-start': 'Trial start',
  done: 'Installed',
};

export interface InstallRun {
  readonly fileName: string;
  /** The latest step reached. */
  readonly phase: InstallPhase | undefined;
  readonly bytes: number;
  readonly total: number | undefined;
  /** 0 to 1. */
  readonly fraction: number;
  readonly result: Extract<InstallProgress, { phase: 'done' }> | undefined;
  readonly error: { readonly code: string | undefined; readonly text: string } | undefined;
}

export interface InstallOptionsState {
  readonly allowUnsigned: boolean;
  readonly force: boolean;
}

/** Codes that mean "we would not trust this package" (the message says so first). */
const signatureCodes = new Set(['NOT_SIGNED', 'UNTRUSTED_PUBLISHER', 'BAD_SIGNATURE', 'PACKAGE_CORRUPT']);

/** The package among picked or dropped files, and its signature file (`<package>.sig`, or the one .sig). */
export function packageFiles(files: readonly File[]): {
  archive: File | undefined;
  signature: File | undefined;
} {
  const archive = files.find((f) => f.name.endsWith('.tgz'));
  const signatures = files.filter((f) => f.name.endsWith('.sig'));
  const signature =
    signatures.find((f) => archive !== undefined && f.name === `${archive.name}.sig`) ??
    (signatures.length === 1 ? signatures[0] : undefined);
  return { archive, signature };
}

/** A headline for a failed install, from its code. */
export function installFailureHeadline(code: string | undefined): string {
  if (code !== undefined && signatureCodes.has(code))
    return 'Install refused: the package signature was not accepted';
  if (code === 'UNSAFE_ARCHIVE') return 'Install refused: the archive is unsafe';
  if (code === 'ALREADY_INSTALLED' || code === 'DOWNGRADE_REFUSED') return 'Install refused';
  return 'Install failed';
}

function fractionOf(progress: InstallProgress, total: number | undefined): number {
  const stepShare = 1 / (installSteps.length - 1);
  if (progress.phase === 'download') {
    const of = progress.total ?? total;
    return of === undefined || of === 0 ? 0 : Math.min(1, progress.bytes / of) * stepShare;
  }
  return Math.min(1, installSteps.indexOf(progress.phase) * stepShare);
}

export function useInstall(api: ManagerRemote | undefined): {
  readonly run: InstallRun | undefined;
  readonly install: (files: readonly File[], options: InstallOptionsState) => void;
  readonly dismiss: () => void;
} {
  const [run, setRun] = useState<InstallRun | undefined>(undefined);
  const stop = useRef<(() => void) | undefined>(undefined);
  useEffect(() => () => stop.current?.(), []);

  const install = useCallback(
    (files: readonly File[], options: InstallOptionsState) => {
      if (api === undefined) return;
      stop.current?.();
      const { archive, signature } = packageFiles(files);
      const fileName = archive?.name ?? files[0]?.name ?? '(no file)';
      const total = archive?.size;
      const started: InstallRun = {
        fileName,
        phase: undefined,
        bytes: 0,
        total,
        fraction: 0,
        result: undefined,
        error: undefined,
      };
      if (archive === undefined) {
        setRun({
          ...started,
          error: {
            code: 'INVALID_ARGUMENT',
            text: 'Choose an extension package: a .tgz file (and its .sig).',
          },
        });
        return;
      }
      setRun(started);
      const update = (change: (current: InstallRun) => InstallRun): void =>
        setRun((current) =>
          current === undefined || current.fileName !== fileName ? current : change(current),
        );
      stop.current = followStream(
        async () =>
          api.installPackage(archive.name, archive.stream(), {
            size: archive.size,
            ...(signature === undefined ? {} : { signature: await signature.text() }),
            ...(options.allowUnsigned ? { allowUnsigned: true } : {}),
            ...(options.force ? { force: true } : {}),
          }),
        {
          item: (progress) =>
            update((current) => ({
              ...current,
              phase: progress.phase,
              bytes: progress.phase === 'download' ? progress.bytes : current.bytes,
              fraction: Math.max(current.fraction, fractionOf(progress, total)),
              result: progress.phase === 'done' ? progress : current.result,
            })),
          error: (error) => {
            const code = errorCode(error);
            const hint =
              code === 'NOT_SIGNED' && signature === undefined
                ? ' Choose or drop the package together with its .sig file (or allow unsigned packages).'
                : '';
            update((current) => ({ ...current, error: { code, text: `${errorText(error)}${hint}` } }));
          },
        },
      );
    },
    [api],
  );

  const dismiss = useCallback(() => {
    stop.current?.();
    stop.current = undefined;
    setRun(undefined);
  }, []);

  return { run, install, dismiss };
}
