import { describe, expect, it } from 'vitest';
import { codeBlocks, namedFiles } from './code-blocks.js';

const markdown = [
  'Intro.',
  '```ts',
  '// counter.ts — the contract',
  'export const a = 1;',
  '```',
  '```sh',
  'npm test',
  '```',
  '<!-- file: node_modules/@acme/contract/package.json -->',
  '```json',
  '{ "type": "module" }',
  '```',
  '```ts',
  'const fragment = 1;',
  '```',
  '```ts',
  '// src/plugin.ts',
  "import { a } from '../counter.js';",
  '```',
  '',
].join('\n');

describe('codeBlocks', () => {
  it('takes the ts blocks that name their file on their first line', () => {
    expect(codeBlocks(markdown).map((block) => block.file)).toEqual(['counter.ts', 'src/plugin.ts']);
    expect(codeBlocks(markdown)[0]!.code).toBe('// counter.ts — the contract\nexport const a = 1;\n');
  });
});

describe('namedFiles', () => {
  it('also takes any block after a file comment, and skips unnamed ones', () => {
    expect(namedFiles(markdown)).toEqual([
      { file: 'counter.ts', code: '// counter.ts — the contract\nexport const a = 1;\n' },
      { file: 'node_modules/@acme/contract/package.json', code: '{ "type": "module" }\n' },
      { file: 'src/plugin.ts', code: "// src/plugin.ts\nimport { a } from '../counter.js';\n" },
    ]);
  });
});
