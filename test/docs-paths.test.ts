// Docs stay true (STYLE.md 17): every repository path the README and docs/ name in backticks or links exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const topFolders = [
  'create-tether-extension',
  'sdk',
  'extension-host',
  'app',
  'bench',
  'docs',
  'scripts',
  'test',
  'sample-extensions',
  '.ci',
];
/** Build outputs the docs may name: they exist once built (`npm run build -w app`), never in a fresh clone. */
const buildOutputs = ['app/renderer/dist'];

const documents = [
  'README.md',
  ...['sdk', 'extension-host', 'create-tether-extension'].map((folder) => `${folder}/README.md`),
  ...['docs', 'docs/guides'].flatMap((folder) =>
    readdirSync(join(root, folder))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `${folder}/${name}`),
  ),
];

/** Paths a document names: `folder/…` in backticks, and relative Markdown link targets. */
function namedPaths(text: string, document: string): string[] {
  const found = new Set<string>();
  const inBackticks = new RegExp(
    `\`((?:${topFolders.map((f) => f.replace('.', '\\.')).join('|')})/[^\`\\s*]*)\``,
    'g',
  );
  for (const match of text.matchAll(inBackticks)) found.add(match[1]!);
  for (const match of text.matchAll(/\]\((?!https?:|#|mailto:)([^)\s#]+)(?:#[^)]*)?\)/g)) {
    found.add(join(dirname(document), match[1]!));
  }
  return [...found].map((path) => path.replace(/[:.,;]+$/, '').replace(/:\d+$/, ''));
}

describe('docs name only paths that exist', () => {
  it.each(documents)('%s', (document) => {
    const text = readFileSync(join(root, document), 'utf8');
    const missing = namedPaths(text, document).filter(
      (path) => !buildOutputs.some((output) => path.startsWith(output)) && !existsSync(join(root, path)),
    );
    expect(missing).toEqual([]);
  });
});
