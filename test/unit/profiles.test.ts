import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import chineseDays from 'chinese-days';
import { afterAll, describe, expect, it } from 'vitest';
import { addCalendarDays, dayOfWeek } from '../../functions/domain/calendar.ts';
import { builtInProfileIds, loadBuiltInCalendars, loadProfile } from '../../functions/policies/index.ts';

const YUAN = 100;

describe('built-in profiles', () => {
  it.each(builtInProfileIds)('%s loads and validates', (id) => {
    // Act
    const profile = loadProfile(id);
    // Assess
    expect(profile.id).toBe(id);
  });

  it.each(builtInProfileIds)('%s prohibits the whole union of Guandu and Fengtai uses', (id) => {
    // Act
    const rules = loadProfile(id).prohibitedUses.map((p) => p.rule);
    // Assess
    expect(rules.sort()).toEqual(
      [
        'prohibited.debt_repayment',
        'prohibited.government_funded',
        'prohibited.hospitality',
        'prohibited.indiscriminate_handout',
        'prohibited.office_construction',
        'prohibited.office_equipment',
        'prohibited.office_expenses',
        'prohibited.office_improvement',
        'prohibited.staff_pay',
      ].sort(),
    );
  });

  it.each(builtInProfileIds)('%s cites a seed for every rule object', (id) => {
    // Prepare
    const p = loadProfile(id);
    const cited = [
      ...p.categories,
      ...p.restrictedUses,
      ...p.notEncouragedUses,
      ...p.prohibitedUses,
      ...p.deliberation.steps,
      ...p.deliberation.publicities,
      ...p.funders,
      ...p.sanctions.rules,
      ...(p.batches ?? []),
      p.allocation,
      p.review,
      p.approval,
      p.yearEnd,
      p.deliberation,
      ...(p.fastPath ? [p.fastPath] : []),
    ];
    // Act
    const uncited = cited.filter((o) => !/^00[0-4] /.test(o.source ?? ''));
    // Assess
    expect(uncited).toEqual([]);
  });

  it.each(builtInProfileIds)('%s keeps the 7-day publicity and words every reminder', (id) => {
    // Act
    const p = loadProfile(id);
    // Assess
    expect(p.publicityDays).toBeGreaterThanOrEqual(7);
    expect(p.reminders.templates.approval.sms).toContain('{project}');
  });
});

describe('Guandu', () => {
  const p = loadProfile('guandu');

  it('has the 7 categories, 四议两公开, street review and approval, 5:3:2', () => {
    // Assess
    expect(p.categories.map((c) => c.name)).toEqual([
      '特困群体服务',
      '民生帮扶类服务',
      '服务设施维护类服务',
      '便民生活类服务',
      '社区物业服务',
      '文体活动服务',
      '宣传服务',
    ]);
    expect(p.deliberation.name).toBe('四议两公开');
    expect(p.deliberation.steps).toHaveLength(4);
    expect(p.deliberation.publicities).toHaveLength(2);
    expect(p.review.by).toBe('street');
    expect(p.approval.by).toBe('street');
    expect(p.trancheSplit).toEqual([5, 3, 2]);
  });

  it('guarantees 200,000 yuan per urban and 50,000 yuan per 村改居 community', () => {
    // Assess
    expect(p.allocation).toMatchObject({
      mode: 'per_community',
      minimumFen: { urban: 200_000 * YUAN, village_to_residence: 50_000 * YUAN },
    });
  });
});

describe('Fengtai', () => {
  const p = loadProfile('fengtai');

  it('has 4 encouraged categories and restricted ones that carry a condition', () => {
    // Prepare
    const restricted = new Set(p.restrictedUses.flatMap((r) => r.categoryIds));
    // Act
    const encouraged = p.categories.filter((c) => !restricted.has(c.id)).map((c) => c.name);
    // Assess
    expect(encouraged).toEqual(['党建服务类', '平台运行类', '群众活动类', '服务保障类']);
    expect(p.restrictedUses.length).toBeGreaterThan(0);
    expect(p.restrictedUses.every((r) => r.condition.length > 0)).toBe(true);
    expect(p.notEncouragedUses.length).toBeGreaterThan(0);
  });

  it('runs 四议一承诺 with the commitment required before implementation', () => {
    // Act
    const commitment = p.deliberation.steps.find((s) => s.id === 'commitment');
    // Assess
    expect(p.deliberation.name).toBe('四议一承诺');
    expect(p.deliberation.steps).toHaveLength(5);
    expect(commitment?.requiredBefore).toBe('implementation');
  });
});

