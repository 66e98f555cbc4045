// @tether/sdk/wire — the wire layer's building blocks: transports, the mux and the value codec.
export type { Transport, TransportCloseEvent } from './transport/transport.js';
export type { MuxChannel, MuxCloseEvent, MuxRole, MuxSessionOptions } from './mux/mux-types.js';
export type { CodecHooks, HookValue } from './codec/codec-types.js';
export { Emitter } from './common/event.js';
export { DisposableStore, toDisposable } from './common/disposable.js';
