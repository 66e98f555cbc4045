import path from 'node:path';
import { isTetherError } from '@tether/sdk';
import { MAX_SIGNATURE_FILE_BYTES } from '../constants.js';
import { downloadPackage } from './download.js';
import type { DownloadOptions } from './download-options.js';
import type { InstallProgress } from './extension-installer.js';
import { signatureFileFor } from './verify-package-signature.js';

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
  const signatureUrl = new URL(url);
  signatureUrl.pathname += '.sig';
  try {
    await downloadPackage(signatureUrl.href, signature, {
      ...options,
      maxBytes: MAX_SIGNATURE_FILE_BYTES,
      acceptedMediaTypes: ['application/json', 'text/plain'],
    });
    return { archive, signature };
  } catch (error) {
    if (isTetherError(error) && error.code === 'DOWNLOAD_FAILED' && / 404\b/.test(error.message)) {
      return { archive, signature: undefined };
    }
    throw error;
  }
}
