// Risk management in a real browser: a contributor records a risk and finds it on the heat map, plans its
// treatment with an added task row; a manager filters the Statement of Applicability and sees why approval is
// refused; an impact assessment raises a risk; an AI system is classified under the EU AI Act; a manager changes
// the risk method, whose grid is resized before it is saved; a contributor adds an own control that then shows in
// the Statement of Applicability. axe-core finds no serious or critical violations on these pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launch, shot, pageAs, pageAt, assertAccessible, auditedPageAt, followLink,
} from './helpers.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); server?.stop(); });

const RISK = 'Chatbot invents refund rules';

test('a contributor records a risk, finds it on the heat map and plans its treatment', async () => {
  const { base } = server;
  const page = await pageAs(browser, base, 'contributor');
  await followLink(page, { name: 'Risks', exact: true }, `${base}/risks`);
  await assert.doesNotReject(page.getByRole('group', { name: /Inherent risk heat map/ }).waitFor());
  await shot(page, 'risk-register');

  await page.getByRole('link', { name: 'New risk' }).click();
  await page.getByLabel('Title').fill(RISK);
  await page.getByLabel('Description').fill('The support assistant states refund conditions that do not exist.');
  await page.getByLabel('Risk owner').fill('Head of Customer Service');
  await page.getByRole('checkbox', { name: 'Customer-support assistant' }).check();
  await page.getByRole('checkbox', { name: /C\.3\.4/ }).check();
  await page.getByRole('checkbox', { name: /C\.2\.5 Fairness/ }).check();
  for (const [which, l, i] of [['inherent', '5', '5'], ['current', '4', '4'], ['residual', '2', '2']]) {
    await page.locator(`#assessment-${which}-likelihood`).selectOption(l);
    await page.locator(`#assessment-${which}-impact`).selectOption(i);
  }
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/\/risks\/[0-9a-f-]{36}$/);
  const riskUrl = page.url();
  await assert.doesNotReject(page.getByRole('heading', { name: new RegExp(RISK) }).waitFor());
  assert.match(await page.locator('main').textContent(), /Critical/);
  await shot(page, 'risk-detail');

  // The inherent heat map counts it at likelihood 5 × impact 5; the cell is a link reached with the keyboard.
  await page.goto(`${base}/risks`);
  const cell = page.getByRole('group', { name: /Inherent risk heat map/ })
    .getByRole('link', { name: /at likelihood 5 \(Almost certain\) and impact 5 \(Severe\)/ });
  await cell.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/which=inherent&l=5&i=5/);
  assert.match(await page.locator('#register').textContent(), new RegExp(RISK));
  await shot(page, 'risk-heatmap-cell');

  // Search narrows the register in place (htmx).
  await page.goto(`${base}/risks`);
  await page.getByLabel('Search').fill('refund rules');
  await page.waitForFunction(() => document.querySelectorAll('#register tbody tr').length === 1);
  assert.match(await page.locator('#register tbody').textContent(), new RegExp(RISK));

  // A treatment plan: add a task row with the button, name a control, save.
  await page.goto(riskUrl);
  await page.getByRole('link', { name: 'Plan treatment' }).first().click();
  const rows = page.locator('#task-rows tr');
  const before = await rows.count();
  await page.getByRole('button', { name: 'Add a task' }).click();
  assert.equal(await rows.count(), before + 1);
  await page.getByRole('checkbox', { name: /A\.6\.2\.4/ }).check();
  await page.locator('input[name="tasks[0].title"]').fill('Ground answers in the help centre');
  await page.locator(`input[name="tasks[${before}].title"]`).fill('Weekly review of flagged chats');
  await page.getByLabel('What will be done').fill('Answer only from approved help content.');
  await shot(page, 'treatment-form');
  await page.getByRole('button', { name: 'Save plan' }).click();
  await page.waitForURL(/\/risks\/[0-9a-f-]{36}#treatments$/);
  const plan = await page.locator('#treatments').textContent();
  assert.match(plan, /Ground answers in the help centre/);
  assert.match(plan, /Weekly review of flagged chats/);
  // A contributor cannot accept the residual risk.
  assert.equal(await page.getByRole('link', { name: 'Accept residual risk' }).count(), 0);
  await page.close();
});

