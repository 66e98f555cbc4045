// Every file of a new project, as text: package.json, tsconfig.json and .gitignore made here, the sources
// and README copied from the template folder with the project's names and cookie filled in.
import { readFile } from 'node:fs/promises';
import { TEMPLATE_FILES } from './constants.js';
import type { HandshakeCookie } from './handshake-cookie.js';
import { displayNameOf, projectPackageJson, tarballName } from './package-json.js';

export interface ProjectFilesOptions {
  /** The npm package name, already valid. */
  readonly name: string;
  /** The version of the Tether packages to depend on (the scaffolder's own). */
  readonly tetherVersion: string;
  readonly handshake: HandshakeCookie;
  /** The template folder (default: the package's `template/`). */
  readonly templateDir?: URL;
}

/** The template folder shipped with this package (one level above src/ and dist/ alike). */
export const TEMPLATE_DIR = new URL('../template/', import.meta.url);

/** Strict, NodeNext, no skipLibCheck: the settings the Tether packages are tested under. */
const tsconfig = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    verbatimModuleSyntax: true,
    types: ['node'],
    rootDir: 'src',
    outDir: 'dist',
  },
  include: ['src'],
};

const gitignore = ['node_modules/', 'dist/', 'packages/', '*.tgz', '*.tgz.sig', '*-private.pem', ''].join(
  '\n',
);

/** A `{{TOKEN}}` in a template file (a form Prettier leaves alone in Markdown and TypeScript alike). */
const placeholder = /\{\{([A-Z][A-Z_]*)\}\}/g;

/** Fills every placeholder of `text`; a placeholder with no value is a bug in the template, so it throws. */
export function fillPlaceholders(
  text: string,
  values: Readonly<Record<string, string>>,
  file: string,
): string {
  return text.replace(placeholder, (token, key: string) => {
    const value = values[key];
    if (value === undefined)
      throw new Error(`The template file ${file} has an unknown placeholder ${token}.`);
    return value;
  });
}

/** Every file of the project: its path (`/`-separated, relative to the project) → its text. */
export async function projectFiles(options: ProjectFilesOptions): Promise<Map<string, string>> {
  const { name, tetherVersion, handshake, templateDir = TEMPLATE_DIR } = options;
  const values: Record<string, string> = {
    PROJECT_NAME: name,
    DISPLAY_NAME: displayNameOf(name),
    COOKIE_KEY: handshake.cookieKey,
    COOKIE_VALUE: handshake.cookieValue,
    TARBALL: tarballName(name),
  };
  const files = new Map<string, string>([
    ['package.json', projectPackageJson({ name, tetherVersion, handshake })],
    ['tsconfig.json', `${JSON.stringify(tsconfig, null, 2)}\n`],
    ['.gitignore', gitignore],
  ]);
  for (const file of TEMPLATE_FILES) {
    const text = await readFile(new URL(file, templateDir), 'utf8');
    files.set(file, fillPlaceholders(text, values, file));
  }
  return files;
}
