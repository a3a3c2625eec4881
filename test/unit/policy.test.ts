import { describe, expect, it } from 'vitest';
import {
  checkProjectUse,
  loadProfileFromObject,
  missingDeliberations,
  projectDeadlines,
  votePasses,
  type PolicyProfile,
} from '../../functions/domain/policy.ts';
import { loadProfile } from '../../functions/policies/index.ts';

// Built-in profiles are the fixtures: the rules must hold on the data the product ships.
const guandu = loadProfile('guandu');
const fengtai = loadProfile('fengtai');
const liuzhou = loadProfile('liuzhou');
const qiaoxi = loadProfile('qiaoxi');
const gaoming = loadProfile('gaoming');

const clone = (p: PolicyProfile): Record<string, unknown> => JSON.parse(JSON.stringify(p));

describe('loadProfileFromObject', () => {
  it('names the bad field path and the rule for a non-positive tranche', () => {
    // Prepare
    const bad = { ...clone(guandu), id: 'x', trancheSplit: [5, 0, 2] };
    // Act / Assess
    expect(() => loadProfileFromObject(bad)).toThrow(
      /^policy profile "x": trancheSplit\.1: must be a positive integer/,
    );
  });

  it('refuses funder shares that do not sum to 100', () => {
    // Prepare
    const bad = {
      ...clone(liuzhou),
      funders: [
        { id: 'city', name: '市', sharePercent: 60 },
        { id: 'district', name: '区', sharePercent: 50 },
      ],
    };
    // Act / Assess
    expect(() => loadProfileFromObject(bad)).toThrow(/funders: sharePercent must sum to 100, got 110/);
  });

  it('refuses a publicity shorter than 7 days', () => {
    // Prepare
    const bad = { ...clone(guandu), publicityDays: 5 };
    // Act / Assess
    expect(() => loadProfileFromObject(bad)).toThrow(/publicityDays: must be an integer of at least 7/);
  });

  it('refuses an unknown field instead of ignoring it', () => {
    // Prepare
    const bad = { ...clone(guandu), publicityDay: 7 };
    // Act / Assess
    expect(() => loadProfileFromObject(bad)).toThrow(/policy profile "guandu": \(root\): .*publicityDay/);
  });

  it('refuses a restricted use that points at a missing category', () => {
    // Prepare
    const bad = clone(fengtai) as { restrictedUses: { categoryIds: string[] }[] };
    bad.restrictedUses[0].categoryIds = ['nowhere'];
    // Act / Assess
    expect(() => loadProfileFromObject(bad)).toThrow(/restrictedUses\.0\.categoryIds\.0: unknown category "nowhere"/);
  });

  it('refuses a profile missing a required reminder template', () => {
    // Prepare
    const bad = clone(guandu) as { reminders: { templates: Record<string, unknown> } };
    delete bad.reminders.templates.escalation;
    // Act / Assess
    expect(() => loadProfileFromObject(bad)).toThrow(/reminders\.templates\.escalation: is required/);
  });

  it('refuses a template placeholder the sender would not replace', () => {
    // Prepare
    const bad = clone(guandu) as { reminders: { templates: Record<string, { sms: string }> } };
    bad.reminders.templates.review.sms = '请于{deadline}前评审{project}';
    // Act / Assess
    expect(() => loadProfileFromObject(bad)).toThrow(
      /reminders\.templates\.review\.sms: unknown placeholder \{deadline\}/,
    );
  });

  it('refuses a district pool without its minimum', () => {
    // Prepare
    const bad = clone(gaoming) as { allocation: Record<string, unknown> };
    delete bad.allocation.poolMinimumFen;
    // Act / Assess
    expect(() => loadProfileFromObject(bad)).toThrow(
      /allocation\.poolMinimumFen: is required when mode is district_pool/,
    );
  });

  it('refuses a missing project type', () => {
    // Prepare
    const bad = clone(qiaoxi) as { projectTypes: unknown[] };
    bad.projectTypes = bad.projectTypes.slice(0, 2);
    // Act / Assess
    expect(() => loadProfileFromObject(bad)).toThrow(/projectTypes: must list service, goods and works once each/);
  });

  it('refuses two rules with the same id', () => {
    // Prepare
    const bad = clone(guandu) as { prohibitedUses: { rule: string }[] };
    bad.prohibitedUses[1].rule = bad.prohibitedUses[0].rule;
    // Act / Assess
    expect(() => loadProfileFromObject(bad)).toThrow(
      /prohibitedUses\.1\.rule: duplicate rule "prohibited\.office_equipment"/,
    );
  });
});

