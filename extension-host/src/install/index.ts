// Installing extensions: packages, their signatures and the keys an app and its user trust.
export { InstallError, type InstallErrorCode } from './install-error.js';
export {
  verifyPackageSignature,
  signatureFileFor,
  type VerifyPackageOptions,
  type VerifiedPackage,
} from './verify-package-signature.js';
export {
  trustedKey,
  loadAppTrustedKeys,
  checkPublisherName,
  type TrustedKey,
  type TrustSource,
  type AppTrustedKeyConfig,
} from './trusted-key.js';
export { TrustStore, type TrustStoreListing } from './trust-store.js';
export { keyIdOf, isKeyId } from './key-id.js';
export { signPackage, type SignPackageOptions, type SignedPackage } from './sign-package.js';
export {
  generateSigningKeys,
  DEFAULT_KEY_NAME,
  type GenerateSigningKeysOptions,
  type SigningKeys,
} from './generate-signing-keys.js';
export {
  packExtension,
  packageArchiveName,
  type PackExtensionOptions,
  type PackedExtension,
} from './pack-extension.js';
export {
  SIGNATURE_FORMAT,
  SIGNATURE_FORMAT_VERSION,
  SIGNATURE_ALGORITHM,
  type PackageSignatureDocument,
  type SignedFields,
} from './package-signature.js';
export {
  scanPackageArchive,
  inspectPackageArchive,
  ARCHIVE_PACKAGE_JSON,
  type ArchiveScan,
  type ArchiveManifest,
  type ScanOptions,
} from './inspect-package-archive.js';
export { downloadPackage, type DownloadedPackage } from './download.js';
export type { DownloadOptions, DownloadProgress } from './download-options.js';
export type { InstallOptions, InstallProgress, InstallStep } from './extension-installer.js';
export { extensionHome, type ActiveRecord } from './install-layout.js';
