import { describe, expect, it } from 'vitest';
import type { components } from '../../functions/openapi/api-types.ts';
import { chartSummary, seriesTotals, tableRows } from '../../infra/console/src/charts/spec.ts';
import { csvCells, parseAllocationCsv } from '../../infra/console/src/district/allocationCsv.ts';
import { auditProjectId, filterAudit, type AuditEvent } from '../../infra/console/src/district/audit.ts';
import { pendingChanges } from '../../infra/console/src/district/changeRequests.ts';
import {
  deadlinesByWeek,
  moneyByCommunity,
  moneyByStreet,
  nextDeadline,
  projectsByStatus,
} from '../../infra/console/src/district/figures.ts';

// The district's and the auditor's screens, their pure parts: the CSV of allocations, pending
// change requests, the chart figures and their tables, and the audit trail's filters.

type Allocation = components['schemas']['AllocationView'];
type HistoryEvent = components['schemas']['HistoryEvent'];
type Org = components['schemas']['GetOrgResponse'];

const communities = [
  { id: 'gd-gdjd-xh', name: '西华社区' },
  { id: 'gd-gdjd-jx', name: '金星社区' },
];
const withThird = [...communities, { id: 'c3', name: '汪家社区' }];

describe('allocations from a CSV file', () => {
  it('reads names or ids, yuan with commas, a header, quotes and the default source', () => {
    // Prepare: what Excel writes (BOM, CRLF, a quoted amount with a thousands comma).
    const text =
      '\uFEFF社区,金额（元）,资金来源\r\n西华社区,"200,000",区财政:150000；街道配套:50000\r\ngd-gdjd-jx,180000.5,\r\n';
    // Act
    const { rows, problems } = parseAllocationCsv(text, communities, { pool: false });
    // Assess
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      {
        line: 2,
        communityId: 'gd-gdjd-xh',
        name: '西华社区',
        amountFen: 20_000_000,
        sources: [
          { funder: '区财政', amountFen: 15_000_000 },
          { funder: '街道配套', amountFen: 5_000_000 },
        ],
      },
      {
        line: 3,
        communityId: 'gd-gdjd-jx',
        name: '金星社区',
        amountFen: 18_000_050,
        sources: [{ funder: '区财政', amountFen: 18_000_050 }],
      },
    ]);
  });

  it('names every bad row with its line', () => {
    const text = [
      '社区,金额,来源',
      '不存在社区,1000,',
      '西华社区,一万,',
      '金星社区,1000,区财政:600;街道:300',
      '西华社区,1000,',
      'gd-gdjd-xh,1000,',
      'c3,100,区财政=100',
    ].join('\n');
    const { problems } = parseAllocationCsv(text, withThird, { pool: false });
    // A community named twice is a problem on the second row even when the first was bad too.
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(problems[0].message).toBe('第2行：找不到社区“不存在社区”，请填写社区名称或编号');
    expect(problems[1].message).toContain('第3行：金额“一万”');
    expect(problems[2].message).toContain('第4行：资金来源合计 900.00 元，与金额 1000.00 元不一致');
    expect(problems[3].message).toContain('第5行：西华社区 在第3行已经出现');
    expect(problems[4].message).toContain('第6行：西华社区 在第3行已经出现');
    expect(problems[5].message).toContain('第7行：资金来源“区财政=100”');
  });

  it('takes the pool row only under a district-pool profile', () => {
    const text = '区级统筹,5000000,\nPOOL,1,';
    const withPool = parseAllocationCsv(text.split('\n')[0], communities, { pool: true });
    expect(withPool.rows).toEqual([
      expect.objectContaining({ communityId: 'POOL', amountFen: 500_000_000, name: '区级统筹' }),
    ]);
    const without = parseAllocationCsv(text, communities, { pool: false });
    expect(without.problems.map((p) => p.line)).toEqual([1, 2]);
    expect(without.problems[0].message).toContain('没有区级统筹资金池');
  });

  it('refuses an empty file and extra columns', () => {
    expect(parseAllocationCsv('\n\n', communities, { pool: false }).problems).toEqual([
      { line: 0, message: '文件中没有分配数据' },
    ]);
    expect(parseAllocationCsv('西华社区,1000,,多余', communities, { pool: false }).problems[0].message).toContain(
      '多出了列',
    );
  });

  it('splits cells on commas outside quotes, with "" as a quote', () => {
    expect(csvCells('a,"b,c","d""e",')).toEqual(['a', 'b,c', 'd"e', '']);
  });
});

