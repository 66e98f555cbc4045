// The code blocks of a Markdown document that name their file: the README's and the guides' examples,
// written out and compiled by tests. Two ways to name it:
// - a ```ts block whose first line is a comment naming a `.ts` file (`// greeter.ts — the contract`);
// - any fenced block directly after the line `<!-- file: path/to/file.ext -->` (a package.json, …).

export interface CodeBlock {
  /** The file the block names (a path relative to the example's folder). */
  readonly file: string;
  readonly code: string;
}

/** The ```ts blocks that name their file on their first line, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  return [...markdown.matchAll(/```ts\n(\/\/ (\S+\.ts)[^\n]*\n[\s\S]*?)```/g)].map((match) => ({
    file: match[2]!,
    code: match[1]!,
  }));
}

/** Every block that names its file, either way, in order. */
export function namedFiles(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  for (const match of markdown.matchAll(/(?:<!-- file: (\S+) -->\n\n?)?```[a-z]*\n([\s\S]*?)```/g)) {
    const code = match[2]!;
    const file = match[1] ?? /^\/\/ (\S+\.ts)\b/.exec(code)?.[1];
    if (file !== undefined) blocks.push({ file, code });
  }
  return blocks;
}
