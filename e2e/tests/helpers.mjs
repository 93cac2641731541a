// Shared set-up of the browser tests: a real `aims serve --demo` on a free loopback port with a fresh store, and
// Debian's Chromium driven headless by playwright-core.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import net from 'node:net';

export const PASSWORD = 'demo-aims-2026!';
export const USERS = {
  admin: 'admin@northwind-lending.example',
  manager: 'maria.keller@northwind-lending.example',
  contributor: 'daan.visser@northwind-lending.example',
  auditor: 'elif.aydin@northwind-lending.example',
  viewer: 'henrik.lindqvist@northwind-lending.example',
};
export const ARTIFACTS = resolve(process.env.AIMS_E2E_ARTIFACTS ?? '../test-artifacts/screenshots');
mkdirSync(ARTIFACTS, { recursive: true });

function freePort() {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
    s.on('error', fail);
  });
}

/** Starts `aims serve --demo` on a new SQLite store; resolves when it prints its address. */
export async function startServer() {
  const bin = process.env.AIMS_BIN;
  if (!bin) throw new Error('AIMS_BIN must point at the aims binary (scripts/test sets it)');
  const dir = mkdtempSync(join(tmpdir(), 'aims-e2e-'));
  const port = await freePort();
  const child = spawn(bin, ['--database', join(dir, 'aims.db'), 'serve', '--demo', '--bind', `127.0.0.1:${port}`], {
    cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AIMS_DATABASE_URL: '' },
  });
  let out = '';
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start: ${out}`)), 30000);
    child.stdout.on('data', (d) => { out += d; if (out.includes('Press Ctrl-C')) { clearTimeout(timer); ok(); } });
    child.stderr.on('data', (d) => { out += d; });
    child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`server exited ${code}: ${out}`)); });
  });
  return { base: `http://127.0.0.1:${port}`, output: out, stop: () => child.kill('SIGTERM') };
}

/** Headless Debian Chromium with the flags this machine needs. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.AIMS_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-quic', '--disable-sync'],
  });
}

/** Signs in through the sign-in form and waits for the dashboard. */
export async function signIn(page, base, who) {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(USERS[who]);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
}

/** A new page (1280 × 900 unless `options` say otherwise) signed in as `who`. */
export async function pageAs(browser, base, who, options = { viewport: { width: 1280, height: 900 } }) {
  const page = await browser.newPage(options);
  await signIn(page, base, who);
  return page;
}

/** A new page (as [pageAs]) signed in as `who` and opened at `path`. */
export async function pageAt(browser, base, who, path) {
  const page = await pageAs(browser, base, who);
  await page.goto(`${base}${path}`);
  return page;
}

/**
 * A browser context for accessibility checks, whose pages run axe-core (the pages' CSP forbids injected scripts,
 * so the context bypasses CSP; test-only), with a first page on it.
 */
export async function auditContext(browser, options = {}) {
  const context = await browser.newContext({ bypassCSP: true, ...options });
  return { context, page: await context.newPage() };
}

/**
 * An [auditContext] of a 1280 × 900 window on the `server` of [startServer], whose first page is signed in as `who`
 * and opened at `path`; with the server's address as `base`.
 */
export async function auditedPageAt(browser, server, who, path) {
  const { base } = server;
  const { context, page } = await auditContext(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(page, base, who);
  await page.goto(`${base}${path}`);
  return { context, page, base };
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core on the page (of an [auditContext]); resolves to its serious and critical violations. */
export async function audit(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => await globalThis.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Asserts that axe-core finds no serious or critical violation on the page; `label` names the page on failure. */
export async function assertAccessible(page, label) {
  const bad = await audit(page);
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`), [], label);
}

/** Follows the link that `link` (the options of a `getByRole('link')` lookup) names, and waits for `url`. */
export async function followLink(page, link, url) {
  await page.getByRole('link', link).click();
  await page.waitForURL(url);
}

/** Saves a full-page screenshot under the artifacts folder. */
export async function shot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
