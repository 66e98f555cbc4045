// `create-tether-extension --help`, and the usage line printed with a command-line error.

export const usage = 'Usage: npm create tether-extension <dir> [-- --name <package-name>]';

export const help = `create-tether-extension: a new Tether extension project, ready to build and run

${usage}
       npx create-tether-extension <dir> [--name <package-name>]

Writes into <dir> (made when missing; it must be empty, or hold only .git):
  package.json     the "tether" manifest (entry dist/plugin.js, the "counter" service, a
                   fresh magic cookie), and the scripts build, test and start
  tsconfig.json    strict, NodeNext, compiled to dist/
  src/contract.ts  the service both sides import: a method, an event and a stream
  src/counter.ts   the service's implementation
  src/plugin.ts    the plugin process: serve() with the implementation
  src/host.ts      a host: starts the plugin, calls it, prints, stops it
  src/plugin.test.ts  tests with @tether/sdk/testing (node --test)
  README.md, .gitignore

Then:
  cd <dir>
  npm install
  npm test         compile, then run the tests
  npm start        compile, then run the host

Options:
  --name <name>    The package name (the extension's id). Default: the folder's name,
                   which must then be a valid npm package name.
  -h, --help       Show this help.
  -v, --version    Print the version (the Tether version the project depends on).

Exit status: 0 written; 1 failed while writing; 2 bad command line, invalid name, or
a folder that is not empty (nothing written).
`;
