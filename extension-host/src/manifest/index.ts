// Extension manifests: the `tether` section of an extension's package.json, validated, and the host check.
export {
  runnerKinds,
  DEFAULT_RUNNER,
  activationKinds,
  DEFAULT_ACTIVATION,
  manifestKeys,
  crashLimitKeys,
  contributesKeys,
  commandKeys,
  type RunnerKind,
  type ActivationKind,
  type ManifestCommand,
  type CrashLimit,
  type ExtensionManifest,
} from './manifest.js';
export { readManifest, parseManifest, checkEntryPath, MAX_DISPLAY_NAME_LENGTH } from './parse-manifest.js';
export { InvalidManifestError } from './invalid-manifest-error.js';
export { checkHostCompatibility, type HostCompatibilityOptions } from './check-host-compatibility.js';
export { HOST_VERSION } from './host-version.js';
