/**
 * Starts the real app jar for the end-to-end run: a free port on 127.0.0.1, a fresh data folder (the
 * embedded PostgreSQL initialises there), the shipped default model and a random admin token; waits for
 * readiness (model loaded), and stops it with SIGTERM at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface RunningApp {
  url: string;
  adminToken: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => { done(port); });
    });
  });
}

async function awaitReady(url: string, app: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.exitCode !== null) {
      throw new Error(`The app exited with ${app.exitCode} before it was ready; see target/e2e/app.log`);
    }
    try {
      const response = await fetch(`${url}/actuator/health/readiness`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((wait) => setTimeout(wait, 500));
  }
  throw new Error(`The app was not ready within ${timeoutMs / 1000} s; see target/e2e/app.log`);
}

export async function startApp(jar: string, logDir: string): Promise<RunningApp> {
  const jarPath = resolve(jar);
  if (!existsSync(jarPath)) {
    throw new Error(`No app jar at ${jarPath}: build it first (./mvnw -DskipTests package).`);
  }
  const port = await freePort();
  const adminToken = randomBytes(24).toString('base64url');
  const data = mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, 'app.log'));
  const app = spawn('java', [
    // as the README and the Dockerfile start it: batch-1 decode on the Java Vector API kernels
    '--add-modules', 'jdk.incubator.vector',
    '-jar', jarPath,
    `--server.port=${port}`, '--server.address=127.0.0.1',
    `--switchboard.data-dir=${join(data, 'data')}`, `--switchboard.plugins-dir=${join(data, 'plugins')}`,
    // a short window so the heatmap test sees traffic quickly; the token comes through the environment,
    // never the command line, so it is not visible in the process list
    '--switchboard.stats.window=5s',
  ], { env: { ...process.env, SWITCHBOARD_SECURITY_ADMIN_TOKEN: adminToken }, stdio: ['ignore', 'pipe', 'pipe'] });
  app.stdout.pipe(log);
  app.stderr.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  const running = (): boolean => app.exitCode === null && app.signalCode === null;
  const stop = async (): Promise<void> => {
    if (!running()) return;
    const exited = new Promise((done) => app.once('exit', done));
    app.kill('SIGTERM');
    await Promise.race([exited, new Promise((wait) => setTimeout(wait, 60_000))]);
    if (running()) app.kill('SIGKILL');
    app.stdout.destroy();
    app.stderr.destroy();
    log.end();
  };
  try {
    await awaitReady(url, app, 240_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, adminToken, stop };
}
