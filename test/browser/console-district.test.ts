import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, startProduct, type Running } from '../support/localServer.ts';
import { actors, DEMO, review, submitted, type Actors } from '../support/scenario.ts';
import { launch } from './browser.ts';
import { consoleSteps, fill, field, settled, WIDTHS, type Staff } from './console.ts';
import { pdfText } from './pdfText.ts';

/**
 * The district's and the auditor's screens of the staff console, against the real local
 * product: the district allocates one by one and from a CSV file, decides a change request,
 * runs the year end and prints its report; the auditor filters the audit trail and prints a
 * project's dossier. Every screen is checked at 1280 px and 768 px (axe, console errors and
 * CSP violations), and the JavaScript each page loads against its budget.
 */
let server: Running;
let api: Api;
let a: Actors;
let browser: Browser;
const PAGE_BUDGET = 150 * 1024;
const CHARTS_BUDGET = 250 * 1024;
let projectId: string;

let district: Staff;
let auditor: Staff;
const { checkScreen, signIn, go, saveHome } = consoleSteps(
  () => ({ baseUrl: server.baseUrl, browser }),
  'console-district',
);

/** Gzipped JavaScript the context has loaded so far (the console's page and the chunks it pulled in). */
const jsBytes = (s: Staff) => [...s.scripts.values()].reduce((sum, n) => sum + n, 0);

const allocationOf = async (communityId: string) =>
  api.call('GET', `/v1/allocations/2025/${communityId}`, { token: a.district });

/** Prints the page as chromium does for "Save as PDF" and reads the text of each A4 sheet back. */
const printed = async (s: Staff): Promise<string[]> => {
  await s.page.emulateMedia({ media: 'print' });
  const pdf = await s.page.pdf({ format: 'A4', printBackground: true });
  await s.page.setViewportSize({ width: 794, height: 1123 });
  await s.page.emulateMedia({ media: 'screen' });
  await s.page.setViewportSize({ width: WIDTHS[0], height: 900 });
  return pdfText(pdf);
};

