// An SRE's session on /ops, as someone used to Celery Flower works: see the throughput chart, the
// instances, the consumers and the poison entries; search an order and read its attempt history in
// the side panel; replay a dead letter; bulk-replay a window after reading the dry-run count; pause
// (confirming the dialog) and resume. Every click is a same-origin request the ops API's
// cross-site guard lets through. The page's ops.css and ES modules (js/*.js) must load as CSS and
// JavaScript, with no inline script, and the session must log no error in the console.
// Usage: node ops-page.mjs <baseUrl> <user> <password> <deadOrderId> <secondDeadOrderId> <screenshot.png>
import { chromium } from 'playwright-core';

const [baseUrl, username, password, deadOrder, bulkOrder, screenshot] = process.argv.slice(2);
const shot = (suffix) => screenshot.replace(/\.png$/, `-${suffix}.png`);
const text = (page, selector) => page.locator(selector).first().textContent();
function check(condition, message) {
  if (!condition) throw new Error(message);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({ httpCredentials: { username, password }, viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  // Nothing external may load: every request stays on the service.
  const foreign = [];
  page.on('request', (request) => { if (!request.url().startsWith(baseUrl)) foreign.push(request.url()); });
  // The page's own files (ops.css, the ES modules under js/) load, and run without an error.
  const errors = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  // A failed load is reported by its response, with the URL (the console's line has none); the browser's
  // own favicon.ico request (the page names none) and the Basic challenge before the credential are no error.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(`console: ${message.text()}`);
  });
  const assets = new Map();
  page.on('response', (r) => {
    if (r.status() >= 400 && r.status() !== 401 && !r.url().endsWith('/favicon.ico')) errors.push(`HTTP ${r.status()}: ${r.url()}`);
    if (/\/ops\/.+\.(css|js)$/.test(r.url())) assets.set(r.url().slice(baseUrl.length), [r.status(), r.headers()['content-type'] || '']);
  });
  const response = await page.goto(`${baseUrl}/ops`);
  check(response.status() === 200, `/ops answered ${response.status()}`);
  check(await page.locator('script:not([src])').count() === 0, 'the page has an inline script');
  check(await page.locator('script[type="module"][src="/ops/js/main.js"]').count() === 1, 'main.js is not loaded as a module');

  // The test's service has a bot token: no dry-run banner.
  await page.waitForFunction(() => document.querySelector('#delivery-state')?.textContent === 'Running', null, { timeout: 20000 });
  check(!(await page.locator('#dry-run-banner').isVisible()), 'dry-run banner shown with a bot token');
  const kinds = { css: 'text/css', js: 'text/javascript' };
  for (const [path, [status, type]] of assets) {
    check(status === 200, `${path} answered ${status}`);
    check(type.startsWith(kinds[path.split('.').pop()]), `${path} came as ${type}`);
  }
  for (const path of ['/ops/ops.css', '/ops/js/main.js', '/ops/js/api.js', '/ops/js/refresh.js', '/ops/js/acknowledgements.js']) {
    check(assets.has(path), `${path} was not loaded (loaded: ${[...assets.keys()].join(', ')})`);
  }
  check(await page.evaluate(() => getComputedStyle(document.body).backgroundColor) === 'rgb(15, 20, 32)', 'ops.css is not applied');

  // The relay as its leader reported it, and the instance that answered.
  await page.waitForFunction(() => document.querySelector('#relay-state')?.dataset.state === 'RUNNING', null, { timeout: 20000 });
  const answeredBy = (await text(page, '#answered-by')).trim();
  check(answeredBy && answeredBy !== '—', 'the page does not name the instance that answered');
  check((await text(page, '#relay-leader')).trim() === answeredBy, 'the one instance is not shown as the relay leader');

  // Chart: bars from the ledger's deliveries in the last hour.
  await page.waitForFunction(() => Number(document.querySelector('#chart svg')?.dataset.total) > 0, null, { timeout: 30000 });
  check(await page.locator('#chart svg rect.bar[data-count]:not([data-count="0"])').count() > 0, 'no bar drawn for the deliveries');
  check(await page.locator('#chart svg path.p50').count() + await page.locator('#chart svg circle.pt50').count() > 0,
    'no delay drawn');

  // Instances, consumers, poison entries: real rows.
  await page.locator(`tr.instance[data-instance="${answeredBy}"][data-presence="ALIVE"]`).waitFor({ timeout: 20000 });
  check(await page.locator(`tr.instance[data-instance="${answeredBy}"] .tag.you`).count() === 1, 'the answering instance is not marked');
  await page.waitForFunction((self) => [...document.querySelectorAll('tr.consumer td:nth-child(2)')]
    .some((td) => td.textContent === self), answeredBy, { timeout: 20000 });
  await page.locator('tr.poison').first().waitFor({ timeout: 20000 });
  check((await text(page, 'tr.poison td:nth-child(2)')).includes('not in the outbox'), 'the poison entry shows no reason');

  // Search the dead order and open its history in the side panel.
  await page.locator('#search-input').fill(deadOrder);
  await page.locator('#search-button').click();
  const found = page.locator(`tr.search-result[data-order-id="${deadOrder}"]`);
  await found.waitFor({ timeout: 10000 });
  await found.click();
  await page.locator('#drawer.open').waitFor({ timeout: 10000 });
  await page.locator('#drawer-history li[data-outcome="PERMANENT"]').waitFor({ timeout: 10000 });
  check((await text(page, '#drawer-status')) === 'DEAD', 'the side panel does not say DEAD');
  check((await text(page, '#drawer-order')) === deadOrder, 'the side panel shows another order');
  check((await text(page, '#drawer-history li[data-outcome="PERMANENT"] .err')).includes('message is too long'),
    'the attempt history shows no error');
  await page.waitForTimeout(250); // the panel's slide-in, for the picture only
  await page.screenshot({ path: shot('history'), fullPage: false });
  await page.keyboard.press('Escape');
  await page.locator('#drawer.open').waitFor({ state: 'detached', timeout: 5000 });

  // Replay that dead letter from its row.
  const row = page.locator(`tr.dead-letter[data-order-id="${deadOrder}"]`);
  await row.waitFor({ timeout: 20000 });
  await page.screenshot({ path: shot('dead-letter'), fullPage: true });
  await row.locator('button.replay').click();
  await row.waitFor({ state: 'detached', timeout: 30000 });

  // Bulk replay: the dead letters of the last hour, the other one only; count first, then confirm.
  await page.locator(`tr.dead-letter[data-order-id="${bulkOrder}"]`).waitFor({ timeout: 20000 });
  await page.locator('#bulk-status').selectOption('DEAD');
  await page.locator('#bulk-last-hour').click();
  await page.locator('#bulk-count').click();
  await page.locator('#bulk-would').waitFor({ timeout: 10000 });
  check((await text(page, '#bulk-would')) === '1', `the dry run counted ${await text(page, '#bulk-would')}, not 1`);
  check((await text(page, '#bulk-confirm')) === 'Replay 1', 'the confirm button does not name the count');
  await page.screenshot({ path: shot('bulk-count'), fullPage: true });
  await page.locator('#bulk-confirm').click();
  await page.locator('#bulk-replayed').waitFor({ timeout: 30000 });
  check((await text(page, '#bulk-replayed')) === 'Replayed 1', `bulk replay said ${await text(page, '#bulk-replayed')}`);
  await page.waitForFunction(() => Number(document.querySelector('#count-dead')?.textContent) === 0, null, { timeout: 30000 });

  // Pause asks first: dismissed, nothing happens; accepted, delivery pauses. Then resume.
  const dialogs = [];
  page.once('dialog', (dialog) => { dialogs.push(dialog.message()); dialog.dismiss(); });
  await page.locator('#pause').click();
  check(dialogs.length === 1 && dialogs[0].includes('Pause delivery'), 'pause asked no confirmation');
  check((await text(page, '#delivery-state')) === 'Running', 'a dismissed pause paused');
  page.once('dialog', (dialog) => { dialogs.push(dialog.message()); dialog.accept(); });
  await page.locator('#pause').click();
  await page.waitForFunction(() => document.querySelector('#delivery-state')?.textContent === 'Paused', null, { timeout: 20000 });
  await page.locator('#resume').click();
  await page.waitForFunction(() => document.querySelector('#delivery-state')?.textContent === 'Running', null, { timeout: 20000 });
  check(!(await page.locator('#action-error').isVisible()), 'an action failed: ' + await text(page, '#action-error-text'));

  await page.waitForTimeout(2500); // one more refresh, so the picture shows the audit and the redelivered counts
  await page.screenshot({ path: screenshot, fullPage: true });
  check(foreign.length === 0, 'the page loaded something from elsewhere: ' + foreign.join(', '));
  check(errors.length === 0, 'the page logged errors:\n' + errors.join('\n'));
  console.log('ops page session done:', deadOrder, bulkOrder, 'answered by', answeredBy);
} finally {
  await browser.close();
}