describe('checkProjectUse', () => {
  const ok = { category: 'hardship', title: '困难老人送餐服务', measures: '为辖区孤寡老人每日送餐上门' };

  it('allows an ordinary project in a known category', () => {
    // Act / Assess
    expect(checkProjectUse(guandu, ok)).toBeNull();
  });

  it('refuses an unknown category on the category field', () => {
    // Act
    const r = checkProjectUse(guandu, { ...ok, category: 'fireworks' });
    // Assess
    expect(r).toMatchObject({ status: 422, rule: 'category.unknown', field: 'category' });
  });

  it('refuses a category named after a prohibited use with that rule', () => {
    // Act
    const r = checkProjectUse(guandu, { ...ok, category: 'office_equipment' });
    // Assess
    expect(r).toMatchObject({ status: 422, rule: 'prohibited.office_equipment', field: 'category' });
  });

  it('refuses prohibited wording in the title', () => {
    // Act
    const r = checkProjectUse(guandu, { ...ok, title: '购置办公设备一批' });
    // Assess
    expect(r).toMatchObject({ status: 422, rule: 'prohibited.office_equipment', field: 'title' });
  });

  it('refuses prohibited wording in the measures, also in traditional characters', () => {
    // Act
    const r = checkProjectUse(fengtai, {
      category: 'community_activities',
      title: '中秋联欢',
      measures: '活動結束後用於償還債務',
    });
    // Assess
    expect(r).toMatchObject({ status: 422, rule: 'prohibited.debt_repayment', field: 'measures' });
  });

  it.each([
    ['prohibited.hospitality', '上级来访招待'],
    ['prohibited.staff_pay', '发放社区工作人员奖金'],
    ['prohibited.office_construction', '新建办公用房'],
    ['prohibited.office_improvement', '办公室装修'],
    ['prohibited.debt_repayment', '偿还债务'],
    ['prohibited.indiscriminate_handout', '为全体居民普遍发放大米'],
    ['prohibited.office_expenses', '支付办公经费'],
  ])('names %s', (rule, title) => {
    // Act
    const r = checkProjectUse(qiaoxi, { category: 'other_livelihood', title, measures: '按计划实施' });
    // Assess
    expect(r?.rule).toBe(rule);
  });

  it('refuses a Fengtai not-encouraged use', () => {
    // Act
    const r = checkProjectUse(fengtai, {
      category: 'service_support',
      title: '维修市政设施路灯',
      measures: '更换灯具',
    });
    // Assess
    expect(r).toMatchObject({ status: 422, rule: 'not_encouraged.other_fund_available', field: 'title' });
  });

  it('refuses a restricted category without restrictedUse', () => {
    // Act
    const r = checkProjectUse(fengtai, {
      category: 'old_estate_improvement',
      title: '老旧小区安装门禁',
      measures: '安装单元门禁',
    });
    // Assess
    expect(r).toMatchObject({ status: 422, rule: 'restricted.old_estate', field: 'restrictedUse' });
  });

  it('refuses a restricted use citing a rule of another category', () => {
    // Act
    const r = checkProjectUse(fengtai, {
      category: 'old_estate_improvement',
      title: '老旧小区安装门禁',
      measures: '安装单元门禁',
      restrictedUse: { rule: 'restricted.pressing_livelihood', justification: '该小区无物业管理，居民多次反映失窃' },
    });
    // Assess
    expect(r).toMatchObject({ status: 422, field: 'restrictedUse.rule' });
  });

  it('refuses a justification shorter than 10 characters', () => {
    // Act
    const r = checkProjectUse(fengtai, {
      category: 'old_estate_improvement',
      title: '老旧小区安装门禁',
      measures: '安装单元门禁',
      restrictedUse: { rule: 'restricted.old_estate', justification: '无物业' },
    });
    // Assess
    expect(r).toMatchObject({ status: 422, rule: 'restricted.old_estate', field: 'restrictedUse.justification' });
  });

  it('allows a restricted category with a matching rule and a justification', () => {
    // Act
    const r = checkProjectUse(fengtai, {
      category: 'old_estate_improvement',
      title: '老旧小区安装门禁',
      measures: '安装单元门禁',
      restrictedUse: {
        rule: 'restricted.old_estate',
        justification: '该小区产权单位弃管，无物业管理，居民多次反映失窃',
      },
    });
    // Assess
    expect(r).toBeNull();
  });
});

