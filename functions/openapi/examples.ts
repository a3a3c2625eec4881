/**
 * Request examples for the reference page, in the language of the domain: a district's
 * portal sends Chinese titles, reasons and minutes. Keyed by route key.
 */
export const REQUEST_EXAMPLES: Record<string, unknown> = {
  'PUT /v1/calendar/{year}': {
    holidays: ['2027-01-01', '2027-02-06', '2027-02-07'],
    workdays: ['2027-02-14'],
    source: '国务院办公厅关于2027年部分节假日安排的通知',
  },
  'PUT /v1/allocations/{year}/{communityId}': {
    amountFen: 20_000_000,
    sources: [
      { funder: '区财政', amountFen: 16_000_000 },
      { funder: '街道', amountFen: 4_000_000 },
    ],
  },
  'POST /v1/communities/{communityId}/needs': {
    title: '小区路灯不亮',
    description: '3栋到5栋之间的路灯坏了半个月，晚上出行不安全',
    channel: 'visit',
  },
  'POST /v1/public/communities/{communityId}/needs': {
    title: '增设老年人休息座椅',
    description: '小区广场没有座椅，老人散步后无处休息',
    contact: '13800138000',
  },
  'POST /v1/projects': {
    communityId: 'gd-gdjd-xh',
    year: 2025,
    title: '老旧小区路灯维修',
    category: 'property_service',
    type: 'works',
    amountFen: 3_000_000,
    delivery: 'self',
    measures: '更换小区内20盏损坏路灯，增设2盏太阳能灯',
    plannedEnd: '2025-12-15',
    needIds: [],
  },
  'PATCH /v1/projects/{id}': { title: '老旧小区路灯维修及线路改造', amountFen: 3_500_000 },
  'POST /v1/projects/{id}/deliberations': {
    step: 'residents_resolution',
    heldOn: '2025-09-22',
    body: '居民代表会议',
    attendance: 20,
    votesFor: 18,
    votesAgainst: 1,
    abstentions: 1,
    minutes: '与会居民代表同意实施该项目',
  },
  'POST /v1/projects/{id}/review': { decision: 'pass', comment: '同意公示' },
  'POST /v1/public/projects/{id}/objections': { content: '路灯离住户窗户太近，晚上影响休息', contact: '13800138000' },
  'POST /v1/projects/{id}/objections/{objectionId}/resolution': {
    upheld: false,
    reply: '经现场核实，路灯位置合理，将加装遮光罩',
  },
  'POST /v1/projects/{id}/approval': { decision: 'approve', comment: '批准实施' },
  'POST /v1/projects/{id}/contract': {
    undertakerId: '01JBQ3S6M2Y8ZK7V5N4T1XW0AB',
    signedOn: '2025-10-20',
    amountFen: 2_800_000,
  },
  'POST /v1/projects/{id}/progress': { percent: 50, note: '已更换10盏路灯' },
  'POST /v1/projects/{id}/tranches/{n}/acceptance': { passed: true, comment: '第一阶段验收合格', satisfaction: 96 },
  'POST /v1/projects/{id}/change-requests': { amountFen: 3_200_000, reason: '材料价格上涨，需增加预算' },
  'POST /v1/change-requests/{id}/decision': { approve: true, comment: '同意变更' },
  'POST /v1/projects/{id}/withdraw': { reason: '居民意见不一致，暂缓实施' },
  'POST /v1/undertakers': { name: '星河社工服务中心', kind: 'social_org', creditCode: '52530111MJ0000001X' },
  'POST /v1/undertakers/{id}/disqualifications': { year: 2026, reason: '项目未按期完成，年度检查不合格' },
  'PUT /v1/me/contact': { phone: '13800138000', email: 'wang.li@example.org' },
};
