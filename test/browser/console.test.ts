import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, startProduct, type Running } from '../support/localServer.ts';
import { actors, DEMO, deliberate, projectBody, type Actors } from '../support/scenario.ts';
import { launch, phonePage } from './browser.ts';
import { consoleSteps, fill, field, settled, type Staff } from './console.ts';

/**
 * A whole fund year through the staff console, against the real local product: a community
 * drafts and deliberates, the street reviews, a resident objects on the notice board, the
 * street resolves and approves, the community reports, the street accepts three stages, and
 * the district, which allocated the money, runs the year end. Every screen is checked at
 * 1280 px and 768 px.
 */
let server: Running;
let api: Api;
let a: Actors;
let browser: Browser;
const JS_BUDGET = 150 * 1024;
const TITLE = '老旧小区路灯维修';
let projectId: string;
let needId: string;

let community: Staff;
let street: Staff;
const { checkScreen, signIn, go, saveHome } = consoleSteps(() => ({ baseUrl: server.baseUrl, browser }), 'console');

/** The console is one page: all its JavaScript arrives on the first load, which must fit the budget. */
const checkJsBudget = (s: Staff) => {
  const js = [...s.scripts.values()].reduce((sum, n) => sum + n, 0);
  expect(js, `${s.name}: ${js} bytes of gzipped JS`).toBeGreaterThan(0);
  expect(js, `${s.name}: ${js} bytes of gzipped JS`).toBeLessThanOrEqual(JS_BUDGET);
  return js;
};

const flash = async (s: Staff, text: string) => {
  await s.page.locator('main p.success', { hasText: text }).waitFor();
};

const projectNow = async () => (await api.call('GET', `/v1/projects/${projectId}`, { token: a.street })).body;

