// The command palette (Ctrl/Cmd+Shift+P): the commands extensions contribute, filtered fuzzily as you type;
// Enter runs the highlighted one (asking for its arguments first when its manifest describes some) and shows
// what it returned, or its error.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import { errorText } from '../common/error-text.js';
import type { ContributedCommand, ManagerRemote } from '../connection/host-types.js';
import { jsonReplacer } from '../logs/log-buffer.js';
import { PALETTE_MAX_RESULTS } from '../constants.js';
import { fuzzyFilter, type FuzzyMatch } from './fuzzy-match.js';

type Outcome =
  | { readonly kind: 'running'; readonly command: ContributedCommand }
  | { readonly kind: 'result'; readonly command: ContributedCommand; readonly text: string }
  | { readonly kind: 'error'; readonly command: ContributedCommand; readonly text: string };

/**
 * Parses typed arguments: a JSON array, or comma-separated JSON values (`"clicks", 2`), or else the whole text
 * as one string (`Buy milk`).
 */
export function parseArguments(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    const value: unknown = JSON.parse(trimmed.startsWith('[') ? trimmed : `[${trimmed}]`);
    return Array.isArray(value) ? value : [value];
  } catch {
    return [trimmed];
  }
}

/** How to type arguments (parseArguments' rule); the command's own description is in the label. */
const ARGUMENTS_PLACEHOLDER = 'JSON values separated by commas ("clicks", 2), or text as it is (Buy milk)';

function resultText(value: unknown): string {
  if (value === undefined) return 'Done (no result).';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, jsonReplacer, 2) ?? typeof value;
  } catch {
    return `(a ${typeof value} that cannot be shown as JSON)`;
  }
}

export function CommandPalette(props: {
  readonly api: ManagerRemote | undefined;
  readonly onClose: () => void;
}): ReactElement {
  const { api, onClose } = props;
  const [commands, setCommands] = useState<readonly ContributedCommand[] | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | undefined>(undefined);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [asking, setAsking] = useState<ContributedCommand | undefined>(undefined);
  const [argumentText, setArgumentText] = useState('');
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (api === undefined) return;
    let current = true;
    api.commands().then(
      (list) => current && setCommands(list),
      (e: unknown) => current && setLoadError(errorText(e)),
    );
    return () => {
      current = false;
    };
  }, [api]);

  useEffect(() => input.current?.focus(), [asking]);

  const matches = useMemo(
    () => fuzzyFilter(query, commands ?? [], (c) => `${c.title} ${c.id}`).slice(0, PALETTE_MAX_RESULTS),
    [query, commands],
  );

  const execute = (command: ContributedCommand, args: unknown[]): void => {
    if (api === undefined) return;
    setAsking(undefined);
    setOutcome({ kind: 'running', command });
    api.executeCommand(command.id, args).then(
      (value) => setOutcome({ kind: 'result', command, text: resultText(value) }),
      (e: unknown) => setOutcome({ kind: 'error', command, text: errorText(e) }),
    );
  };

  const choose = (command: ContributedCommand | undefined): void => {
    if (command === undefined) return;
    if (command.arguments !== undefined) {
      setAsking(command);
      setArgumentText('');
    } else execute(command, []);
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      if (asking !== undefined) setAsking(undefined);
      else onClose();
    } else if (asking !== undefined) {
      if (event.key === 'Enter') {
        event.preventDefault();
        execute(asking, parseArguments(argumentText));
      }
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((i) => Math.min(matches.length - 1, i + 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => Math.max(0, i - 1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      choose(matches[active]?.item);
    }
  };

  const activeId = matches[active] === undefined ? undefined : `palette-item-${active}`;
  return (
    <div className="palette-backdrop" onMouseDown={onClose}>
      <div
        className="palette"
        role="dialog"
        aria-modal="true"
        aria-label="Command palette"
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={onKeyDown}
      >
        {asking === undefined ? (
          <input
            ref={input}
            role="combobox"
            aria-label="Command"
            aria-expanded="true"
            aria-controls="palette-list"
            aria-activedescendant={activeId}
            aria-autocomplete="list"
            placeholder="Type a command"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setActive(0);
            }}
          />
        ) : (
          <label className="palette-arguments">
            {asking.title}: arguments ({asking.arguments})
            <input
              ref={input}
              aria-label="Arguments"
              placeholder={ARGUMENTS_PLACEHOLDER}
              value={argumentText}
              onChange={(e) => setArgumentText(e.target.value)}
            />
          </label>
        )}
        {asking === undefined && (
          <ul id="palette-list" role="listbox" aria-label="Commands">
            {matches.map(({ item, match }, index) => (
              <li
                key={item.id}
                id={`palette-item-${index}`}
                role="option"
                aria-selected={index === active}
                className={index === active ? 'active' : ''}
                onMouseEnter={() => setActive(index)}
                onClick={() => choose(item)}
              >
                <Highlighted text={item.title} match={match} />
                <span className="command-id">{item.id}</span>
                <span className="command-extension">{item.extension}</span>
              </li>
            ))}
            {commands !== undefined && matches.length === 0 && <li className="empty">No matching command</li>}
            {commands === undefined && loadError === undefined && (
              <li className="empty">Loading commands…</li>
            )}
          </ul>
        )}
        {loadError !== undefined && (
          <p role="alert" className="error">
            The commands could not be listed: {loadError}
          </p>
        )}
        {outcome !== undefined && (
          <div className={`palette-outcome ${outcome.kind}`} role="status" aria-label="Command result">
            <strong>{outcome.command.title}</strong>
            {outcome.kind === 'running' ? (
              <span> running…</span>
            ) : (
              <pre className={outcome.kind === 'error' ? 'error' : ''}>
                {outcome.kind === 'error' ? `Failed — ${outcome.text}` : outcome.text}
              </pre>
            )}
          </div>
        )}
      </div>
    </div>
  );
}

function Highlighted(props: { readonly text: string; readonly match: FuzzyMatch }): ReactElement {
  const { text, match } = props;
  // Indices beyond the title are in the id (the palette matches both): only the title's are marked.
  const marked = new Set(match.indices.filter((i) => i < text.length));
  return (
    <span className="command-title">
      {[...text].map((char, index) =>
        marked.has(index) ? <mark key={index}>{char}</mark> : <span key={index}>{char}</span>,
      )}
    </span>
  );
}
