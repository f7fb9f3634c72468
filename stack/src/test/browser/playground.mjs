// End-to-end test of the playground page in a real browser (Debian's chromium, driven by playwright-core).
// usage: node playground.mjs GATEWAY_URL API_KEY OUT_DIR
//   API_KEY must be of a tier with a daily limit of 2 images: the test uses it up and expects the quota message.
// Exit 0 when every check passed; 1 with the reason on stderr otherwise. Screenshots go to OUT_DIR.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, key, outDir] = process.argv.slice(2);
if (!url || !key || !outDir) {
  console.error('usage: node playground.mjs GATEWAY_URL API_KEY OUT_DIR');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`no chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH)`);
  process.exit(1);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const userDataDir = mkdtempSync(join(tmpdir(), 'vegart-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  viewport: { width: 1280, height: 900 },
});
const pageErrors = [];
const origins = new Set();
context.on('request', (r) => origins.add(new URL(r.url()).origin));
try {
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(90_000);
  page.on('pageerror', (e) => pageErrors.push(e.message));

  await page.goto(url);
  // The sizes come from the gateway's OpenAPI document.
  await page.locator('#size option[value="1024x1024"]').waitFor({ state: 'attached' });

  // The key is entered once, kept in the browser, and the quota shows.
  await page.getByLabel(/^Key/).fill(key);
  await page.getByRole('button', { name: 'Save key' }).click();
  await page.locator('#quota', { hasText: '2 of 2 images left' }).waitFor();

  // First job: fixed seed, 8 steps, 1024x1024 (long enough on CPU for the progress to show); progress then the image at its requested size.
  await page.getByLabel('Prompt', { exact: true }).fill('a red circle on a blue background');
  await page.getByLabel(/^Steps/).fill('8');
  await page.getByLabel('Size', { exact: true }).selectOption('1024x1024');
  await page.getByLabel('Fixed', { exact: true }).check();
  await page.getByLabel('Seed value', { exact: true }).fill('42');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.locator('#timeline li', { hasText: /step \d of 8/ }).first().waitFor();
  await page.locator('#live[data-state="succeeded"]').waitFor();
  const first = page.locator('#results figure img').first();
  await page.waitForFunction(() => {
    const img = document.querySelector('#results figure img');
    return img && img.complete && img.naturalWidth > 0;
  });
  const size = await first.evaluate((img) => [img.naturalWidth, img.naturalHeight]);
  check(size[0] === 1024 && size[1] === 1024, `the image is ${size[0]}x${size[1]}, not the requested 1024x1024`);
  check(/seed 42/.test(await page.locator('#status').innerText()), 'the seed is not shown after the run');
  check(await page.locator('#results figcaption', { hasText: 'Seed 42' }).count() === 1, 'the image caption lacks its seed');
  check(await page.locator('#results a[download]').count() === 1, 'no download link');
  check(await page.locator('#history li', { hasText: 'a red circle' }).count() === 1, 'the job is not in the history');
  const imageOrigin = new URL(await first.getAttribute('src')).origin;
  await page.screenshot({ path: join(outDir, 'playground.png'), fullPage: true });

  // Second job with the keyboard only: random seed, one step, another size; Ctrl+Enter in the prompt submits.
  await page.getByLabel('Random', { exact: true }).check();
  await page.getByLabel(/^Steps/).fill('1');
  await page.getByLabel('Size', { exact: true }).selectOption('256x256');
  await page.getByLabel('Prompt', { exact: true }).fill('two yellow triangles');
  await page.getByLabel('Prompt', { exact: true }).press('Control+Enter');
  await page.waitForFunction(() => {
    const img = document.querySelector('#results figure img');
    return img && img.complete && img.naturalWidth === 256 && img.naturalHeight === 256;
  });
  check(/seed \d+/.test(await page.locator('#status').innerText()), 'the random seed is not shown after the run');

  // The key's limit (2 images) is used up: the third submit gets the plain quota message.
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  const message = page.locator('#message[data-kind="quota"]');
  await message.waitFor();
  check(/quota for this key is used up/.test(await message.innerText()), 'the quota message is not plain');
  await page.locator('#quota', { hasText: '0 of 2 images left' }).waitFor();
  await page.screenshot({ path: join(outDir, 'playground-quota.png'), fullPage: true });

  // A phone-sized screen: the saved key and the history are there, nothing overflows sideways.
  const phone = await context.newPage();
  phone.setDefaultTimeout(60_000);
  phone.on('pageerror', (e) => pageErrors.push(e.message));
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(url);
  await phone.locator('#key-state', { hasText: 'A key is saved' }).waitFor();
  await phone.locator('#history li button', { hasText: 'a red circle' }).click();
  await phone.waitForFunction(() => {
    const img = document.querySelector('#results figure img');
    return img && img.complete && img.naturalWidth === 1024;
  });
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `the page is ${overflow}px wider than a phone screen`);
  await phone.screenshot({ path: join(outDir, 'playground-phone.png'), fullPage: true });

  // Every asset is local: the only other origin is the object store serving the generated images.
  const foreign = [...origins].filter((o) => o !== new URL(url).origin && o !== imageOrigin);
  check(foreign.length === 0, `the page fetched from other origins: ${foreign.join(', ')}`);
  check(pageErrors.length === 0, `script errors: ${pageErrors.join('; ')}`);
  console.log('playground: progress, 1024x1024 and 256x256 images, seeds, history, quota message, phone layout: all OK');
} catch (e) {
  console.error(`playground test failed: ${e.message}`);
  for (const p of context.pages()) {
    const status = await p.locator('#status').innerText().catch(() => '?');
    const message = await p.locator('#message').innerText().catch(() => '');
    console.error(`page ${p.url()}: status "${status}", message "${message}"`);
  }
  await context.pages()[0]?.screenshot({ path: join(outDir, 'playground-failure.png'), fullPage: true }).catch(() => {});
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