describe('Liuzhou', () => {
  const p = loadProfile('liuzhou');

  it('has the 4 categories with their items', () => {
    // Assess
    expect(p.categories.map((c) => c.name)).toEqual(['民生服务', '公益活动', '民主管理', '公共建设']);
    expect(p.categories.every((c) => (c.items ?? []).length > 0)).toBe(true);
  });

  it('lets the community approve up to 50,000 yuan and the street reply in 5 working days', () => {
    // Assess
    expect(p.fastPath).toMatchObject({ maxFen: 50_000 * YUAN, approver: 'community' });
    expect(p.approval.by).toBe('street');
    expect(p.approvalWorkingDays).toBe(5);
  });

  it('splits funding city/district 1:1 and fails unfinished projects at year end', () => {
    // Assess
    expect(p.funders.map((f) => [f.id, f.sharePercent])).toEqual([
      ['city', 50],
      ['district', 50],
    ]);
    expect(p.yearEnd.unfinishedFails).toBe(true);
  });
});

describe('Qiaoxi', () => {
  const p = loadProfile('qiaoxi');

  it('has 5 areas, 四议四公开 with four publicities, 50/50 funders, 200,000 yuan per community', () => {
    // Assess
    expect(p.categories).toHaveLength(5);
    expect(p.deliberation.name).toBe('四议四公开');
    expect(p.deliberation.steps).toHaveLength(4);
    expect(p.deliberation.publicities).toHaveLength(4);
    expect(p.funders.map((f) => f.sharePercent)).toEqual([50, 50]);
    expect(p.allocation.minimumFen.urban).toBe(200_000 * YUAN);
  });

  it('gives each project type its deadline', () => {
    // Act
    const byType = Object.fromEntries(p.projectTypes.map((t) => [t.id, t.deadline]));
    // Assess
    expect(byType).toEqual({
      service: { kind: 'start', months: 1 },
      goods: { kind: 'completion', months: 1 },
      works: { kind: 'completion', months: 6 },
    });
  });
});

describe('Gaoming', () => {
  const p = loadProfile('gaoming');

  it('pools at least 10,000,000 yuan for the district instead of per-village allocations', () => {
    // Assess
    expect(p.allocation.mode).toBe('district_pool');
    expect(p.allocation.poolMinimumFen).toBe(10_000_000 * YUAN);
  });

  it('runs two batches and self-recommend → town pre-screen → district committee vote', () => {
    // Act
    const steps = p.deliberation.steps.map((s) => [s.id, s.heldBy, s.passRule, s.perMemberVotes ?? false]);
    // Assess
    expect(p.batches).toHaveLength(2);
    expect(steps).toEqual([
      ['village_self_recommendation', 'community', 'none', false],
      ['town_prescreen', 'street', 'none', false],
      ['district_committee_vote', 'district', 'majority_of_cast', true],
    ]);
  });
});

describe('loadProfile from a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'profile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a district-written copy of a built-in profile', () => {
    // Prepare
    const copy = { ...loadProfile('guandu'), id: 'my-district', name: '某区' };
    const file = join(dir, 'mine.json');
    writeFileSync(file, JSON.stringify(copy));
    // Act
    const p = loadProfile(file);
    // Assess
    expect(p.id).toBe('my-district');
  });

  it('names the bad field of an invalid profile file', () => {
    // Prepare
    const bad = { ...loadProfile('qiaoxi'), id: 'broken', approvalWorkingDays: 0 };
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify(bad));
    // Act / Assess
    expect(() => loadProfile(file)).toThrow(/policy profile "broken": approvalWorkingDays: must be a positive integer/);
  });

  it('says so for an id that is neither built in nor a file', () => {
    // Act / Assess
    expect(() => loadProfile('atlantis')).toThrow(/not a built-in profile/);
  });

  it('says so for a file that is not JSON', () => {
    // Prepare
    const file = join(dir, 'garbage.json');
    writeFileSync(file, '{ not json');
    // Act / Assess
    expect(() => loadProfile(file)).toThrow(/is not valid JSON/);
  });
});

describe('shipped holiday calendars', () => {
  const calendars = loadBuiltInCalendars();

  it.each([2025, 2026])('%i agrees with chinese-days on every day of the year', (year) => {
    // Prepare
    const cal = calendars.get(year)!;
    const expectedHolidays: string[] = [];
    const expectedWorkdays: string[] = [];
    for (let day = `${year}-01-01`; day.startsWith(String(year)); day = addCalendarDays(day, 1)) {
      const detail = chineseDays.getDayDetail(day);
      const weekend = dayOfWeek(day) === 0 || dayOfWeek(day) === 6;
      // chinese-days names notice days "English,中文,n"; plain weekends get the weekday's name.
      const fromNotice = detail.name.includes(',');
      if (!detail.work && fromNotice) expectedHolidays.push(day);
      if (detail.work && weekend) expectedWorkdays.push(day);
    }
    // Act
    const ours = { holidays: [...cal.holidays].sort(), workdays: [...cal.workdays].sort() };
    // Assess
    expect(ours).toEqual({ holidays: expectedHolidays, workdays: expectedWorkdays });
  });

  it('2026 has the 9-day Spring Festival and the make-up Saturdays of the notice', () => {
    // Prepare
    const cal = calendars.get(2026)!;
    // Assess
    expect(cal.holidays.filter((d) => d >= '2026-02-15' && d <= '2026-02-23')).toHaveLength(9);
    expect(cal.workdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(cal.source).toContain('2026年部分节假日安排');
  });
});
