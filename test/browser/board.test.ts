import { PNG } from 'pngjs';
import jsQRModule from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, startProduct, type Running } from '../support/localServer.ts';
import { actors, DEMO, review, submitted, type Actors } from '../support/scenario.ts';
import { PHONE, launch, phonePage, screenshot, seriousViolations, type Watched } from './browser.ts';
import { pdfText } from './pdfText.ts';

/**
 * A resident's visit to the notice board on a phone, against the real local product:
 * the staff side is driven through the API, the resident's side only through the pages.
 */
let server: Running;
let api: Api;
let a: Actors;
let browser: Browser;
let w: Watched;
let page: Page;
let inPublicity: string;
let completed: string;
const JS_BUDGET = 100 * 1024;
// jsqr is CommonJS with a `default` in its types: take the function either way.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ??
  jsQRModule) as unknown as typeof jsQRModule.default;

const accept = async (id: string, n: number) => {
  const r = await api.call('POST', `/v1/projects/${id}/tranches/${n}/acceptance`, {
    token: a.street,
    body: { passed: true, comment: '验收合格', satisfaction: 95 },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
};

/** Opens a board page and waits until it has rendered its main heading. */
const open = async (path: string) => {
  w.scripts.clear();
  w.errors.length = 0;
  await page.goto(server.baseUrl + path);
  await page.locator('main h1').waitFor();
  await page.locator('[role=status]:has-text("正在加载")').waitFor({ state: 'detached' });
};

/** What every page must satisfy: no serious axe finding, no script error or CSP report, JS within budget. */
const pageChecks = async (name: string) => {
  const violations = await seriousViolations(page);
  expect(
    violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    name,
  ).toEqual([]);
  expect(w.errors, name).toEqual([]);
  const js = [...w.scripts.values()].reduce((s, n) => s + n, 0);
  expect(js, `${name}: ${js} bytes of gzipped JS`).toBeGreaterThan(0);
  expect(js, `${name}: ${js} bytes of gzipped JS`).toBeLessThanOrEqual(JS_BUDGET);
  await screenshot(page, name);
};

beforeAll(async () => {
  server = await startProduct();
  api = new Api(server.baseUrl);
  expect((await api.setClock('2025-09-12T09:00:00+08:00')).status).toBe(200);
  a = await actors(api);
  const alloc = await api.call('PUT', `/v1/allocations/2025/${DEMO.community}`, {
    token: a.district,
    body: { amountFen: 20_000_000, sources: [{ funder: '区财政', amountFen: 20_000_000 }] },
  });
  expect(alloc.status).toBe(200);

  // One project goes all the way to its completion publicity...
  completed = await submitted(api, a, {
    title: '小区绿化补植',
    measures: '补植东区绿化带乔灌木120株',
    amountFen: 1_000_000,
  });
  expect((await review(api, a, completed)).status).toBe(200);
  await api.setClock('2025-09-23T10:00:00+08:00');
  const approved = await api.call('POST', `/v1/projects/${completed}/approval`, {
    token: a.street,
    body: { decision: 'approve', comment: '同意' },
  });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  for (const n of [1, 2, 3]) await accept(completed, n);

  // ...and one is in its publicity window: 2025-09-23 to 2025-09-30.
  inPublicity = await submitted(api, a);
  const passed = await review(api, a, inPublicity);
  expect(passed.body.deadlines.publicityEndsAt).toBe('2025-09-30T23:59:59+08:00');

  browser = await launch();
  w = await phonePage(browser);
  page = w.page;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the notice board on a 360 px phone', () => {
  it('lets a resident choose street and community by keyboard alone, and remembers the choice', async () => {
    await open('/');
    await pageChecks('01-home');

    await page.locator('#street').focus();
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate('document.activeElement.id')).toBe('community');
    await page.locator('#community').selectOption({ label: '星河社区' });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/publicity\.html\?c=gd-gdjd-xh/);
    await page.locator('main h2').first().waitFor();

    expect(await page.locator('.where').innerText()).toContain('官渡街道 · 星河社区');
  });

  it('lists the project in publicity with its window and the days left on the server clock', async () => {
    await open(`/publicity.html?c=${DEMO.community}`);
    const card = page.locator('li.card', { hasText: '老旧小区路灯维修' });

    const text = await card.innerText();

    expect(text).toContain('公示期：2025年9月23日至2025年9月30日');
    // 23 September on the simulated clock, whatever the machine's own date is.
    expect(text).toContain('还剩 7 天');
    expect(text).toContain('30,000.00 元');
    expect(await page.locator('li.card').count()).toBe(1);
    expect(await page.locator('nav a[aria-current=page]').innerText()).toBe('正在公示');
    await pageChecks('02-publicity');
  });

  it('shows the project page with its facts and no contact details', async () => {
    await page.locator('li.card h2 a').click();
    await page.waitForURL(/project\.html/);
    await page.locator('#objection').waitFor();
    const text = await page.locator('main').innerText();

    expect(text).toContain('老旧小区路灯维修');
    expect(text).toContain('社区物业服务（工程类）');
    expect(text).toContain('更换小区内20盏损坏路灯');
    expect(text).toContain('社区党组织提议');
    expect(text).toContain('居民代表会议决议');
    expect(text).toContain('同意18、反对1、弃权1');
    expect(text).toContain('公示截止');
    expect(text).toContain('已收到异议 0 条');
    expect(text).not.toMatch(/1380000\d{4}|@example\.org/);
    await pageChecks('03-project');
  });

  it('shows the API problem beside the field, then takes an objection and gives a receipt the street can see', async () => {
    await page.locator('#content').fill('   ');
    await page.getByRole('button', { name: '提交异议' }).click();
    const fieldError = page.locator('#content-error');
    await fieldError.waitFor();
    expect(await fieldError.innerText()).toContain('请填写此项');
    expect(await page.locator('#content').getAttribute('aria-invalid')).toBe('true');
    expect(w.errors).toEqual([`HTTP 400 POST /v1/public/projects/${inPublicity}/objections`]);
    w.errors.length = 0;

    await page.locator('#content').fill('路灯离住户窗户太近，晚上影响休息');
    await page.locator('#contact').fill('13912345678');
    await page.getByRole('button', { name: '提交异议' }).click();
    const receipt = (await page.getByTestId('receipt').innerText()).trim();
    await pageChecks('04-objection-receipt');

    const seen = await api.call('GET', `/v1/projects/${inPublicity}`, { token: a.street });
    expect(seen.status).toBe(200);
    expect(Object.values(seen.body.objections).map((o: any) => [o.id, o.content])).toEqual([
      [receipt, '路灯离住户窗户太近，晚上影响休息'],
    ]);
    await open(`/project.html?id=${inPublicity}`);
    expect(await page.locator('main').innerText()).toContain('已收到异议 1 条');
    expect(await page.locator('main').innerText()).not.toContain('13912345678');
  });

  it('takes a need from a resident, which the community sees', async () => {
    await open(`/need.html?c=${DEMO.community}`);
    await pageChecks('05-need');
    await page.getByLabel('需求标题').fill('楼道灯不亮');
    await page.getByLabel('具体情况').fill('3栋2单元楼道灯坏了两周，老人晚上上下楼不方便');
    await page.getByRole('button', { name: '提交需求' }).click();
    const receipt = (await page.getByTestId('receipt').innerText()).trim();

    const needs = await api.call('GET', `/v1/communities/${DEMO.community}/needs?year=2025`, { token: a.community });
    expect(needs.status).toBe(200);
    expect(needs.body.items.map((n: any) => [n.id, n.title, n.channel])).toEqual([[receipt, '楼道灯不亮', 'public']]);
  });

  it('shows completed projects with acceptance dates, money paid and satisfaction', async () => {
    await open(`/completed.html?c=${DEMO.community}&y=2025`);
    const text = await page.locator('main').innerText();

    expect(text).toContain('小区绿化补植');
    expect(text).toContain('完成公示中');
    expect(text).toContain('已拨付 10,000.00 元');
    expect(text).toContain('第3期');
    expect(text).toContain('2025年9月23日');
    expect(text).toContain('95%');
    await pageChecks('06-completed');
  });

  it('shows the three lists of the community', async () => {
    await open(`/lists.html?c=${DEMO.community}&y=2025`);
    const text = await page.locator('main').innerText();

    expect(text).toContain('需求清单');
    expect(text).toContain('楼道灯不亮');
    expect(text).toContain('200,000.00 元');
    expect(text).toContain('小区绿化补植');
    expect(text).not.toContain('老人晚上上下楼不方便');
    await pageChecks('07-lists');
  });

  it('shows the active policy: categories, prohibited uses and the procedure in steps', async () => {
    await open(`/policy.html?c=${DEMO.community}`);
    const text = await page.locator('main').innerText();

    expect(text).toContain('社区物业服务');
    expect(text).toContain('购买办公设备');
    expect(await page.locator('ol.steps li').count()).toBeGreaterThanOrEqual(8);
    expect(text).toContain('公示不少于 7 天');
    await pageChecks('08-policy');
  });

  it('prints an A4 notice with the window dates and a QR code that opens the objection form', async () => {
    await open(`/notice.html?id=${inPublicity}`);
    await pageChecks('09-notice');
    await page.emulateMedia({ media: 'print' });
    const printed = await page.locator('body').innerText();
    const qr = PNG.sync.read(await page.locator('.qr svg').screenshot());
    const decoded = jsQR(new Uint8ClampedArray(qr.data), qr.width, qr.height);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    await screenshot(page, '10-notice-print');
    // The sheet as it comes out of the printer: A4 is 794 CSS pixels wide.
    await page.setViewportSize({ width: 794, height: 1123 });
    await screenshot(page, '10-notice-a4');
    await page.setViewportSize(PHONE);
    await page.emulateMedia({ media: 'screen' });

    expect(printed).toContain('关于老旧小区路灯维修项目的公示');
    expect(printed).toContain('公示期：2025年9月23日至2025年9月30日');
    expect(printed).not.toContain('下载PDF');
    expect(decoded?.data).toBe(`${server.baseUrl}/project.html?id=${inPublicity}#objection`);
    // One sheet to pin up, whose text (read back from the PDF itself) holds the title and the window.
    const pages = pdfText(pdf);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain('关于老旧小区路灯维修项目的公示');
    expect(pages[0]).toContain('公示期：2025年9月23日至2025年9月30日');
    expect(pages[0]).not.toContain('下载PDF');
  });

  it('prints the completion notice of a completed project', async () => {
    await open(`/notice.html?id=${completed}`);
    const text = await page.locator('main').innerText();

    expect(text).toContain('关于小区绿化补植项目完成情况的公示');
    expect(text).toContain('已拨付资金：10,000.00 元');
    expect(text).toContain('公示期：2025年9月23日至');
    await pageChecks('11-completion-notice');
  });

  it('closes the objection form after the window, showing the date it closed', async () => {
    await open(`/project.html?id=${inPublicity}`);
    await api.advance('P8D'); // 2025-10-01 10:00, while the resident still has the form open
    await page.locator('#content').fill('我还有意见');
    await page.getByRole('button', { name: '提交异议' }).click();
    const late = page.locator('#objection-error');
    await late.waitFor();
    expect(await late.innerText()).toBe('该项目的公示期已于2025年9月30日结束，不能再提出异议。');

    await open(`/project.html?id=${inPublicity}`);

    expect(await page.locator('#content').count()).toBe(0);
    expect(await page.getByTestId('objection-closed').innerText()).toContain('公示期已于2025年9月30日结束');
    await pageChecks('12-project-closed');
    const direct = await api.call('POST', `/v1/public/projects/${inPublicity}/objections`, {
      body: { content: '晚了' },
    });
    expect(direct.status).toBe(409);
  });
});