const actor = { sub: 'c1', role: 'community', orgUnitId: 'gd-gdjd-xh' };
const event = (action: string, at: string, details: Record<string, unknown>): HistoryEvent => ({
  at,
  actor,
  action,
  fromStatus: 'IN_PROGRESS',
  toStatus: 'IN_PROGRESS',
  details,
});

describe('pending change requests', () => {
  it('lists the requests without a decision, oldest first', () => {
    const history = [
      event('change_requested', '2025-10-02T10:00:00+08:00', {
        changeRequestId: 'cr2',
        reason: '延期',
        plannedEnd: '2025-12-31',
      }),
      event('change_requested', '2025-10-01T10:00:00+08:00', {
        changeRequestId: 'cr1',
        reason: '增项',
        amountFen: 100,
      }),
      event('change_decided', '2025-10-03T10:00:00+08:00', { changeRequestId: 'cr1', approve: true }),
      event('change_requested', '2025-10-01T09:00:00+08:00', { changeRequestId: 'cr3', reason: '减项', amountFen: 50 }),
    ];
    expect(pendingChanges(history)).toEqual([
      {
        changeRequestId: 'cr3',
        requestedAt: '2025-10-01T09:00:00+08:00',
        amountFen: 50,
        plannedEnd: undefined,
        reason: '减项',
      },
      {
        changeRequestId: 'cr2',
        requestedAt: '2025-10-02T10:00:00+08:00',
        amountFen: undefined,
        plannedEnd: '2025-12-31',
        reason: '延期',
      },
    ]);
  });
});

const org = {
  district: { id: 'gd', name: '官渡区' },
  streets: [
    { id: 's1', name: '关渡街道', communities: communities.map((c) => ({ ...c, kind: 'urban' })) },
    { id: 's2', name: '矣六街道', communities: [{ id: 'c3', name: '汪家社区', kind: 'village' }] },
  ],
} as unknown as Org;
const alloc = (communityId: string, streetId: string, amountFen: number, reservedFen: number, paidFen: number) =>
  ({ communityId, streetId, amountFen, reservedFen, paidFen }) as Allocation;