test('a manager filters the Statement of Applicability and sees why approval is refused', async () => {
  const { base } = server;
  const page = await pageAs(browser, base, 'manager');
  await followLink(page, { name: 'SoA', exact: true }, `${base}/soa`);
  await shot(page, 'soa');
  await page.getByLabel('Status').selectOption('partial');
  await page.waitForFunction(() => [...document.querySelectorAll('#soa-lines tbody tr')]
    .every((tr) => tr.textContent.includes('partial')));
  assert.match(page.url(), /status=partial/);
  assert.ok(await page.locator('#soa-lines tbody tr').count() > 0);

  // Exclude a control a risk treatment relies on: the line has a problem and approval is refused.
  await page.goto(`${base}/controls/A.6.2.4`);
  await page.getByLabel('Status').selectOption('not_applicable');
  await page.getByLabel('Justification for exclusion').fill('Models are bought, not built.');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(`${base}/controls/A.6.2.4`);
  assert.match(await page.locator('main').textContent(), /Stops approval/);
  await shot(page, 'control');
  await page.goto(`${base}/soa`);
  await page.getByText('Approve this Statement of Applicability').click();
  await page.getByLabel('Their role').fill('Chief Executive Officer');
  await page.getByRole('button', { name: 'Approve as a new version' }).click();
  const alert = page.getByRole('alert');
  await assert.doesNotReject(alert.waitFor());
  assert.match(await alert.textContent(), /cannot be approved yet/);
  assert.match(await alert.textContent(), /A\.6\.2\.4/);
  await shot(page, 'soa-approve-problems');

  // Put it back and look at the versions and a comparison.
  await page.goto(`${base}/controls/A.6.2.4`);
  await page.getByLabel('Status').selectOption('implemented');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(`${base}/controls/A.6.2.4`);
  await page.goto(`${base}/soa/versions`);
  await shot(page, 'soa-versions');
  await page.goto(`${base}/soa/diff`);
  await shot(page, 'soa-diff');
  await page.close();
});