describe('missingDeliberations', () => {
  it('lists every submit-gate step of 四议两公开 when nothing is recorded', () => {
    // Act
    const missing = missingDeliberations(guandu, [], 'submit');
    // Assess
    expect(missing).toEqual([
      'party_branch_proposal',
      'two_committees_consultation',
      'party_members_review',
      'residents_resolution',
    ]);
  });

  it('does not count a failed vote', () => {
    // Prepare
    const recorded = [
      { step: 'party_branch_proposal', passed: true },
      { step: 'two_committees_consultation', passed: true },
      { step: 'party_members_review', passed: true },
      { step: 'residents_resolution', passed: false },
    ];
    // Act
    const missing = missingDeliberations(guandu, recorded, 'submit');
    // Assess
    expect(missing).toEqual(['residents_resolution']);
  });

  it('asks for the Fengtai commitment only at implementation', () => {
    // Prepare
    const recorded = ['motion', 'consultation', 'review', 'resolution'].map((step) => ({ step, passed: true }));
    // Act
    const atApproval = missingDeliberations(fengtai, recorded, 'approval');
    const atImplementation = missingDeliberations(fengtai, recorded, 'implementation');
    // Assess
    expect(atApproval).toEqual([]);
    expect(atImplementation).toEqual(['commitment']);
  });

  it('includes earlier gates when checking a later one', () => {
    // Act
    const missing = missingDeliberations(gaoming, [{ step: 'town_prescreen', passed: true }], 'approval');
    // Assess
    expect(missing).toEqual(['village_self_recommendation', 'district_committee_vote']);
  });
});

