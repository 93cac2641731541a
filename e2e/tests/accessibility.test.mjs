// Automated accessibility check with axe-core on the main pages: no serious or critical violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, signIn, audit, auditContext } from './helpers.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); server?.stop(); });

test('main pages have no serious or critical accessibility violations', async () => {
  const { context, page } = await auditContext(browser);
  const { base } = server;
  await page.goto(`${base}/login`);
  let bad = await audit(page);
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help}`), [], 'login');
  await signIn(page, base, 'manager');
  const first = await page.evaluate(() => document.querySelector('#systems-table a, table a')?.getAttribute('href'));
  for (const path of ['/', '/systems', '/systems/new', '/context', '/catalog', '/catalog/iso42001',
    '/catalog/iso42001/item?ref=A.6.2.4', '/account']) {
    await page.goto(`${base}${path}`);
    bad = await audit(page);
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), [], path);
  }
  await page.goto(`${base}/systems`);
  const detail = await page.locator('#systems-table tbody a').first().getAttribute('href');
  for (const path of [detail, `${detail}/history`, `${detail}/edit`]) {
    await page.goto(`${base}${path}`);
    bad = await audit(page);
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), [], path);
  }
  assert.ok(first === null || typeof first === 'string');
  await context.close();
});

test('the sign-in form works with the keyboard alone', async () => {
  const page = await browser.newPage();
  const { base } = server;
  await page.goto(`${base}/login`);
  await page.keyboard.type('viewer-does-not-exist@northwind-lending.example');
  await page.keyboard.press('Tab');
  await page.keyboard.type('wrong password');
  await page.keyboard.press('Enter');
  await page.waitForLoadState();
  assert.match(await page.getByRole('alert').textContent(), /Email or password is wrong/);
  await page.close();
});
