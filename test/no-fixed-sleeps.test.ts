// No test sleeps a fixed time and then asserts (issue 10 point 9): on a loaded machine the sleep ends before
// the work it waits for, and the test fails. Tests wait for the condition itself, with waitFor from
// sdk/src/test-support/wait-for.ts (or an event, or a promise). This guard reads every *.test.ts and fails on
// each timer sleep in it:
//   - a call of setTimeout / setInterval / scheduler.wait imported from node:timers/promises;
//   - a `new Promise` whose executor hands its resolve function to a timer (`setTimeout(resolve, n)`).
// A timer that rejects (a deadline) is no sleep. A sleep stays only when its statement starts with a comment
// that says why, in one of two forms:
//   `// negative check: <why no barrier (round trip, event) can show it>` — nothing but time can show that
//      something did NOT happen (a loaded machine makes such a check weaker, never false);
//   `// not a wait: <what the timer is for>` — the time is part of the scenario (pacing samples), and no
//      assertion depends on other work having happened meanwhile.
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const SCANNED = [
  'sdk',
  'extension-host',
  'create-tether-extension',
  'sample-extensions',
  'app',
  'bench',
  'test',
];
const MARKER = /(?:negative check|not a wait):\s*(.*)/s;
/** The explanation after the marker must say something (a few words at least). */
const MIN_REASON_CHARS = 20;

/**
 * Sleeps in files whose owners had other work in progress when this guard came in: each must be replaced by
 * waitFor (then its entry goes). The counts are exact, so the list can only shrink.
 */
const KNOWN: Readonly<Record<string, number>> = {};

export interface Sleep {
  readonly line: number;
  readonly text: string;
  /** The negative-check reason, when the statement is marked. */
  readonly reason: string | undefined;
}

