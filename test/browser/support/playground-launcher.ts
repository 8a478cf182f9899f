import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const READY = /^playground: ready (http:\/\/\S+) \(Panelist (http:\/\/\S+),/m;
const STARTUP_MS = 150_000;

/**
 * `npm run playground`'s own launcher (scripts/playground.mjs) as a child process, on free ports and
 * the test's database: what a developer runs is what the browser test drives.
 */
export class PlaygroundLauncher {
  /** everything the launcher, Panelist and the Playground printed, for a failing test's message */
  output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly playgroundUrl: string,
    readonly panelistUrl: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  static async start(env: Record<string, string>): Promise<PlaygroundLauncher> {
    const fullEnv: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(await freePort()),
      PLAYGROUND_PORT: String(await freePort()),
      METRICS_PORT: 'off',
      DIGEST_CLOCK: 'false',
      LOG_LEVEL: 'warn',
      ...env,
    };
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'playground.mjs')], {
      cwd: ROOT,
      env: fullEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the launcher was not ready within ${STARTUP_MS / 1000} s:\n${output}`)), STARTUP_MS);
      const read = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = READY.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match);
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the launcher exited (${code}) before it was ready:\n${output}`));
      });
    });
    const launcher = new PlaygroundLauncher(child, ready[1]!, ready[2]!, fullEnv);
    launcher.output = output;
    const keep = (chunk: Buffer) => {
      launcher.output += chunk.toString('utf8');
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    return launcher;
  }

  /** Ctrl-C, as a developer would stop it: the launcher stops Panelist and the Playground, then exits. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGINT');
    await exited;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
