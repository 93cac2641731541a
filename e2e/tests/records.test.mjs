// The record kit's pages in a real browser: list, form, detail and delete of a context issue, the rows of an
// interested party's requirements, the scope draft form, and no serious or critical accessibility violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, signIn, audit, auditContext, shot } from './helpers.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); server?.stop(); });

test('a context issue is recorded, found, edited and deleted through the kit pages', async () => {
  const { context, page } = await auditContext(browser, { viewport: { width: 1280, height: 900 } });
  const { base } = server;
  await signIn(page, base, 'contributor');
  await page.goto(`${base}/context-issues`);
  await shot(page, 'kit-list');
  await page.getByRole('link', { name: 'New context issue' }).click();
  // Submitting the empty form names the fields at fault.
  await page.getByRole('button', { name: 'Save' }).click();
  assert.match(await page.locator('#title-err').textContent(), /must not be empty/);
  await shot(page, 'kit-form-error');
  await page.getByLabel('Title').fill('Browser-made issue');
  await page.getByLabel('Kind').selectOption('external');
  await page.getByLabel('Climate related').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/\/context-issues\/[0-9a-f-]{36}$/);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Browser-made issue');
  const detail = page.url();
  await shot(page, 'kit-detail');
  // The filtered list finds it.
  await page.goto(`${base}/context-issues`);
  await page.getByLabel('Search').fill('browser-made');
  await page.getByLabel('Climate related').selectOption('true');
  await page.getByRole('button', { name: 'Show' }).click();
  assert.equal(await page.locator('#records tbody tr').count(), 1);
  // Edit, then delete.
  await page.goto(detail);
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByLabel('Title').fill('Browser-made issue, edited');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(detail);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Browser-made issue, edited');
  await page.getByRole('button', { name: 'Delete this context issue' }).click();
  await page.waitForURL(`${base}/context-issues`);
  assert.equal(await page.getByText('Browser-made issue, edited').count(), 0);
  await context.close();
});

test('kit pages have no serious or critical accessibility violations', async () => {
  const { context, page } = await auditContext(browser);
  const { base } = server;
  await signIn(page, base, 'manager');
  await page.goto(`${base}/interested-parties`);
  const party = await page.locator('#records tbody a').first().getAttribute('href');
  for (const path of ['/context-issues', '/context-issues/new', '/interested-parties', party, `${party}/edit`,
    '/suppliers', '/custom-fields', '/context/scope/edit']) {
    await page.goto(`${base}${path}`);
    const bad = await audit(page);
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), [], path);
  }
  await page.goto(`${base}${party}/edit`);
  await shot(page, 'kit-rows-form');
  await context.close();
});
