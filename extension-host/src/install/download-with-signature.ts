import path from 'node:path';
import { isTetherError } from '@tether/sdk';
import { MAX_SIGNATURE_FILE_BYTES, SIGNATURE_FILE_SUFFIX } from '../constants.js';
import { downloadPackage } from './download.js';
import type { DownloadOptions } from './download-options.js';
import type { InstallProgress } from './extension-installer.js';
import { signatureFileFor } from './verify-package-signature.js';

/**
 * Media types accepted for a signature: JSON as it is, plain text, and the generic binary types that file
 * hosts give a file they have no type for (GitHub release assets, S3). The verifier reads it strictly
 * whatever its type, and its size is capped.
 */
const SIGNATURE_MEDIA_TYPES = [
  'application/json',
  'text/plain',
  'application/octet-stream',
  'binary/octet-stream',
];

/** Where a package's signature is on its server: `<url>.sig` (as `tether sign` names it), query kept. */
export function signatureUrlFor(url: URL): URL {
  const signatureUrl = new URL(url);
  signatureUrl.pathname += SIGNATURE_FILE_SUFFIX;
  return signatureUrl;
}

/**
 * Downloads a package and its detached signature (`<url>.sig`, as `tether sign` names it) into `folder`. A
 * signature the server does not have (404) is no signature (the verifier then refuses the package unless
 * unsigned installs are allowed); any other failure to get it fails the install.
 */
export async function downloadWithSignature(
  url: string,
  folder: string,
  options: Pick<DownloadOptions, 'maxBytes' | 'timeoutMs' | 'allowLoopbackHttp'>,
  onProgress: (progress: InstallProgress) => void,
): Promise<{ archive: string; signature: string | undefined }> {
  const archive = path.join(folder, 'package.tgz');
  await downloadPackage(url, archive, {
    ...options,
    onProgress: (progress) => onProgress({ phase: 'download', ...progress }),
  });
  const signature = signatureFileFor(archive);
  try {
    await downloadPackage(signatureUrlFor(new URL(url)).href, signature, {
      ...options,
      maxBytes: MAX_SIGNATURE_FILE_BYTES,
      acceptedMediaTypes: SIGNATURE_MEDIA_TYPES,
    });
    return { archive, signature };
  } catch (error) {
    if (isTetherError(error) && error.code === 'DOWNLOAD_FAILED' && / 404\b/.test(error.message)) {
      return { archive, signature: undefined };
    }
    throw error;
  }
}