beforeAll(async () => {
  server = await startProduct();
  api = new Api(server.baseUrl);
  expect((await api.setClock('2025-09-15T09:00:00+08:00')).status).toBe(200);
  a = await actors(api);
  // A sibling community's project that the street will leave waiting past its review deadline.
  const sibling = await api.token('community', DEMO.sibling);
  const other = await api.as(sibling).POST('/v1/projects', {
    body: projectBody({ communityId: DEMO.sibling, title: '村民活动室照明改造', amountFen: 800_000 }),
  });
  await deliberate(api, sibling, other.data!.id);
  expect((await api.call('POST', `/v1/projects/${other.data!.id}/submit`, { token: sibling })).status).toBe(200);
  // A resident's need, raised on the board, waiting in the community's inbox.
  const need = await api.call('POST', `/v1/public/communities/${DEMO.community}/needs`, {
    body: { title: '楼道灯不亮', description: '3栋2单元楼道灯坏了两周，老人晚上上下楼不方便' },
  });
  expect(need.status).toBe(201);
  needId = need.body.id;
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('a fund year through the staff console', () => {
  it("allocates the community's money from the district's allocation screen", async () => {
    const district = await signIn('district', '官渡区（演示）', '区级管理员');
    await district.page.locator('nav a', { hasText: '经费分配' }).click();
    await settled(district.page);

    await field(district, 'communityId').locator('select').selectOption({ label: '星河社区' });
    await fill(district, 'amountFen', '200000');
    await fill(district, 'sources', '区财政 200000');
    await district.page.locator('main form button[type=submit]').dblclick();
    await flash(district, '已保存');

    const saved = await api.call('GET', `/v1/allocations/2025/${DEMO.community}`, { token: a.district });
    expect(saved.body).toMatchObject({
      amountFen: 20_000_000,
      sources: [{ funder: '区财政', amountFen: 20_000_000 }],
    });
    await checkScreen(district, 'district-allocations');
    await district.page.context().close();
  });

  it('signs the community in from the list of demo accounts, onto its home with its money', async () => {
    community = await signIn('community', '官渡街道 · 星河社区', '社区工作人员');
    const text = await community.page.locator('main').innerText();
    const header = await community.page.locator('header').innerText();

    expect(header).toContain('星河社区 演示账号');
    expect(header).toContain('社区工作人员');
    expect(text).toContain('200,000.00 元');
    expect(text).toContain('本年度还没有项目');
    expect(text).toContain('待回应的居民需求（1）');
    expect(text).toContain('楼道灯不亮');
    expect(await community.page.locator('html').getAttribute('lang')).toBe('zh-CN');
    checkJsBudget(community);
    await checkScreen(community, 'community-home-empty');
  });

  it('drafts a project: a refusal appears in Chinese beside the field it names, and a double click makes one project', async () => {
    await community.page.locator('nav a', { hasText: '新建项目' }).click();
    await settled(community.page);
    await checkScreen(community, 'new-project');
    expect(await community.page.locator('aside').innerText()).toContain('购买办公设备');

    await field(community, 'category').locator('select').selectOption({ label: '社区物业服务' });
    await field(community, 'type').locator('select').selectOption('works');
    await fill(community, 'amountFen', '30000');
    await fill(community, 'measures', '更换小区内20盏损坏路灯，增设2盏太阳能灯');
    await fill(community, 'plannedEnd', '2025-12-15');
    await fill(community, 'title', '   ');
    await community.page.getByRole('button', { name: '保存为草稿' }).click();
    const titleError = field(community, 'title').locator('.field-error');
    await titleError.waitFor();

    expect(await titleError.innerText()).toBe('请填写此项');
    expect(await field(community, 'title').locator('input').getAttribute('aria-invalid')).toBe('true');
    expect(community.errors).toEqual(['HTTP 400 POST /v1/projects']);
    community.errors.length = 0;

    await fill(community, 'title', TITLE);
    await community.page.getByLabel('楼道灯不亮').check();
    await community.page.getByRole('button', { name: '保存为草稿' }).dblclick();
    await community.page.locator('main h1', { hasText: TITLE }).waitFor();
    await settled(community.page);
    projectId = decodeURIComponent(/#\/projects\/([^?]+)/.exec(community.page.url())![1]);
    const listed = await api.call('GET', `/v1/projects?communityId=${DEMO.community}&year=2025`, {
      token: a.community,
    });

    const whole = await api.call('GET', `/v1/projects/${projectId}`, { token: a.community });

    // One project, for all the double click: the list gives summaries, the project its linked need.
    expect(listed.body.items.map((p: any) => [p.id, p.title, p.amountFen, p.status])).toEqual([
      [projectId, TITLE, 3_000_000, 'DRAFT'],
    ]);
    expect(whole.body.needIds).toEqual([needId]);
    await checkScreen(community, 'project-draft');
  });

  it('records the four deliberations with their votes and submits the project', async () => {
    const steps = ['社区党组织提议', '社区“两委”会议商议', '党员大会审议', '居民代表会议决议'];
    for (const step of steps) {
      const chosen = await field(community, 'step').locator('select option:checked').innerText();
      expect(chosen).toBe(step);
      await fill(community, 'body', '社区居民代表会议');
      await fill(community, 'attendance', '20');
      await fill(community, 'votesFor', '18');
      await fill(community, 'votesAgainst', '1');
      await fill(community, 'abstentions', '1');
      await fill(community, 'minutes', '与会人员同意该项目');
      await community.page.getByRole('button', { name: '记录', exact: true }).click();
      await flash(community, `已记录「${step}」`);
    }
    await community.page.getByRole('button', { name: '提交街道审核' }).click();
    await flash(community, '已提交街道审核');

    const p = await projectNow();
    expect(p.status).toBe('UNDER_REVIEW');
    expect(p.deliberations.map((d: any) => [d.votesFor, d.votesAgainst, d.abstentions, d.passed])).toEqual(
      Array(4).fill([18, 1, 1, true]),
    );
    expect(await community.page.locator('main').innerText()).toContain('等待街道审核');
    await checkScreen(community, 'project-submitted');
  });

  it('puts the review at the top of the street’s work queue, with working days left, and the street passes it', async () => {
    street = await signIn('street', '官渡街道', '街道工作人员');
    const row = street.page.locator('table.queue tbody tr', { hasText: TITLE });
    const text = await row.innerText();

    expect(text).toContain('立项审核');
    expect(text).toContain('星河社区');
    expect(text).toMatch(/还剩 \d+ 个工作日|今天截止/);
    expect(await street.page.locator('main').innerText()).toContain('200,000.00 元');
    checkJsBudget(street);
    await checkScreen(street, 'street-home-review');

    await row.locator('a').click();
    await settled(street.page);
    await fill(street, 'comment', '同意公示');
    await street.page.getByRole('button', { name: '提交审核意见' }).click();
    await flash(street, '审核通过，项目已进入公示');

    expect((await projectNow()).status).toBe('IN_PUBLICITY');
    await checkScreen(street, 'project-in-publicity');
  });

  it('takes a resident’s objection on the notice board', async () => {
    const resident = await phonePage(browser);
    await resident.page.goto(`${server.baseUrl}/project.html?id=${projectId}`);
    await resident.page.locator('#content').fill('路灯离住户窗户太近，晚上影响休息');
    await resident.page.getByRole('button', { name: '提交异议' }).click();
    await resident.page.getByTestId('receipt').waitFor();

    expect(resident.errors).toEqual([]);
    expect((await projectNow()).objections).toHaveLength(1);
    await resident.page.context().close();
  });

  it('lets the street resolve the objection once the window closed, then approve', async () => {
    await api.advance('P8D');
    await go(street, '#/');
    const row = street.page.locator('table.queue tbody tr', { hasText: TITLE });
    const late = street.page.locator('table.queue tbody tr', { hasText: '村民活动室照明改造' });
    expect(await row.innerText()).toContain('处理异议');
    // The sibling's review fell due on 22 September: one working day ago on the 23rd, marked.
    expect(await late.innerText()).toContain('已逾期 1 个工作日');
    expect(await late.locator('.badge.overdue').count()).toBe(1);
    expect(await street.page.locator('main > section > p').first().innerText()).toContain('1 件已逾期');
    // Soonest deadline first: the overdue review comes before the objection.
    const order = await street.page.locator('table.queue tbody tr td:nth-child(2)').allInnerTexts();
    expect(order).toEqual(['村民活动室照明改造', TITLE]);
    await checkScreen(street, 'street-home-objection');
    await saveHome(street, 'street-home');

    await row.locator('a').click();
    await settled(street.page);
    expect(await street.page.locator('blockquote.objection').innerText()).toBe('路灯离住户窗户太近，晚上影响休息');
    await checkScreen(street, 'project-objection');
    await fill(street, 'reply', '经现场核实，位置合理');
    await street.page.getByRole('button', { name: '提交处理结果' }).click();
    await flash(street, '已答复：异议不成立');
    expect((await projectNow()).status).toBe('AWAITING_APPROVAL');

    await fill(street, 'comment', '批准');
    await street.page.getByRole('button', { name: '提交审批意见' }).click();
    await flash(street, '已批准');

    const p = await projectNow();
    expect(p.status).toBe('IN_PROGRESS');
    expect(p.tranches.map((t: any) => t.amountFen)).toEqual([1_500_000, 900_000, 600_000]);
    await checkScreen(street, 'project-approved');
  });

  it('has the community report progress and the street accept each of the three stages', async () => {
    for (const [n, percent] of [
      [1, '50'],
      [2, '80'],
      [3, '100'],
    ] as const) {
      await go(community, `#/projects/${projectId}`);
      await fill(community, 'percent', percent);
      await fill(community, 'note', `已完成 ${percent}%`);
      await community.page.getByRole('button', { name: '报告进度' }).click();
      await flash(community, '已报告进度');
      if (n === 1) await checkScreen(community, 'project-progress');

      await go(street, '#/');
      const row = street.page.locator('table.queue tbody tr', { hasText: TITLE });
      expect(await row.innerText()).toContain(`第 ${n} 阶段验收`);
      await row.locator('a').click();
      await settled(street.page);
      await fill(street, 'comment', '验收合格');
      await fill(street, 'satisfaction', '95');
      await street.page.getByRole('button', { name: `提交第 ${n} 阶段验收结果` }).click();
      await flash(street, `第 ${n} 阶段验收合格`);
    }

    const p = await projectNow();
    expect(p.status).toBe('COMPLETION_PUBLICITY');
    expect(p.tranches.map((t: any) => t.paidFen)).toEqual([1_500_000, 900_000, 600_000]);
    await checkScreen(street, 'project-accepted');
    await go(street, '#/');
    expect(await street.page.locator('table.queue').innerText()).not.toContain(TITLE);
  });

  it('shows the community its money paid and the finished project on its home', async () => {
    await go(community, '#/');
    const text = await community.page.locator('main').innerText();

    expect(text).toContain('30,000.00 元');
    expect(text).toContain('完成公示中');
    expect(text).toContain('待回应的居民需求（0）');
    await checkScreen(community, 'community-home');
    await saveHome(community, 'community-home');
  });

  it("runs the year end from the district's screen and shows the auditor the project's record", async () => {
    await api.advance('P100D');
    const district = await signIn('district', '官渡区（演示）', '区级管理员');
    checkJsBudget(district);
    // The clock is now in January: the district opens the year that has just ended.
    await go(district, '#/year-end?year=2025');
    await district.page.locator('main form button[type=submit]').click();
    await district.page.locator('main article.report').waitFor();

    const report = await district.page.locator('main article.report').innerText();
    expect(report).toContain('2025 年度社区服务群众专项经费年终清算报告');
    expect(report).toContain('星河社区');
    const stored = await api.call('GET', '/v1/year-end/2025', { token: a.district });
    expect(stored.status).toBe(200);
    await checkScreen(district, 'district-year-end');

    const auditor = await signIn('auditor', '官渡区（演示）', '审计人员');
    await go(auditor, `#/projects/${projectId}`);
    expect(await auditor.page.locator('main').innerText()).toContain('验收合格');
    await checkScreen(auditor, 'auditor-project');
  });
});
