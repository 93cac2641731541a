// A system owner's day in a real browser: sign in, create an AI system, see a validation error, fix it, edit it,
// read its history, sign out. An auditor can read but not change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, shot, pageAs, auditedPageAt, assertAccessible } from './helpers.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); server?.stop(); });

test('the server prints its address and the demo sign-in details', () => {
  assert.match(server.output, /http:\/\/127\.0\.0\.1:\d+\//);
  assert.match(server.output, /maria\.keller@northwind-lending\.example/);
  assert.match(server.output, /demo-aims-2026!/);
});

test('a contributor creates, corrects, edits an AI system and reads its history', async () => {
  const { base } = server;
  const page = await pageAs(browser, base, 'contributor');
  await shot(page, 'dashboard');
  await page.getByRole('link', { name: 'AI systems', exact: true }).click();
  await page.waitForURL(`${base}/systems`);
  await shot(page, 'systems-list');
  await page.getByRole('link', { name: 'New AI system' }).click();
  // First attempt: no name, so the form comes back with a message next to the field.
  await page.getByLabel('Purpose').fill('Drafts replies to supplier e-mails for the procurement team.');
  await page.getByRole('button', { name: 'Save' }).click();
  const nameError = page.locator('#name-err');
  await assert.doesNotReject(nameError.waitFor());
  assert.match(await nameError.textContent(), /must not be empty/);
  assert.equal(await page.getByLabel('Name').getAttribute('aria-invalid'), 'true');
  await shot(page, 'system-form-error');
  await page.getByLabel('Name').fill('Procurement mail assistant');
  await page.getByLabel('Life-cycle stage').selectOption('design');
  await page.getByLabel('Our role for this system').selectOption('deployer');
  await page.getByLabel('Level of automation').selectOption('advisory');
  await page.getByLabel('Affected parties').fill('suppliers\nprocurement staff');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/\/systems\/[0-9a-f-]{36}$/);
  await assert.doesNotReject(page.getByRole('heading', { name: /Procurement mail assistant/ }).waitFor());
  await shot(page, 'system-detail');
  // Edit: move it to development.
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByLabel('Life-cycle stage').selectOption('development');
  await page.getByLabel('Owner').fill('Head of Procurement');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/\/systems\/[0-9a-f-]{36}$/);
  assert.match(await page.locator('main').textContent(), /Head of Procurement/);
  // History: two entries by this user, newest first.
  await page.getByRole('link', { name: 'History' }).click();
  const rows = page.locator('table.data tbody tr');
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).textContent(), /update/);
  assert.match(await rows.nth(1).textContent(), /create/);
  assert.match(await rows.nth(0).textContent(), /daan\.visser@northwind-lending\.example/);
  await shot(page, 'system-history');
  // The list finds it by search (htmx swaps the table in place).
  await page.goto(`${base}/systems`);
  await page.getByLabel('Search').fill('procurement');
  await page.waitForFunction(() => document.querySelectorAll('#systems-table tbody tr').length === 1);
  assert.match(await page.locator('#systems-table tbody').textContent(), /Procurement mail assistant/);
  // Sign out ends the session.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${base}/login`);
  await page.goto(`${base}/systems`);
  assert.match(page.url(), /\/login\?next=/);
  await page.close();
});

test("a contributor adds a system's dataset and model in the browser and the history names the change", async () => {
  const { context, page } = await auditedPageAt(browser, server, 'contributor', '/systems');
  await page.getByRole('link', { name: /Credit scoring/ }).first().click();
  await page.waitForURL(/\/systems\/[0-9a-f-]{36}$/);
  const detail = page.url();
  await page.getByRole('link', { name: 'Edit' }).click();
  // The last row of each table is the blank one, for adding.
  const dataset = page.locator('#data_resources tbody tr').last();
  await dataset.locator('input[name$=".name"]').fill('Complaints 2025');
  await dataset.locator('select[name$=".category"]').selectOption('validation');
  const model = page.locator('#models tbody tr').last();
  await model.locator('input[name$=".name"]').fill('Complaint classifier');
  await model.locator('input[name$=".version"]').fill('1.2');
  await assertAccessible(page, 'the AI system form');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(detail);
  const main = await page.locator('main').textContent();
  assert.match(main, /Complaints 2025/);
  assert.match(main, /Complaint classifier/);
  await shot(page, 'system-sections');
  await page.getByRole('link', { name: 'History' }).click();
  const newest = await page.locator('table.data tbody tr').first().textContent();
  assert.match(newest, /Data resources/);
  assert.match(newest, /Complaint classifier/);
  await assertAccessible(page, 'the AI system history');
  await context.close();
});

test('an auditor can read everything but cannot edit', async () => {
  const { base } = server;
  const page = await pageAs(browser, base, 'auditor', {});
  await page.goto(`${base}/systems`);
  assert.equal(await page.getByRole('link', { name: 'New AI system' }).count(), 0);
  await page.getByRole('link', { name: /Credit scoring/ }).click();
  assert.equal(await page.getByRole('link', { name: 'Edit' }).count(), 0);
  const res = await page.goto(`${base}/systems/new`);
  assert.equal(res.status(), 403);
  await page.close();
});

test('the other main pages render for a manager', async () => {
  const { base } = server;
  const page = await pageAs(browser, base, 'manager');
  for (const [path, name, text] of [
    ['/context', 'context', /Interested parties/],
    ['/catalog', 'catalog', /ISO\/IEC 42001:2023/],
    ['/catalog/iso42001', 'catalog-iso42001', /A\.6\.2\.4/],
    ['/catalog/iso42001/item?ref=A.5.4', 'catalog-item', /GOVERN/],
  ]) {
    const res = await page.goto(`${base}${path}`);
    assert.equal(res.status(), 200, path);
    assert.match(await page.locator('main').textContent(), text, path);
    await shot(page, name);
  }
  // Half a laptop screen: the navigation and tables still fit without horizontal scrolling of the page.
  await page.setViewportSize({ width: 700, height: 900 });
  await page.goto(`${base}/`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px at 700px`);
  await shot(page, 'dashboard-narrow');
  await page.close();
});
