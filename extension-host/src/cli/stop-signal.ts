// How a host in a terminal learns it must stop: Ctrl-C (SIGINT), SIGTERM or SIGHUP.

const stopSignals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Aborts on the first SIGINT, SIGTERM or SIGHUP; later ones only print, on stderr, that `name` is still
 * stopping. The handlers stay until the process exits: a signal during the stop must not kill the host
 * half-way, with extensions left running.
 */
export function signalOnStop(name: string): AbortSignal {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      process.stderr.write(
        `${name}: ${signal} again; still stopping the extensions (each within its stop grace).\n`,
      );
      return;
    }
    controller.abort();
  };
  for (const signal of stopSignals) process.on(signal, onSignal);
  return controller.signal;
}

/** Resolves when `signal` aborts (at once if it has). */
export function stopRequested(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
