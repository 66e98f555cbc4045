// The public surface of the published packages, as API Extractor reports it: one `<package>/api/*.api.md`
// per entry point of each package's "exports", from the built `.d.ts` files. A change of what the packages
// export shows up in review as a diff of those files.
//
//   node scripts/api-report.mjs           builds, then fails (exit 1) naming each report that differs
//   node scripts/api-report.mjs --update  builds, then rewrites the reports (`npm run api-report`)
//
// test/publish.process.test.ts runs the check.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The published packages, by folder. */
export const PUBLISHED_PACKAGES = ['sdk', 'extension-host', 'create-tether-extension'];

/** The report's file name for an export key: `.` → `sdk.api.md`, `./wire` → `sdk-wire.api.md`. */
export function reportFileName(folder, key) {
  return key === '.' ? `${folder}.api.md` : `${folder}-${key.slice(2).replaceAll('/', '-')}.api.md`;
}

/** Each entry point: its package folder, export key and built `.d.ts`. */
export function entryPoints() {
  return PUBLISHED_PACKAGES.flatMap((folder) => {
    const manifest = JSON.parse(readFileSync(path.join(root, folder, 'package.json'), 'utf8'));
    return Object.entries(manifest.exports)
      .filter(([, target]) => typeof target === 'object')
      .map(([key, target]) => ({ folder, key, types: path.join(root, folder, target.types) }));
  });
}

/**
 * Runs API Extractor on every entry; returns the reports that differ (rewritten when `update`), and the
 * entries whose `.d.ts` is missing (an export that points at nothing).
 */
export function checkApiReports({ update = false } = {}) {
  const temp = mkdtempSync(path.join(tmpdir(), 'tether-api-'));
  const changed = [];
  const missing = [];
  // A package whose declarations are those its reports were last made from cannot have another API:
  // API Extractor (a TypeScript program per entry, seconds each) runs only for the others.
  const unchanged = new Set(
    update
      ? []
      : PUBLISHED_PACKAGES.filter((folder) => readRecordedHash(folder) === declarationsHash(folder)),
  );
  try {
    for (const { folder, key, types } of entryPoints()) {
      if (!existsSync(types)) {
        missing.push(`${folder} "${key}" (${path.relative(root, types)})`);
        continue;
      }
      if (unchanged.has(folder)) continue;
      if (update) mkdirSync(path.join(root, folder, 'api'), { recursive: true });
      const config = ExtractorConfig.prepare({
        configObject: {
          projectFolder: path.join(root, folder),
          mainEntryPointFilePath: types,
          compiler: {
            overrideTsconfig: {
              compilerOptions: {
                target: 'ES2022',
                lib: ['ES2023', 'DOM', 'DOM.Iterable'],
                module: 'NodeNext',
                moduleResolution: 'NodeNext',
                strict: true,
                types: ['node'],
              },
              include: [types],
            },
          },
          apiReport: {
            enabled: true,
            reportFolder: path.join(root, folder, 'api'),
            reportTempFolder: temp,
            reportFileName: reportFileName(folder, key),
          },
          docModel: { enabled: false },
          dtsRollup: { enabled: false },
          tsdocMetadata: { enabled: false },
          messages: {
            compilerMessageReporting: { default: { logLevel: 'warning' } },
            // Release tags (@public, @beta) are not used: what an entry exports is public.
            extractorMessageReporting: {
              default: { logLevel: 'warning' },
              'ae-missing-release-tag': { logLevel: 'none', addToApiReportFile: false },
              // A type the surface uses but no entry exports: kept in the report, for review.
              'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: true },
              // Documentation is reviewed as documentation, not here.
              'ae-undocumented': { logLevel: 'none', addToApiReportFile: false },
              'ae-unresolved-link': { logLevel: 'none', addToApiReportFile: false },
            },
            tsdocMessageReporting: { default: { logLevel: 'none' } },
          },
        },
        configObjectFullPath: undefined,
        packageJsonFullPath: path.join(root, folder, 'package.json'),
      });
      const result = Extractor.invoke(config, {
        localBuild: update,
        messageCallback: (message) => {
          if (
            message.logLevel === ExtractorLogLevel.Warning ||
            message.logLevel === ExtractorLogLevel.Error
          ) {
            process.stderr.write(`${folder} ${key}: ${message.formatMessageWithLocation(root)}\n`);
          }
          message.handled = true;
        },
      });
      if (result.apiReportChanged) changed.push(path.join(folder, 'api', reportFileName(folder, key)));
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  if (update) {
    for (const folder of PUBLISHED_PACKAGES) {
      writeFileSync(path.join(root, folder, 'api', HASH_FILE), `${declarationsHash(folder)}\n`);
    }
  }
  return { changed, missing };
}

/** Where each package's api/ folder records the hash of the declarations its reports were made from. */
const HASH_FILE = 'declarations.sha256';

function readRecordedHash(folder) {
  try {
    return readFileSync(path.join(root, folder, 'api', HASH_FILE), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** A hash of every built `.d.ts` of the package (path and content). */
export function declarationsHash(folder) {
  const dist = path.join(root, folder, 'dist');
  const hash = createHash('sha256');
  const files = existsSync(dist)
    ? readdirSync(dist, { recursive: true })
        .map(String)
        .filter((file) => file.endsWith('.d.ts'))
        .map((file) => file.split(path.sep).join('/'))
        .sort()
    : [];
  for (const file of files)
    hash
      .update(`${file}\0`)
      .update(readFileSync(path.join(dist, file)))
      .update('\0');
  return hash.digest('hex');
}

/** Builds the published packages' dist (incremental: quick when they are up to date). */
export function buildPackages() {
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules/typescript/bin/tsc'),
      '-b',
      ...PUBLISHED_PACKAGES.map((folder) => path.join(root, folder, 'tsconfig.build.json')),
    ],
    { stdio: 'inherit' },
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const update = process.argv.includes('--update');
  buildPackages();
  const { changed, missing } = checkApiReports({ update });
  if (missing.length > 0) {
    process.stderr.write(
      `Exports without a built .d.ts: ${missing.join(', ')}. Fix the package's "exports".\n`,
    );
    process.exitCode = 1;
  }
  if (changed.length === 0) process.stdout.write('API reports are up to date.\n');
  else if (update) process.stdout.write(`API reports rewritten: ${changed.join(', ')}. Review the diff.\n`);
  else {
    process.stderr.write(
      `The public API changed: ${changed.join(', ')}. If that is intended, run "npm run api-report" and ` +
        'commit the reports with the change.\n',
    );
    process.exit(1);
  }
}