test('an impact assessment walks through the template and raises a risk for a harm above appetite', async () => {
  const { base } = server;
  const page = await pageAs(browser, base, 'contributor');
  await followLink(page, { name: 'Impact assessments' }, `${base}/impact-assessments`);
  await shot(page, 'impact-list');
  await page.getByRole('link', { name: 'New impact assessment' }).click();
  const value = await page.locator('#system option', { hasText: 'Customer-support assistant' }).getAttribute('value');
  await page.getByLabel(/^AI system required/).selectOption(value);
  await page.getByLabel('AI system impact assessment', { exact: true }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await assert.doesNotReject(page.getByRole('group', { name: /Benefits and harms/ }).waitFor());
  await page.getByLabel('Title').fill('Support assistant — pilot assessment');
  await page.locator('#scope').fill('The chat assistant in web and app, pilot phase.');
  const parties = page.locator('#affected-rows tr');
  const n = await parties.count();
  await page.getByRole('button', { name: 'Add a party' }).click();
  assert.equal(await parties.count(), n + 1);
  await page.locator(`input[name="affected[${n}].name"]`).fill('older customers');
  await page.locator('#impacts-0-area').selectOption('economic');
  await page.locator('#impacts-0-description').fill('Wrong refund terms lead customers to give up money they are owed.');
  await page.locator('#impacts-0-severity').selectOption('4');
  await page.locator('#impacts-0-likelihood').selectOption('4');
  await page.locator('#impacts-0-affected').fill('older customers');
  await shot(page, 'impact-form');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.waitForURL(/\/impact-assessments\/[0-9a-f-]{36}$/);
  const impacts = await page.locator('#impacts').textContent();
  assert.match(impacts, /above appetite/);
  assert.ok(await page.locator('#impact-0 a[href^="/risks/"]').count() === 1, 'the raised risk is linked');
  await shot(page, 'impact-detail');
  await page.close();
});

test('an AI system is classified under the EU AI Act from its detail page', async () => {
  const { base } = server;
  const page = await pageAt(browser, base, 'contributor', '/systems');
  await page.getByRole('link', { name: 'E-mail spam and phishing filter' }).click();
  await page.getByRole('link', { name: 'EU AI Act classification' }).first().click();
  await page.waitForURL(/\/systems\/[0-9a-f-]{36}\/classification$/);
  await page.locator('#questionnaire > summary').evaluate((s) => { s.parentElement.open = true; });
  // Submitting with questions left open names them.
  await page.evaluate(() => document.querySelectorAll('#questionnaire input[type=radio], #questionnaire input[type=checkbox]')
    .forEach((r) => { r.checked = false; }));
  await page.getByRole('button', { name: /^Classify/ }).click();
  await assert.doesNotReject(page.getByRole('alert').waitFor());
  assert.ok(await page.locator('fieldset.question.invalid').count() > 0);
  await page.locator('input[type=radio][value=no]').evaluateAll((els) => els.forEach((r) => { r.checked = true; }));
  await page.getByRole('button', { name: /^Classify/ }).click();
  await page.waitForURL(/\/classification#result$/);
  const result = page.locator('#result');
  assert.match(await result.textContent(), /Minimal risk/);
  assert.ok(await result.locator('a[href^="/catalog/eu-ai-act/item"]').count() > 0, 'provisions link to the catalogue');
  await shot(page, 'classification');
  await page.close();
});

test('the risk, SoA, impact and classification pages have no serious or critical accessibility violations', async () => {
  const { context, page, base } = await auditedPageAt(browser, server, 'manager', '/risks');
  const risk = await page.locator('#register tbody a[href^="/risks/"]').first().getAttribute('href');
  const treatment = await (async () => {
    await page.goto(`${base}${risk}`);
    return page.locator('a[href$="/edit"][href*="/treatments/"]').first().getAttribute('href');
  })();
  await page.goto(`${base}/impact-assessments`);
  const assessment = await page.locator('#impacts-table tbody a[href^="/impact-assessments/"]').first().getAttribute('href');
  await page.goto(`${base}/systems`);
  const system = await page.locator('#systems-table tbody a').first().getAttribute('href');
  const paths = ['/risks', '/risks?which=inherent&l=3&i=4', risk, `${risk}/edit`, `${risk}/assess`, '/risks/new',
    `${risk}/treatments/new`, treatment, '/soa', '/soa?problems=1', '/soa/versions', '/soa/versions/1', '/soa/diff',
    '/controls/A.6.2.4', '/controls', '/controls?add=1', '/risks/method', '/risks/method/edit', '/impact-assessments', '/impact-assessments/new', assessment,
    `/impact-assessments/new?system=${system.split('/').pop()}&template=eu-fria`, `${system}/classification`, '/'];
  for (const path of paths) {
    await page.goto(`${base}${path}`);
    await assertAccessible(page, path);
  }
  // Half a laptop screen: the register and the SoA still read well.
  await page.setViewportSize({ width: 720, height: 900 });
  await page.goto(`${base}/risks`);
  await shot(page, 'risk-register-narrow');
  await page.goto(`${base}/soa`);
  await assertAccessible(page, '/soa at 720px');
  await context.close();
});

test('a manager changes the risk method: a sixth likelihood point resizes the matrix before it is saved', async () => {
  const { context, page, base } = await auditedPageAt(browser, server, 'manager', '/risks');
  await followLink(page, { name: 'Risk method', exact: true }, `${base}/risks/method`);
  await assert.doesNotReject(page.getByRole('heading', { name: /Risk method/ }).first().waitFor());
  assert.match(await page.locator('table.matrix').textContent(), /5 · Almost certain/);
  await shot(page, 'risk-method');

  await followLink(page, { name: 'Change the method' }, `${base}/risks/method/edit`);
  await shot(page, 'risk-method-form');
  await page.locator('input[name="likelihood[5].label"]').fill('Constant');
  await page.locator('input[name="likelihood[5].description"]').fill('Happens every day.');
  await page.getByLabel('Why this version').fill('A sixth likelihood point for what happens daily.');
  await page.getByRole('button', { name: /^Save as version/ }).click();
  const alert = page.getByRole('alert');
  await assert.doesNotReject(alert.waitFor());
  assert.match(await alert.textContent(), /resized/);
  assert.equal(await page.locator('select[name^="matrix["]').count(), 30, 'the grid has a sixth row');
  assert.equal(await page.locator('#matrix-5-0[aria-invalid="true"]').count(), 1, 'the new cells are marked');
  await assertAccessible(page, 'resized form');
  await shot(page, 'risk-method-resized');
  for (let i = 0; i < 5; i += 1) {
    await page.locator(`#matrix-5-${i}`).selectOption(i < 2 ? 'high' : 'critical');
  }
  await page.getByRole('button', { name: /^Save as version/ }).click();
  await page.waitForURL(/\/risks\/method\?version=\d+$/);
  assert.match(await page.locator('main').textContent(), /A sixth likelihood point/);
  assert.match(await page.locator('table.matrix').textContent(), /6 · Constant/);
  await shot(page, 'risk-method-saved');
  await context.close();
});

test('a contributor adds an own control and finds it in the Statement of Applicability', async () => {
  const { base } = server;
  const page = await pageAt(browser, base, 'contributor', '/soa');
  await followLink(page, { name: 'Add an own control' }, /\/controls\?add=1#add$/);
  await page.getByLabel('Identifier').fill('ORG-1');
  await page.locator('#status').selectOption('implemented');
  await page.getByRole('button', { name: 'Add the control' }).click();
  await assert.doesNotReject(page.getByRole('alert').waitFor());
  assert.match(await page.locator('#title-err').textContent(), /required|empty/);
  await page.getByLabel('Title').fill('Prompt library review');
  await page.getByLabel('Owner').fill('Head of AI Governance');
  await page.getByLabel('How the control is met').fill('Shared prompts are reviewed before they are published.');
  await page.getByLabel('Reference').fill('AI policy 2026');
  await page.getByRole('button', { name: 'Add the control' }).click();
  await page.waitForURL(`${base}/controls/ORG-1`);
  assert.match(await page.locator('h1').textContent(), /Prompt library review/);
  await shot(page, 'control-own');
  await page.goto(`${base}/soa`);
  assert.match(await page.locator('#line-ORG-1').textContent(), /Prompt library review/);
  await page.goto(`${base}/controls`);
  await shot(page, 'controls');
  await page.close();
});
