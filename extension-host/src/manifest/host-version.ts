/**
 * The version of this Tether host (the `@tether/extension-host` package), which extension manifests'
 * `host` ranges are checked against. Kept equal to package.json's version (a test guards it).
 */
export const HOST_VERSION = '0.1.0';
