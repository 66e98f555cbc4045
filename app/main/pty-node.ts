// The Node the app's TTY extensions run with, for the build's RunAsNode fuse (./run-as-node.ts).
import { hostNode, nodeFromPath, type NodeCommandSource } from '@tether/extension-host';

/** The Node the app's pty runner uses, for a build with the fuse `runAsNode`. */
export function ptyNode(
  runAsNode: boolean,
  env: Readonly<Record<string, string | undefined>> = process.env,
): NodeCommandSource {
  if (runAsNode) return hostNode();
  return () =>
    nodeFromPath(
      env,
      "This app is built with Electron's RunAsNode fuse off, so its TTY extensions run with a Node.js on PATH",
    );
}