describe('district figures', () => {
  const allocations = [
    alloc('gd-gdjd-xh', 's1', 1000, 300, 100),
    alloc('gd-gdjd-jx', 's1', 2000, 0, 0),
    alloc('POOL', 'gd', 5000, 1000, 0),
  ];

  it('gives money per community in the tree order (unallocated as 0, the pool last) and per street', () => {
    expect(moneyByCommunity(org, allocations)).toEqual([
      { label: '西华社区', allocatedFen: 1000, reservedFen: 300, paidFen: 100 },
      { label: '金星社区', allocatedFen: 2000, reservedFen: 0, paidFen: 0 },
      { label: '汪家社区', allocatedFen: 0, reservedFen: 0, paidFen: 0 },
      { label: '区级统筹', allocatedFen: 5000, reservedFen: 1000, paidFen: 0 },
    ]);
    expect(moneyByStreet(org, allocations)).toEqual([
      { label: '关渡街道', allocatedFen: 3000, reservedFen: 300, paidFen: 100 },
      { label: '矣六街道', allocatedFen: 0, reservedFen: 0, paidFen: 0 },
    ]);
  });

  it('counts projects per status in lifecycle order, leaving out statuses with none', () => {
    const projects = [{ status: 'CLOSED' }, { status: 'DRAFT' }, { status: 'CLOSED' }] as never[];
    expect(projectsByStatus(projects, ['DRAFT', 'UNDER_REVIEW', 'CLOSED'])).toEqual([
      { status: 'DRAFT', count: 1 },
      { status: 'CLOSED', count: 2 },
    ]);
  });

  it("takes the deadline the project's status waits on, not an earlier one it has passed", () => {
    const p = {
      status: 'AWAITING_APPROVAL',
      deadlines: { reviewDueAt: '2025-09-01T23:59:59+08:00', approvalDueAt: '2025-10-14T23:59:59+08:00' },
    } as never;
    expect(nextDeadline(p)).toBe('2025-10-14T23:59:59+08:00');
    expect(nextDeadline({ status: 'CLOSED', deadlines: { reviewDueAt: 'x' } } as never)).toBeUndefined();
  });

  it('puts open deadlines into overdue, this week and the weeks after', () => {
    const now = new Date('2025-10-08T10:00:00+08:00');
    const due = (at: string) => ({ status: 'UNDER_REVIEW', deadlines: { reviewDueAt: at } }) as never;
    const weeks = deadlinesByWeek(
      [
        due('2025-10-07T23:59:59+08:00'),
        due('2025-10-08T23:59:59+08:00'),
        due('2025-10-14T23:59:59+08:00'),
        due('2025-10-15T23:59:59+08:00'),
        due('2025-12-31T23:59:59+08:00'),
      ],
      now,
      3,
    );
    expect(weeks).toEqual([
      { label: '已逾期', count: 1 },
      { label: '本周', count: 2 },
      { label: '第2周', count: 1 },
      { label: '第3周', count: 0 },
    ]);
  });

  it("gives a chart's table one row per label and the totals of each series", () => {
    const spec = {
      labels: ['甲', '乙'],
      series: [
        { label: '已分配', values: [100, 200] },
        { label: '已支付', values: [10, 0] },
      ],
    };
    expect(tableRows(spec)).toEqual([
      { label: '甲', values: [100, 10] },
      { label: '乙', values: [200, 0] },
    ]);
    expect(seriesTotals(spec)).toEqual([300, 10]);
    expect(chartSummary('各社区经费', spec)).toBe('各社区经费：已分配、已支付，共 2 项，数字见下表');
  });
});

describe('audit trail filters', () => {
  const e = (id: string, sub: string, role: string, path: string): AuditEvent => ({
    id,
    at: '2025-10-08T10:00:00+08:00',
    actor: { sub, role, orgUnitId: 'gd-gdjd' },
    route: 'POST /v1/projects/{id}/review',
    path,
    status: 200,
    sourceIp: '127.0.0.1',
  });
  const items = [
    e('1', 's1', 'street', '/v1/projects/P1/review'),
    e('2', 'd1', 'district', '/v1/allocations/2025/gd-gdjd-xh'),
    e('3', 's1', 'street', '/v1/projects/P2/approval'),
  ];

  it('reads the project from the path', () => {
    expect(auditProjectId('/v1/projects/01JX/objections/9/resolution')).toBe('01JX');
    expect(auditProjectId('/v1/allocations/2025/x')).toBeUndefined();
  });

  it('keeps the events of the actor and the project asked for, and all when nothing is asked', () => {
    expect(filterAudit(items, { actor: '', project: '' }).map((x) => x.id)).toEqual(['1', '2', '3']);
    expect(filterAudit(items, { actor: 'STREET', project: '' }).map((x) => x.id)).toEqual(['1', '3']);
    expect(filterAudit(items, { actor: 's1', project: 'p2' }).map((x) => x.id)).toEqual(['3']);
    expect(filterAudit(items, { actor: 'd1', project: 'P1' })).toEqual([]);
  });
});