/** Every timer sleep in `source` (a test file's text). */
export function findSleeps(fileName: string, source: string): Sleep[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const sleepFunctions = new Set<string>(); // setTimeout/setInterval from timers/promises, by local name
  const schedulers = new Set<string>(); // `scheduler` from timers/promises, by local name
  const namespaces = new Set<string>(); // import * as x from 'node:timers/promises'
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (!/^(node:)?timers\/promises$/.test(statement.moduleSpecifier.text)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings === undefined) continue;
    if (ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
    else
      for (const element of bindings.elements) {
        const imported = (element.propertyName ?? element.name).text;
        if (imported === 'setTimeout' || imported === 'setInterval') sleepFunctions.add(element.name.text);
        if (imported === 'scheduler') schedulers.add(element.name.text);
      }
  }

  const isPromisesSleep = (call: ts.CallExpression): boolean => {
    const callee = call.expression;
    if (ts.isIdentifier(callee)) return sleepFunctions.has(callee.text);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    const owner = callee.expression;
    const name = callee.name.text;
    if (ts.isIdentifier(owner) && namespaces.has(owner.text))
      return name === 'setTimeout' || name === 'setInterval';
    const isScheduler =
      (ts.isIdentifier(owner) && schedulers.has(owner.text)) ||
      (ts.isPropertyAccessExpression(owner) &&
        owner.name.text === 'scheduler' &&
        ts.isIdentifier(owner.expression) &&
        namespaces.has(owner.expression.text));
    return isScheduler && name === 'wait';
  };

  /** `new Promise((resolve) => …setTimeout(resolve, n)… )`, or a timer callback that calls resolve. */
  const isTimerPromise = (node: ts.NewExpression): boolean => {
    if (!ts.isIdentifier(node.expression) || node.expression.text !== 'Promise') return false;
    const executor = node.arguments?.[0];
    if (executor === undefined || !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor)))
      return false;
    const resolveParam = executor.parameters[0]?.name;
    if (resolveParam === undefined || !ts.isIdentifier(resolveParam)) return false;
    const resolve = resolveParam.text;
    const callsResolve = (fn: ts.Node): boolean => {
      let found = false;
      const visit = (n: ts.Node): void => {
        if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === resolve)
          found = true;
        else ts.forEachChild(n, visit);
      };
      visit(fn);
      return found;
    };
    let found = false;
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && isGlobalTimer(n.expression)) {
        const callback = n.arguments[0];
        if (callback !== undefined) {
          if (ts.isIdentifier(callback) && callback.text === resolve) found = true;
          if (
            (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) &&
            callsResolve(callback.body)
          )
            found = true;
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(executor.body);
    return found;
  };

  const sleeps: Sleep[] = [];
  const visit = (node: ts.Node): void => {
    const flagged =
      (ts.isCallExpression(node) && isPromisesSleep(node)) ||
      (ts.isNewExpression(node) && isTimerPromise(node));
    if (flagged) {
      const statement = enclosingStatement(node);
      const comments = (ts.getLeadingCommentRanges(source, statement.getFullStart()) ?? [])
        .map((range) => source.slice(range.pos, range.end).replace(/^\/\/\s?|^\/\*+|\*+\/$/gm, ''))
        .join(' ');
      const reason = MARKER.exec(comments)?.[1]?.replace(/\s+/g, ' ').trim();
      sleeps.push({
        line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1,
        text: node.getText().replace(/\s+/g, ' ').slice(0, 80),
        reason: reason !== undefined && reason.length >= MIN_REASON_CHARS ? reason : undefined,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return sleeps;
}

function isGlobalTimer(callee: ts.Expression): boolean {
  const name = ts.isIdentifier(callee)
    ? callee.text
    : ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(callee.expression) &&
        callee.expression.text === 'globalThis'
      ? callee.name.text
      : undefined;
  return name === 'setTimeout' || name === 'setInterval';
}

/** The statement a node belongs to, whose leading comment marks it. */
function enclosingStatement(node: ts.Node): ts.Node {
  let current = node;
  while (
    current.parent !== undefined &&
    !ts.isBlock(current.parent) &&
    !ts.isSourceFile(current.parent) &&
    !ts.isCaseClause(current.parent) &&
    !ts.isDefaultClause(current.parent)
  )
    current = current.parent;
  return current;
}

/** The test files a clone has (git's tracked files; a walk of the folders where git is absent). */
function testFiles(): string[] {
  const listed = spawnSync('git', ['ls-files', '-z', '--', ...SCANNED.map((top) => `${top}/**/*.test.ts`)], {
    cwd: root,
    encoding: 'utf8',
  });
  // (A tracked file deleted in the working tree is not read.)
  if (listed.status === 0)
    return listed.stdout.split('\0').filter((path) => path !== '' && existsSync(join(root, path)));
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.test.ts')) files.push(relative(root, path));
    }
  };
  for (const top of SCANNED) {
    try {
      walk(join(root, top));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return files.sort();
}

describe('no fixed sleeps in tests', () => {
  it('finds the sleeps it must and passes what is no sleep', () => {
    const found = findSleeps(
      'sample.test.ts',
      `import { setTimeout as sleep, scheduler } from 'node:timers/promises';
import * as timers from 'timers/promises';
await sleep(20);
await new Promise((resolve) => setTimeout(resolve, 20));
await new Promise<void>((done) => globalThis.setTimeout(() => done(), 5));
await scheduler.wait(10);
await timers.setTimeout(10);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
// negative check: too short
await sleep(1);
// negative check: nothing can show that no second close event follows, so give it the time to.
await sleep(100);
while (flooding) {
  // not a wait: pings are spaced while the flood runs; the test asserts on the longest.
  await new Promise((resolve) => setTimeout(resolve, 50));
}
// Not sleeps: a deadline that rejects, a timed action, a turn of the event loop.
await new Promise((_, reject) => setTimeout(() => reject(new Error('late')), 1000));
setTimeout(() => controller.abort(), 50);
await new Promise((resolve) => setImmediate(resolve));
`,
    );
    expect(found.map((s) => [s.line, s.reason !== undefined])).toEqual([
      [3, false],
      [4, false],
      [5, false],
      [6, false],
      [7, false],
      [8, false],
      [10, false],
      [12, true],
      [15, true],
    ]);
  });

  it('no test file sleeps and then asserts (wait for the condition; see sdk/src/test-support/wait-for.ts)', () => {
    const files = testFiles();
    expect(files.length).toBeGreaterThan(50);
    const problems: string[] = [];
    for (const path of files) {
      const unmarked = findSleeps(path, readFileSync(join(root, path), 'utf8')).filter(
        (s) => s.reason === undefined,
      );
      const known = KNOWN[path];
      if (known !== undefined) {
        if (unmarked.length !== known)
          problems.push(
            `${path}: KNOWN says ${known} sleep(s), found ${unmarked.length}; ` +
              'update its entry in test/no-fixed-sleeps.test.ts (remove it once the file has none).',
          );
        continue;
      }
      for (const sleep of unmarked)
        problems.push(
          `${path}:${sleep.line}: ${sleep.text} — wait for the condition instead (waitFor from ` +
            "sdk/src/test-support/wait-for.ts, an event or a promise); if it only gives something the chance to go wrong, start the statement with '// negative check: <why nothing else can show it>' (or '// not a wait: <what the timer paces>').",
        );
    }
    for (const path of Object.keys(KNOWN))
      if (!files.includes(path)) problems.push(`${path} is in KNOWN but gone: remove its entry.`);
    expect(problems).toEqual([]);
  });
});
