// The TypeScript blocks of a Markdown document that name their file on their first line
// (`// greeter.ts — …`): the README's and the guides' examples, written out and compiled by tests.

export interface CodeBlock {
  /** The file the block names (a path relative to the example's folder). */
  readonly file: string;
  readonly code: string;
}

export function codeBlocks(markdown: string): CodeBlock[] {
  return [...markdown.matchAll(/```ts\n(\/\/ (\S+\.ts)[^\n]*\n[\s\S]*?)```/g)].map((match) => ({
    file: match[2]!,
    code: match[1]!,
  }));
}
