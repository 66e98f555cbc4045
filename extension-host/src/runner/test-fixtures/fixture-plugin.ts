// Test fixture for the runners: a plain Node script (not a Tether plugin) whose behaviour is picked by its
// first argument (go-plugin's helperProcess). Started by the runner tests through tsx's loader.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';

const mode = process.argv[2];
const stayAlive = (): void => {
  setInterval(() => {}, 60_000);
};

switch (mode) {
  case 'connect': {
    // Connects to the host's socket and says hello; exits when the host closes the connection.
    const socket = connect(process.env.TETHER_SOCKET ?? '');
    socket.on('connect', () => socket.write('hello'));
    socket.on('close', () => process.exit(0));
    socket.on('error', () => process.exit(2));
    break;
  }
  case 'exit-early':
    process.stderr.write('starting up\nboom: the configuration file is missing\n');
    process.exitCode = 3;
    break;
  case 'output': {
    process.stdout.write('first\r\nsecond\n');
    process.stdout.write(`${'x'.repeat(1024 * 1024)}\n`);
    // A multi-byte character split across two writes.
    const euro = Buffer.from('€');
    process.stdout.write(euro.subarray(0, 1));
    setTimeout(() => {
      process.stdout.write(Buffer.concat([euro.subarray(1), Buffer.from(' after split\n')]));
      process.stderr.write('last line without a newline');
    }, 20);
    break;
  }
  case 'flood': {
    // Writes many stderr lines as fast as the pipe takes them, then reports on stdout and exits.
    const total = Number(process.argv[3]);
    const line = `${'e'.repeat(100)}\n`;
    let written = 0;
    const pump = (): void => {
      while (written < total) {
        written++;
        if (!process.stderr.write(`${written} ${line}`)) {
          process.stderr.once('drain', pump);
          return;
        }
      }
      process.stdout.write(`flood done ${written}\n`);
    };
    pump();
    break;
  }
  case 'env':
    process.stdout.write(`${JSON.stringify(process.env)}\n`);
    break;
  case 'ignore-term':
    process.on('SIGTERM', () => process.stdout.write('got SIGTERM, ignoring it\n'));
    process.stdout.write('ready\n');
    stayAlive();
    break;
  case 'grandchild': {
    // Starts a grandchild that ignores SIGTERM, in the plugin's process group, and reports its pid.
    const grandchild = spawn(
      process.execPath,
      [
        '-e',
        "process.on('SIGTERM', () => {}); setInterval(() => {}, 60000); process.stdout.write('gc ready\\n');",
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    grandchild.stdout.once('data', () => process.stdout.write(`grandchild ${grandchild.pid}\n`));
    stayAlive();
    break;
  }
  default:
    process.stderr.write(`fixture-plugin: unknown mode ${mode}\n`);
    process.exitCode = 64;
}