describe('votePasses', () => {
  const cast = { passRule: 'majority_of_cast' as const };
  const attendance = { passRule: 'majority_of_attendance' as const };
  const twoThirds = { passRule: 'two_thirds_of_attendance' as const };

  it('passes majority_of_cast only above half of the votes cast, abstentions included', () => {
    // Act / Assess
    expect(votePasses(cast, { attendance: 10, votesFor: 5, votesAgainst: 3, abstentions: 1 })).toBe(true);
    expect(votePasses(cast, { attendance: 10, votesFor: 4, votesAgainst: 2, abstentions: 2 })).toBe(false);
    expect(votePasses(cast, { attendance: 10, votesFor: 0, votesAgainst: 0, abstentions: 0 })).toBe(false);
  });

  it('passes majority_of_attendance only above half of those present', () => {
    // Act / Assess
    expect(votePasses(attendance, { attendance: 10, votesFor: 5, votesAgainst: 0, abstentions: 0 })).toBe(false);
    expect(votePasses(attendance, { attendance: 10, votesFor: 6, votesAgainst: 0, abstentions: 0 })).toBe(true);
  });

  it('passes two_thirds_of_attendance at exactly two thirds', () => {
    // Act / Assess
    expect(votePasses(twoThirds, { attendance: 9, votesFor: 6, votesAgainst: 3, abstentions: 0 })).toBe(true);
    expect(votePasses(twoThirds, { attendance: 9, votesFor: 5, votesAgainst: 4, abstentions: 0 })).toBe(false);
  });

  it('never passes a tally with more votes than people present', () => {
    // Act / Assess
    expect(votePasses(cast, { attendance: 3, votesFor: 4, votesAgainst: 0, abstentions: 0 })).toBe(false);
  });

  it('passes a "none" step once recorded', () => {
    // Act / Assess
    expect(votePasses({ passRule: 'none' }, { attendance: 0, votesFor: 0, votesAgainst: 0, abstentions: 0 })).toBe(
      true,
    );
  });

  describe('Gaoming district committee (per-member votes)', () => {
    const step = gaoming.deliberation.steps.find((s) => s.id === 'district_committee_vote')!;
    const members = (for_: number, against: number, abstain: number) => [
      ...Array.from({ length: for_ }, (_, i) => ({ member: `f${i}`, vote: 'for' as const })),
      ...Array.from({ length: against }, (_, i) => ({ member: `a${i}`, vote: 'against' as const })),
      ...Array.from({ length: abstain }, (_, i) => ({ member: `s${i}`, vote: 'abstain' as const })),
    ];

    it('passes with more than half of the votes in favour', () => {
      // Act / Assess
      expect(
        votePasses(step, {
          attendance: 7,
          votesFor: 4,
          votesAgainst: 3,
          abstentions: 0,
          memberVotes: members(4, 3, 0),
        }),
      ).toBe(true);
    });

    it('fails at exactly half', () => {
      // Act / Assess
      expect(
        votePasses(step, {
          attendance: 6,
          votesFor: 3,
          votesAgainst: 2,
          abstentions: 1,
          memberVotes: members(3, 2, 1),
        }),
      ).toBe(false);
    });

    it('fails when the tallies disagree with the member votes', () => {
      // Act / Assess
      expect(
        votePasses(step, {
          attendance: 7,
          votesFor: 5,
          votesAgainst: 2,
          abstentions: 0,
          memberVotes: members(4, 3, 0),
        }),
      ).toBe(false);
    });

    it('fails without member votes', () => {
      // Act / Assess
      expect(votePasses(step, { attendance: 7, votesFor: 5, votesAgainst: 2, abstentions: 0 })).toBe(false);
    });

    it('fails when one member votes twice', () => {
      // Prepare
      const twice = [...members(3, 2, 0), { member: 'f0', vote: 'for' as const }];
      // Act / Assess
      expect(
        votePasses(step, { attendance: 7, votesFor: 4, votesAgainst: 2, abstentions: 0, memberVotes: twice }),
      ).toBe(false);
    });
  });
});

describe('projectDeadlines', () => {
  it('gives a Qiaoxi service project a start deadline one month after approval', () => {
    // Act
    const d = projectDeadlines(qiaoxi, 'service', '2025-03-10', 2025);
    // Assess
    expect(d).toEqual({ startDueAt: '2025-04-10T23:59:59+08:00', completionDueAt: '2025-12-31T23:59:59+08:00' });
  });

  it('gives Qiaoxi goods a delivery deadline of one month, clamped to the month end', () => {
    // Act
    const d = projectDeadlines(qiaoxi, 'goods', '2025-01-31', 2025);
    // Assess
    expect(d).toEqual({ completionDueAt: '2025-02-28T23:59:59+08:00' });
  });

  it('gives Qiaoxi works six months, past the year end since unfinished projects do not fail there', () => {
    // Act
    const d = projectDeadlines(qiaoxi, 'works', '2025-09-15', 2025);
    // Assess
    expect(d).toEqual({ completionDueAt: '2026-03-15T23:59:59+08:00' });
  });

  it('caps a type deadline at the fund year end when unfinished projects fail', () => {
    // Prepare
    const strict = loadProfileFromObject({ ...clone(qiaoxi), yearEnd: { ...qiaoxi.yearEnd, unfinishedFails: true } });
    // Act
    const d = projectDeadlines(strict, 'works', '2025-09-15', 2025);
    // Assess
    expect(d).toEqual({ completionDueAt: '2025-12-31T23:59:59+08:00' });
  });

  it('uses the fund year end where the profile has no type deadline', () => {
    // Act
    const d = projectDeadlines(liuzhou, 'works', '2025-05-20', 2025);
    // Assess
    expect(d).toEqual({ completionDueAt: '2025-12-31T23:59:59+08:00' });
  });
});
