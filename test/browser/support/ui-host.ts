// A real host for the browser tests: a ManagerTestbed (real extension processes, the manager fixture
// extension) behind the web host (`serveWebUi`), serving the built UI bundle — what `npm start` runs.
import type { ExtensionHostManager } from '../../../extension-host/src/manager/extension-host-manager.js';
import type { ExtensionHostManagerOptions } from '../../../extension-host/src/manager/manager-options.js';
import {
  ManagerTestbed,
  type FixtureExtension,
} from '../../../extension-host/src/manager/test-fixtures/manager-testbed.js';
import { serveWebUi, type WebUiServer } from '../../../extension-host/src/web/web-ui-server.js';
import { ensureUiBundle } from './ui-bundle.js';

export class UiHost {
  readonly bed: ManagerTestbed;
  readonly manager: ExtensionHostManager;
  #server: WebUiServer;
  readonly #bundle: string;

  private constructor(
    bed: ManagerTestbed,
    manager: ExtensionHostManager,
    server: WebUiServer,
    bundle: string,
  ) {
    this.bed = bed;
    this.manager = manager;
    this.#server = server;
    this.#bundle = bundle;
  }

  get server(): WebUiServer {
    return this.#server;
  }

  /** A host with these extensions (in its development folder), its web UI listening on 127.0.0.1. */
  static async start(
    extensions: readonly FixtureExtension[],
    options: Partial<ExtensionHostManagerOptions> = {},
  ): Promise<UiHost> {
    const [bundle, bed] = await Promise.all([ensureUiBundle(), ManagerTestbed.create()]);
    for (const extension of extensions) await bed.addExtension(extension);
    const manager = await bed.manager(options);
    const server = await serveWebUi({ manager, staticRoot: bundle });
    return new UiHost(bed, manager, server, bundle);
  }

  /**
   * Closes the web host (every page loses its connection) and serves again on the same port with the same
   * token once `reopen` is called — what a host restart looks like to an open page.
   */
  async closeServer(): Promise<{ reopen: () => Promise<void> }> {
    const { port, token } = this.#server;
    await this.#server.close();
    return {
      reopen: async () => {
        this.#server = await serveWebUi({ manager: this.manager, staticRoot: this.#bundle, port, token });
      },
    };
  }

  /** The page's URL, with the token. */
  get url(): string {
    return this.server.url;
  }

  async dispose(): Promise<void> {
    await this.server.close();
    await this.bed.dispose();
  }
}
