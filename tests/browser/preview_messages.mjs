// The live preview's problems in the page's language: during `rolebook
// serve`, saving `**注意：**正文` into a Chinese page shows a banner listing
// the dropped-emphasis warning in Chinese, which its button dismisses; saving
// broken front matter shows the error overlay in Chinese, which its close
// button hides; the fix clears both.
//
//   node tests/browser/preview_messages.mjs <page-url> <markdown-file> <screenshots-dir>
//
// <page-url> is a Chinese role page of a running `rolebook serve`
// (http://127.0.0.1:PORT/zh/secretary.html) and <markdown-file> its source,
// which this script edits and puts back. Screenshots of the banner and the
// overlay, light and dark, desktop and phone, go to <screenshots-dir>.
// Driven by tests/it/e2e.rs (preview_shows_warnings_and_errors_in_the_page_language).

import fs from 'node:fs';
import path from 'node:path';
import { check, fail, frames, main, newPage, runStep } from './harness.mjs';

const [pageArg, mdArg, shots] = process.argv.slice(2);
if (!pageArg || !mdArg || !shots) {
  console.error('usage: node preview_messages.mjs <page-url> <markdown-file> <screenshots-dir>');
  process.exit(2);
}
const start = new URL(pageArg);
const inside = (url) => {
  const u = new URL(url);
  return u.host === start.host && /^(https?|wss?):$/.test(u.protocol);
};
const original = fs.readFileSync(mdArg, 'utf8');
const RELOAD_TIMEOUT_MS = 10_000;
const SIZES = { desktop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } };

await main('preview_messages.mjs', 90_000, async (context) => {
  // A reload may cut short a request of the page it replaces.
  const page = await newPage(context, inside, { allowAborted: true });
  let navigations = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations++;
  });

  /** Saves `text` as the page's source and waits until `selector` is in a reloaded page. */
  async function saveAndWait(text, selector, what) {
    const before = navigations;
    fs.writeFileSync(mdArg, text);
    try {
      await page.locator(selector).first().waitFor({ state: 'attached', timeout: RELOAD_TIMEOUT_MS });
    } catch {
      fail(`${what}: no ${selector} within ${RELOAD_TIMEOUT_MS / 1000}s of saving ${mdArg} (navigations: ${navigations - before})`);
    }
    await page.waitForLoadState('load');
  }

  async function screenshots(name) {
    fs.mkdirSync(shots, { recursive: true });
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [size, viewport] of Object.entries(SIZES)) {
        await page.setViewportSize(viewport);
        await frames(page);
        await page.screenshot({ path: path.join(shots, `${name}-${scheme}-${size}.png`) });
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize(SIZES.desktop);
  }

  await runStep(`open ${start.href}`, async () => {
    const res = await page.goto(start.href, { waitUntil: 'load' });
    if (!res || res.status() !== 200) fail(`${start.href} answered ${res ? res.status() : 'nothing'}`);
    check((await page.getAttribute('html', 'lang'))?.startsWith('zh'), 'the page is not Chinese');
    check((await page.locator('#rolebook-warnings').count()) === 0, 'a warnings banner on a page without warnings');
    check((await page.locator('#rolebook-overlay').count()) === 0, 'an overlay on a good page');
    // Let the reload script connect before the first save.
    await page.waitForTimeout(500);
  });

  await runStep('a dropped emphasis shows the warnings banner in Chinese', async () => {
    await saveAndWait(`${original}\n**注意：**正文\n`, '#rolebook-warnings', 'warning banner');
    const banner = page.locator('#rolebook-warnings');
    check(await banner.isVisible(), 'the warnings banner is not visible');
    const text = await banner.innerText();
    check(text.includes('本页有 1 个警告'), `banner title not in Chinese: ${text}`);
    check(text.includes('dropped-emphasis'), `banner does not name the code: ${text}`);
    check(text.includes('`：` 后面的 `**` 无法结束强调'), `banner message not in Chinese: ${text}`);
    check(text.includes('提示：'), `banner hint not in Chinese: ${text}`);
    check(!text.includes('does not close the emphasis'), `banner in English: ${text}`);
    const place = path.basename(mdArg);
    check(text.includes(place), `banner does not name ${place}: ${text}`);
    await screenshots('warnings');
    const dismiss = banner.getByRole('button', { name: '关闭' });
    check((await dismiss.count()) === 1, 'no 关闭 button on the banner');
    await dismiss.click();
    await frames(page);
    check(!(await banner.isVisible()), 'the banner is still visible after 关闭');
  });

  await runStep('broken front matter shows the overlay in Chinese', async () => {
    const broken = original.replace(/^id: .*\n/m, '');
    if (broken === original) fail(`${mdArg} has no id: line to remove`);
    await saveAndWait(broken, '#rolebook-overlay', 'error overlay');
    const overlay = page.locator('#rolebook-overlay');
    check(await overlay.isVisible(), 'the overlay is not visible');
    const text = await overlay.innerText();
    check(text.includes('手册有问题，下面显示的是上一个正常的版本'), `overlay title not in Chinese: ${text}`);
    check(text.includes('missing-id'), `overlay does not name the code: ${text}`);
    check(text.includes('front matter 缺少 `id`'), `overlay message not in Chinese: ${text}`);
    check(text.includes('提示：请加一行 `id: '), `overlay hint not in Chinese: ${text}`);
    check(!text.includes('has no `id`'), `overlay in English: ${text}`);
    await screenshots('overlay');
    const close = overlay.getByRole('button', { name: '关闭' });
    check((await close.count()) === 1, 'no 关闭 button on the overlay');
    await close.click();
    await frames(page);
    check(!(await overlay.isVisible()), 'the overlay is still visible after 关闭');
    // The last good version is underneath and can be read.
    check(await page.locator('.role-body').isVisible(), 'no page underneath the closed overlay');
  });

  await runStep('the fix clears the overlay and the banner', async () => {
    const before = navigations;
    fs.writeFileSync(mdArg, original);
    const deadline = Date.now() + RELOAD_TIMEOUT_MS;
    while (navigations === before || (await page.locator('#rolebook-overlay').count()) > 0) {
      if (Date.now() > deadline) fail('the page kept the overlay after the fix');
      await page.waitForTimeout(100);
    }
    await page.waitForLoadState('load');
    check((await page.locator('#rolebook-warnings').count()) === 0, 'the banner is still there after the fix');
  });
  fs.writeFileSync(mdArg, original);
});
