// An SRE's session on /ops: log in, pause and resume delivery, find the dead letter, press Replay,
// see it delivered. Every click is a same-origin POST that the ops API's cross-site guard lets through.
// Usage: node ops-page.mjs <baseUrl> <user> <password> <orderId> <screenshot.png>
import { chromium } from 'playwright-core';

const [baseUrl, username, password, orderId, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({ httpCredentials: { username, password }, viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const response = await page.goto(`${baseUrl}/ops`);
  if (response.status() !== 200) throw new Error(`/ops answered ${response.status()}`);

  // The test's service has a bot token: no dry-run banner.
  await page.waitForFunction(() => document.querySelector('#delivery-state')?.textContent === 'Running', null, { timeout: 20000 });
  if (await page.locator('#dry-run-banner').isVisible()) throw new Error('dry-run banner shown with a bot token');

  await page.locator('#pause').click();
  await page.waitForFunction(() => document.querySelector('#delivery-state')?.textContent === 'Paused', null, { timeout: 20000 });
  await page.locator('#resume').click();
  await page.waitForFunction(() => document.querySelector('#delivery-state')?.textContent === 'Running', null, { timeout: 20000 });
  if (await page.locator('#action-error').isVisible()) throw new Error('pause/resume failed: ' + await page.locator('#action-error-text').textContent());

  const row = page.locator(`tr.dead-letter[data-order-id="${orderId}"]`);
  await row.waitFor({ timeout: 20000 });
  await page.screenshot({ path: screenshot.replace(/\.png$/, '-dead-letter.png'), fullPage: true });

  await row.locator('button.replay').click();
  await row.waitFor({ state: 'detached', timeout: 30000 });
  await page.waitForFunction(() => Number(document.querySelector('#count-dead')?.textContent) === 0, null, { timeout: 30000 });
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log('replayed from the ops page:', orderId);
} finally {
  await browser.close();
}