beforeAll(async () => {
  server = await startProduct();
  api = new Api(server.baseUrl);
  expect((await api.setClock('2025-09-15T09:00:00+08:00')).status).toBe(200);
  a = await actors(api);
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the district and the auditor in the staff console', () => {
  it("opens the district's home: the year's money, projects and deadlines as charts, each with its table", async () => {
    district = await signIn('district', '官渡区（演示）', '区级管理员');
    const main = district.page.locator('main');
    await main.locator('canvas').first().waitFor();

    expect(await main.locator('h1').innerText()).toBe('区级工作台');
    // Money per street and per community, and the deadlines of the coming weeks; no project has a status yet.
    expect(await main.locator('figure.chart canvas[role=img]').count()).toBe(3);
    expect(await main.locator('figure.chart', { hasText: '项目状态' }).innerText()).toContain('暂无数据');
    // Every chart's figures are readable as a table.
    expect(await main.locator('figure.chart:has(canvas) table').count()).toBe(3);
    const text = await main.innerText();
    expect(text).toContain('2025 年各街道经费');
    expect(text).toContain('官渡街道');
    expect(text).toContain('星河社区');
    const js = jsBytes(district);
    expect(js, `district home: ${js} bytes of gzipped JS`).toBeLessThanOrEqual(CHARTS_BUDGET);
    await checkScreen(district, 'home-empty');
  });

  it('sets one allocation, and a refusal appears in Chinese beside the field it names', async () => {
    await district.page.locator('nav a', { hasText: '经费分配' }).click();
    await settled(district.page);
    await checkScreen(district, 'allocations');

    await field(district, 'communityId').locator('select').selectOption({ label: '星河社区' });
    await fill(district, 'amountFen', '200000');
    await fill(district, 'sources', '区财政 150000\n街道配套 40000');
    await district.page.locator('main form button[type=submit]').dblclick();
    const refusal = field(district, 'sources').locator('.field-error');
    await refusal.waitFor();
    expect(await refusal.innerText()).toBe('各来源金额之和须等于总额');
    expect((await allocationOf(DEMO.community)).status).toBe(404);
    // The double click sent one request, refused.
    expect(district.errors).toEqual([`HTTP 422 PUT /v1/allocations/2025/${DEMO.community}`]);
    district.errors.length = 0;
    await checkScreen(district, 'allocation-refused');

    await fill(district, 'sources', '区财政 150000\n街道配套 50000');
    await district.page.locator('main form button[type=submit]').dblclick();
    await district.page.locator('main p.success', { hasText: '已保存' }).waitFor();
    const saved = await allocationOf(DEMO.community);
    expect(saved.body).toMatchObject({
      amountFen: 20_000_000,
      sources: [
        { funder: '区财政', amountFen: 15_000_000 },
        { funder: '街道配套', amountFen: 5_000_000 },
      ],
    });
    await district.page.locator('main table td', { hasText: '200,000.00 元' }).first().waitFor();
  });

  it('loads allocations from a CSV file: a bad file names each bad row and sends nothing, a good one is loaded', async () => {
    const csvInput = district.page.locator('main input[type=file]');
    await csvInput.setInputFiles({
      name: '分配.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('社区,金额（元）,资金来源\n螺蛳湾村,150000,\n不存在社区,1000,\n福盛社区,12万,\n', 'utf8'),
    });
    const errors = district.page.locator('main .form-error li');
    await errors.first().waitFor();
    expect(await errors.allInnerTexts()).toEqual([
      '第3行：找不到社区“不存在社区”，请填写社区名称或编号',
      '第4行：金额“12万”不是以元为单位的金额（最多两位小数）',
    ]);
    expect(await district.page.locator('main button', { hasText: /^导入/ }).count()).toBe(0);
    expect((await allocationOf(DEMO.sibling)).status).toBe(404);
    await checkScreen(district, 'csv-refused');

    await csvInput.setInputFiles({
      name: '分配.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        '\uFEFF社区,金额（元）,资金来源\r\n螺蛳湾村,150000,\r\ngd-gdjd-fs,"120,000.50",区财政:100000;街道配套:20000.50\r\n',
        'utf8',
      ),
    });
    await district.page.locator('main button', { hasText: '导入 2 行' }).click();
    await district.page.locator('main .outcomes li', { hasText: '福盛社区' }).waitFor();
    expect(await district.page.locator('main .outcomes').innerText()).not.toContain('第');

    expect((await allocationOf(DEMO.sibling)).body).toMatchObject({ amountFen: 15_000_000 });
    expect((await allocationOf('gd-gdjd-fs')).body).toMatchObject({
      amountFen: 12_000_050,
      sources: [
        { funder: '区财政', amountFen: 10_000_000 },
        { funder: '街道配套', amountFen: 2_000_050 },
      ],
    });
    await checkScreen(district, 'csv-loaded');
  });

  it('decides a change request of a running project', async () => {
    // Prepare, through the API: a project approved and running, whose community asks for more money.
    projectId = await submitted(api, a);
    await review(api, a, projectId);
    await api.advance('P8D');
    const approval = await api.call('POST', `/v1/projects/${projectId}/approval`, {
      token: a.street,
      body: { decision: 'approve', comment: '批准' },
    });
    expect(approval.status).toBe(200);
    const asked = await api.call('POST', `/v1/projects/${projectId}/change-requests`, {
      token: a.community,
      body: { amountFen: 3_500_000, reason: '增设两盏太阳能灯，材料涨价' },
    });
    expect(asked.status).toBe(201);

    await district.page.locator('nav a', { hasText: '变更申请' }).click();
    await settled(district.page);
    const request = district.page.locator('main .step', { hasText: '老旧小区路灯维修' });
    expect(await request.innerText()).toContain('30,000.00 元 → 35,000.00 元');
    await checkScreen(district, 'change-requests');
    await request.locator('label', { hasText: '同意变更' }).click();
    await fill(district, 'comment', '同意增加预算');
    await request.locator('button[type=submit]').dblclick();
    await district.page.locator('main p', { hasText: '没有待审批的变更申请' }).waitFor({ timeout: 30_000 });

    const project = await api.call('GET', `/v1/projects/${projectId}`, { token: a.district });
    expect(project.body.amountFen).toBe(3_500_000);
    const history = await api.call('GET', `/v1/projects/${projectId}/history`, { token: a.district });
    expect(history.body.items.filter((e: { action: string }) => e.action === 'change_decided')).toHaveLength(1);
  });

  it('runs the year end and prints its report on A4, with the surplus per community', async () => {
    // On 31 December the yearly schedule has run the check at 00:30; running it again is safe.
    await api.setClock('2025-12-31T10:00:00+08:00');
    await district.page.locator('nav a', { hasText: '年终清算' }).click();
    await settled(district.page);
    const runs: number[] = [];
    district.page.on('response', (r) => {
      if (r.request().method() === 'POST' && r.url().endsWith('/v1/year-end/2025')) runs.push(r.status());
    });
    await district.page.locator('main form button[type=submit]').dblclick();
    await district.page.locator('main form button[type=submit]:not([disabled])').waitFor();
    await district.page.locator('main figure.chart canvas').waitFor();
    expect(runs).toEqual([200]);
    const report = await district.page.locator('main article.report').innerText();
    expect(report).toContain('2025 年度社区服务群众专项经费年终清算报告');
    expect(report).toContain('螺蛳湾村');
    expect(report).toContain('150,000.00 元');
    await checkScreen(district, 'year-end');

    const pages = await printed(district);
    const all = pages.join('\n');
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(all).toContain('年终清算报告');
    expect(all).toContain('螺蛳湾村');
    // The screen's controls stay off the sheet.
    expect(all).not.toContain('打印');
    expect(all).not.toContain('运行 2025');
  });

  it("shows the district's home with the year's figures", async () => {
    await go(district, '#/');
    await district.page.locator('main canvas').first().waitFor();
    const table = await district.page.locator('main figure.chart table').first().innerText();
    expect(table).toContain('官渡街道');
    expect(table).toContain('470,000.50 元');
    await checkScreen(district, 'home');
    await saveHome(district, 'district-home');
  });

  it("lets the auditor read the day's audit trail by actor and by project, and print a project's dossier", async () => {
    auditor = await signIn('auditor', '官渡区（演示）', '审计人员');
    expect(await auditor.page.locator('main h1').innerText()).toBe('审计工作台');
    const js = jsBytes(auditor);
    expect(js, `auditor home: ${js} bytes of gzipped JS`).toBeLessThanOrEqual(PAGE_BUDGET);

    await auditor.page.locator('main input[name=date]').fill('2025-09-15');
    await auditor.page.locator('main input[name=date]').dispatchEvent('change');
    await auditor.page.locator('main input[name=actor]').fill('district');
    await auditor.page.locator('main form[aria-label="筛选审计记录"] button[type=submit]').click();
    await settled(auditor.page);
    const caption = auditor.page.locator('main table caption');
    await caption.waitFor();
    // The date's trail and the filter load one after the other: wait for the refused PUT to be listed.
    await auditor.page.locator('main table tbody tr', { hasText: '拒绝 422' }).first().waitFor();
    const rows = await auditor.page.locator('main table tbody tr').allInnerTexts();
    // The district's PUTs of that day: the refused one, the saved one, the two CSV rows.
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const r of rows) expect(r).toContain('district');
    expect(rows.some((r) => r.includes('拒绝 422'))).toBe(true);
    await checkScreen(auditor, 'audit');
    await saveHome(auditor, 'auditor-home');

    await auditor.page.locator('main input[name=actor]').fill('');
    await auditor.page.locator('main input[name=project]').fill(projectId);
    await auditor.page.locator('main form[aria-label="筛选审计记录"] button[type=submit]').click();
    await settled(auditor.page);
    const projectRows = await auditor.page.locator('main table tbody tr').allInnerTexts();
    expect(projectRows.length).toBeGreaterThan(0);
    for (const r of projectRows) expect(r).toContain(projectId);

    await auditor.page.locator('main table tbody a').first().click();
    await settled(auditor.page);
    const dossier = await auditor.page.locator('main article.dossier').innerText();
    expect(dossier).toContain('项目档案：老旧小区路灯维修');
    expect(dossier).toContain('议事决策');
    expect(dossier).toContain('35,000.00 元');
    await checkScreen(auditor, 'dossier');

    const pages = await printed(auditor);
    expect(pages[0]).toContain('项目档案：老旧小区路灯维修');
    expect(pages.join('\n')).toContain('全过程记录');
    expect(pages.join('\n')).not.toContain('打印');
  });
});
