// Shared plumbing for the focused browser checks (preview.mjs, views.mjs,
// search.mjs), driven by tests/it/e2e.rs:
//
// * launches the same headless Chromium as walk.mjs (one throwaway profile);
// * watches every page for console errors, page errors, failed requests,
//   HTTP errors and requests leaving the site;
// * collects problems ("PROBLEM <step>: ...", one per line) instead of
//   stopping at the first, and exits 1 if there was any, 0 otherwise;
// * a watchdog ends the script (exit 1) if it hangs.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CHROMIUM = process.env.ROLEBOOK_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 375, height: 800 };

const problems = [];
let step = '(start)';
let checks = 0;

/** Names the step that following problems are blamed on, and logs it. */
export function stepName(name) {
  step = name;
  console.log(`step ${name}`);
}

export function problem(msg) {
  const line = `PROBLEM ${step}: ${msg}`;
  problems.push(line);
  console.log(line);
}

/** Records a problem unless `ok`; returns `ok`. */
export function check(ok, msg) {
  checks++;
  if (!ok) problem(msg);
  return ok;
}

/** Thrown to abandon the current step after a problem that makes the rest meaningless. */
export class StepFailed extends Error {}

export function fail(msg) {
  problem(msg);
  throw new StepFailed(msg);
}

/** Runs `fn`, turning any exception into a problem of this step; later steps still run. */
export async function runStep(name, fn) {
  stepName(name);
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof StepFailed)) problem(`step aborted: ${String(e.message || e).split('\n')[0]}`);
  }
}

/**
 * Reports console errors, page errors, failed requests, HTTP errors and
 * requests for which `inside(url)` is false on `page`. With
 * `allowAborted`, requests that a navigation cut short (net::ERR_ABORTED,
 * e.g. the icon of a page the live preview reloads) are not problems.
 */
export function watch(page, inside, { allowAborted = false } = {}) {
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const loc = msg.location();
    problem(`console error: ${msg.text()}${loc.url ? ` (at ${loc.url}:${loc.lineNumber})` : ''}`);
  });
  page.on('pageerror', (err) => problem(`page error: ${err.message}`));
  page.on('request', (req) => {
    const url = req.url();
    if (/^(data|blob|about):/.test(url)) return;
    if (!inside(url)) problem(`request outside the site: ${req.method()} ${url}`);
  });
  page.on('requestfailed', (req) => {
    const url = req.url();
    if (/^(data|blob|about):/.test(url)) return;
    const why = req.failure()?.errorText ?? 'unknown error';
    if (allowAborted && why === 'net::ERR_ABORTED') return;
    problem(`request failed: ${url} (${why})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problem(`HTTP ${res.status()} for ${res.url()}`);
  });
}

/** Resolves after the page has rendered `n` more frames. */
export async function frames(page, n = 2) {
  await page.evaluate(
    (count) =>
      new Promise((resolve) => {
        let left = count;
        const tick = () => (--left <= 0 ? resolve() : requestAnimationFrame(tick));
        requestAnimationFrame(tick);
      }),
    n,
  );
}

/**
 * Runs `body(context)` in a fresh Chromium profile, then prints the verdict
 * and exits: 1 if any problem was recorded (or the watchdog fired), else 0.
 */
export async function main(name, timeoutMs, body) {
  const watchdog = setTimeout(() => {
    problem(`${name} timed out after ${timeoutMs / 1000}s`);
    console.log(`FAILED: ${problems.length} problem(s)`);
    process.exit(1);
  }, timeoutMs);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolebook-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: DESKTOP,
      locale: 'en-US',
      timezoneId: 'UTC',
      timeout: 60_000,
    });
    context.setDefaultTimeout(10_000);
    context.setDefaultNavigationTimeout(15_000);
    await body(context);
  } catch (e) {
    if (!(e instanceof StepFailed)) problem(`${name} crashed: ${e.stack || e}`);
  } finally {
    if (context) await context.close().catch(() => {});
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  clearTimeout(watchdog);
  if (problems.length > 0) {
    console.log(`FAILED: ${problems.length} problem(s) in ${checks} check(s)`);
    process.exit(1);
  }
  console.log(`OK: ${checks} checks, no problems`);
  process.exit(0);
}

/** A new page in `context` (the persistent context's first tab if still blank). */
export async function newPage(context, inside, options = {}) {
  const blank = context.pages().find((p) => p.url() === 'about:blank' && !p.__rolebookUsed);
  const page = blank ?? (await context.newPage());
  page.__rolebookUsed = true;
  watch(page, inside, options);
  return page;
}
