// @tether/sdk — what a plugin author imports. Wire internals live in '@tether/sdk/wire'.
export * from './errors/index.js';
export type { Disposable } from './common/disposable.js';
export type { Event } from './common/event.js';
