/**
 * One app for the whole end-to-end run: started before the first test file, stopped after the last.
 * Without Chromium the run stops at once with one line saying what to install.
 */
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startApp, type RunningApp } from './appServer';
import { CHROMIUM, MISSING_CHROMIUM } from './chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    appUrl: string;
    adminToken: string;
  }
}

let app: RunningApp | undefined;

export async function setup(project: TestProject): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.error(MISSING_CHROMIUM);
    process.exit(1);
  }
  app = await startApp(process.env.SWITCHBOARD_JAR ?? '../app/target/switchboard.jar', 'target/e2e');
  project.provide('appUrl', app.url);
  project.provide('adminToken', app.adminToken);
}

export async function teardown(): Promise<void> {
  await app?.stop();
}
