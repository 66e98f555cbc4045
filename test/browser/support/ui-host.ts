// A real host for the browser tests: a ManagerTestbed (real extension processes, the manager fixture
// extension) behind the web host (`serveWebUi`), serving the built UI bundle — what `npm start` runs.
import type { ExtensionHostManager } from '../../../extension-host/src/manager/extension-host-manager.js';
import type { ExtensionHostManagerOptions } from '../../../extension-host/src/manager/manager-options.js';
import {
  ManagerTestbed,
  type FixtureExtension,
} from '../../../extension-host/src/manager/test-fixtures/manager-testbed.js';
import {
  serveWebUi,
  type WebUiOptions,
  type WebUiServer,
} from '../../../extension-host/src/web/web-ui-server.js';
import { ensureUiBundle } from './ui-bundle.js';

/** The web host's options a test may choose. */
export type UiHostWebOptions = Pick<WebUiOptions, 'extraOrigins'>;

export class UiHost {
  readonly bed: ManagerTestbed;
  readonly manager: ExtensionHostManager;
  #server: WebUiServer;
  readonly #bundle: string;
  readonly #web: UiHostWebOptions;

  private constructor(
    bed: ManagerTestbed,
    manager: ExtensionHostManager,
    server: WebUiServer,
    bundle: string,
    web: UiHostWebOptions,
  ) {
    this.bed = bed;
    this.manager = manager;
    this.#server = server;
    this.#bundle = bundle;
    this.#web = web;
  }

  get server(): WebUiServer {
    return this.#server;
  }

  /**
   * A host with these extensions (in its development folder), its web UI listening on 127.0.0.1 with the
   * `web` options (the origins it accepts besides its own).
   */
  static async start(
    extensions: readonly FixtureExtension[],
    options: Partial<ExtensionHostManagerOptions> = {},
    web: UiHostWebOptions = {},
  ): Promise<UiHost> {
    const [bundle, bed] = await Promise.all([ensureUiBundle(), ManagerTestbed.create()]);
    for (const extension of extensions) await bed.addExtension(extension);
    const manager = await bed.manager(options);
    const server = await serveWebUi({ ...web, manager, staticRoot: bundle });
    return new UiHost(bed, manager, server, bundle, web);
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
        this.#server = await serveWebUi({
          ...this.#web,
          manager: this.manager,
          staticRoot: this.#bundle,
          port,
          token,
        });
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
