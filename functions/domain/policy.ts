import { refuse, type Refusal } from './transition.ts';
import * as z from '../zod.ts';
import { addMonths, endOfShanghaiDay } from './calendar.ts';

/*
 * A policy profile is everything that differs between districts, kept as data so that a
 * district deploys by choosing (or copying) a profile rather than changing code. The
 * schema is strict: a misspelt field in a district's own profile must stop the
 * deployment, not be silently ignored.
 */

const Source = z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(300)));
const Text = z.string().check(z.trim(), z.minLength(1), z.maxLength(2000));
const Id = z
  .string()
  .check(z.regex(/^[a-z][a-z0-9_]*$/, { error: 'must be lower-case ascii letters, digits and _' }), z.maxLength(64));
const RuleId = z
  .string()
  .check(
    z.regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, { error: 'must be a dotted rule id like prohibited.office_equipment' }),
    z.maxLength(100),
  );
const Fen = z
  .int({ error: 'must be an integer number of fen' })
  .check(z.gte(0, { error: 'must be an integer number of fen' }));
const positiveInt = (max?: number) =>
  z
    .int({ error: 'must be a positive integer' })
    .check(z.gte(1, { error: 'must be a positive integer' }), ...(max ? [z.lte(max)] : []));
const PositiveInt = positiveInt();
const nonNegativeInt = (max?: number) =>
  z
    .int({ error: 'must be a non-negative integer' })
    .check(z.gte(0, { error: 'must be a non-negative integer' }), ...(max ? [z.lte(max)] : []));
const NonNegativeInt = nonNegativeInt();
const MonthDay = z.string().check(
  z.regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { error: 'must be MM-DD' }),
  z.refine((s) => Number(s.slice(3)) <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Number(s.slice(0, 2)) - 1], {
    error: 'must be a day that exists',
  }),
);
const Keywords = z
  .array(z.string().check(z.trim(), z.minLength(1), z.maxLength(50)))
  .check(z.minLength(1), z.maxLength(100));

export const GATES = ['submit', 'approval', 'implementation'] as const;
export type Gate = (typeof GATES)[number];
const GATE_ORDER: Record<Gate, number> = { submit: 0, approval: 1, implementation: 2 };

/** Placeholders a reminder template may use; anything else would be sent to residents unreplaced. */
export const TEMPLATE_PLACEHOLDERS = ['project', 'action', 'dueAt'] as const;
/** Reminder kinds the workflow sends; a profile must word each of them. */
export const REMINDER_KINDS = [
  'review',
  'approval',
  'objectionReview',
  'contract',
  'acceptance',
  'resubmission',
  'escalation',
  'publicityStart',
  'publicityEnd',
  'yearEnd',
] as const;

const Template = z.strictObject({
  sms: z.string().check(z.trim(), z.minLength(1), z.maxLength(300)),
  email: z.strictObject({
    subject: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    body: z.string().check(z.trim(), z.minLength(1), z.maxLength(5000)),
  }),
});

const DeliberationStepSchema = z.strictObject({
  id: Id,
  name: Text,
  heldBy: z.enum(['community', 'street', 'district']),
  requiredBefore: z.enum(GATES),
  passRule: z.enum(['majority_of_cast', 'majority_of_attendance', 'two_thirds_of_attendance', 'none']),
  perMemberVotes: z.optional(z.boolean()),
  source: Source,
});
export type DeliberationStep = z.infer<typeof DeliberationStepSchema>;

export const PolicyProfileSchema = z
  .strictObject({
    id: z
      .string()
      .check(
        z.regex(/^[a-z][a-z0-9_-]*$/, { error: 'must be lower-case ascii letters, digits, _ and -' }),
        z.maxLength(64),
      ),
    name: Text,
    district: Text,
    /** The document the profile is distilled from. */
    source: Source,
    /** Citations for plain-valued fields (`publicityDays`, `trancheSplit` …), keyed by field path. */
    fieldSources: z.optional(z.record(z.string(), z.string().check(z.trim(), z.minLength(1), z.maxLength(300)))),
    allocation: z.strictObject({
      mode: z.enum(['per_community', 'district_pool']),
      minimumFen: z.strictObject({
        urban: z.optional(Fen),
        village_to_residence: z.optional(Fen),
        village: z.optional(Fen),
      }),
      poolMinimumFen: z.optional(Fen),
      growthRule: z.optional(Text),
      source: Source,
    }),
    funders: z
      .array(z.strictObject({ id: Id, name: Text, sharePercent: positiveInt(100), source: Source }))
      .check(z.minLength(1)),
    categories: z
      .array(
        z.strictObject({
          id: Id,
          name: Text,
          description: z.optional(Text),
          items: z.optional(z.array(z.strictObject({ id: Id, name: Text }))),
          source: Source,
        }),
      )
      .check(z.minLength(1)),
    restrictedUses: z.array(
      z.strictObject({
        rule: RuleId,
        text: Text,
        categoryIds: z.array(Id).check(z.minLength(1)),
        condition: Text,
        source: Source,
      }),
    ),
    notEncouragedUses: z.array(z.strictObject({ rule: RuleId, text: Text, keywords: Keywords, source: Source })),
    prohibitedUses: z
      .array(z.strictObject({ rule: RuleId, text: Text, keywords: Keywords, source: Source }))
      .check(z.minLength(1)),
    deliberation: z.strictObject({
      name: Text,
      note: z.optional(Text),
      source: Source,
      steps: z.array(DeliberationStepSchema).check(z.minLength(1)),
      publicities: z.array(z.strictObject({ id: Id, name: Text, source: Source })),
    }),
    review: z.strictObject({ by: z.enum(['street', 'district']), source: Source }),
    approval: z.strictObject({ by: z.enum(['street', 'district']), source: Source }),
    publicityDays: z
      .int({ error: 'must be an integer of at least 7' })
      .check(z.gte(7, { error: 'must be an integer of at least 7' })),
    completionPublicityDays: PositiveInt,
    approvalWorkingDays: PositiveInt,
    fastPath: z.nullable(z.strictObject({ maxFen: PositiveInt, approver: z.literal('community'), source: Source })),
    projectTypes: z
      .array(
        z.strictObject({
          id: z.enum(['service', 'goods', 'works']),
          name: Text,
          deadline: z.nullable(z.strictObject({ kind: z.enum(['start', 'completion']), months: positiveInt(24) })),
          source: Source,
        }),
      )
      .check(z.length(3, { error: 'must list service, goods and works once each' })),
    trancheSplit: z.array(PositiveInt).check(z.minLength(1), z.maxLength(10)),
    yearEnd: z.strictObject({
      checkOn: MonthDay,
      unfinishedFails: z.boolean(),
      surplusReturn: Text,
      source: Source,
    }),
    sanctions: z.strictObject({
      undertakerDisqualifyYears: NonNegativeInt,
      communityCutPercent: nonNegativeInt(100),
      rules: z.array(z.strictObject({ rule: RuleId, text: Text, source: Source })),
    }),
    batches: z.nullable(
      z
        .array(z.strictObject({ id: Id, name: Text, callOpens: MonthDay, callCloses: MonthDay, source: Source }))
        .check(z.minLength(1)),
    ),
    reminders: z.strictObject({
      beforeWorkingDays: z.array(NonNegativeInt).check(z.minLength(1), z.maxLength(10)),
      templates: z.record(z.string(), Template),
    }),
  })
  .check(
    z.superRefine((p, ctx) => {
      const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
      const unique = (values: string[], path: (i: number) => (string | number)[], what: string) => {
        const seen = new Set<string>();
        values.forEach((v, i) => {
          if (seen.has(v)) issue(path(i), `duplicate ${what} "${v}"`);
          seen.add(v);
        });
      };

      const shares = p.funders.reduce((sum, f) => sum + f.sharePercent, 0);
      if (shares !== 100) issue(['funders'], `sharePercent must sum to 100, got ${shares}`);
      unique(
        p.funders.map((f) => f.id),
        (i) => ['funders', i, 'id'],
        'funder id',
      );

      if (p.allocation.mode === 'district_pool' && p.allocation.poolMinimumFen === undefined)
        issue(['allocation', 'poolMinimumFen'], 'is required when mode is district_pool');

      unique(
        p.categories.map((c) => c.id),
        (i) => ['categories', i, 'id'],
        'category id',
      );
      p.categories.forEach((c, ci) =>
        unique(
          (c.items ?? []).map((it) => it.id),
          (i) => ['categories', ci, 'items', i, 'id'],
          'item id',
        ),
      );
      const categoryIds = new Set(p.categories.map((c) => c.id));
      p.restrictedUses.forEach((r, ri) =>
        r.categoryIds.forEach((id, i) => {
          if (!categoryIds.has(id)) issue(['restrictedUses', ri, 'categoryIds', i], `unknown category "${id}"`);
        }),
      );

      const rules: [string, (string | number)[]][] = [
        ...p.restrictedUses.map((r, i): [string, (string | number)[]] => [r.rule, ['restrictedUses', i, 'rule']]),
        ...p.notEncouragedUses.map((r, i): [string, (string | number)[]] => [r.rule, ['notEncouragedUses', i, 'rule']]),
        ...p.prohibitedUses.map((r, i): [string, (string | number)[]] => [r.rule, ['prohibitedUses', i, 'rule']]),
        ...p.sanctions.rules.map((r, i): [string, (string | number)[]] => [r.rule, ['sanctions', 'rules', i, 'rule']]),
      ];
      const seenRules = new Set<string>();
      for (const [rule, path] of rules) {
        if (seenRules.has(rule)) issue(path, `duplicate rule "${rule}"`);
        seenRules.add(rule);
      }

      unique(
        p.deliberation.steps.map((s) => s.id),
        (i) => ['deliberation', 'steps', i, 'id'],
        'step id',
      );
      unique(
        p.deliberation.publicities.map((s) => s.id),
        (i) => ['deliberation', 'publicities', i, 'id'],
        'publicity id',
      );
      unique(
        p.projectTypes.map((t) => t.id),
        (i) => ['projectTypes', i, 'id'],
        'project type',
      );
      if (p.fastPath && p.fastPath.maxFen <= 0) issue(['fastPath', 'maxFen'], 'must be a positive integer');

      if (p.batches) {
        unique(
          p.batches.map((b) => b.id),
          (i) => ['batches', i, 'id'],
          'batch id',
        );
        p.batches.forEach((b, i) => {
          if (b.callCloses < b.callOpens) issue(['batches', i, 'callCloses'], 'must not be before callOpens');
        });
      }

      for (const kind of REMINDER_KINDS)
        if (!p.reminders.templates[kind]) issue(['reminders', 'templates', kind], 'is required');
      const allowed = new Set<string>(TEMPLATE_PLACEHOLDERS);
      for (const [kind, t] of Object.entries(p.reminders.templates)) {
        const texts: [string, string[]][] = [
          [t.sms, ['sms']],
          [t.email.subject, ['email', 'subject']],
          [t.email.body, ['email', 'body']],
        ];
        for (const [text, sub] of texts)
          for (const m of text.matchAll(/\{([^{}]*)\}/g))
            if (!allowed.has(m[1])) issue(['reminders', 'templates', kind, ...sub], `unknown placeholder {${m[1]}}`);
      }
    }),
  );

export type PolicyProfile = z.infer<typeof PolicyProfileSchema>;

/**
 * Validates a parsed profile. Throws an Error naming the profile, the first bad field
 * path and the broken rule, e.g. `policy profile "x": trancheSplit.1: must be a positive integer`,
 * because a deployment with a bad profile must stop with a message a district can act on.
 */
export const loadProfileFromObject = (obj: unknown): PolicyProfile => {
  const parsed = PolicyProfileSchema.safeParse(obj);
  if (parsed.success) return parsed.data;
  const rawId = typeof obj === 'object' && obj !== null ? (obj as { id?: unknown }).id : undefined;
  const name = typeof rawId === 'string' && rawId ? rawId : '(no id)';
  const describe = (i: z.core.$ZodIssue) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`;
  const [first, ...rest] = parsed.error.issues;
  const more = rest.length ? ` (and ${rest.length} more: ${rest.slice(0, 5).map(describe).join('; ')})` : '';
  throw new Error(`policy profile "${name}": ${describe(first)}${more}`);
};

/*
 * Keyword matching must not depend on whether a clerk types simplified or traditional
 * characters (two of the seeds are traditional). Only characters that occur in the
 * built-in keywords are mapped; a district adding keywords in traditional script still
 * matches traditional input.
 */
const TRADITIONAL =
  '辦設備經費場築債務償還頂發資補貼實員幹獎報裝條環給無別電腦傢樓財歸權單設問題責專請職購買務類學關應';
const SIMPLIFIED = '办设备经费场筑债务偿还顶发资补贴实员干奖报装条环给无别电脑家楼财归权单设问题责专请职购买务类学关应';
const T2S = new Map([...TRADITIONAL].map((c, i) => [c, [...SIMPLIFIED][i]]));
const normalise = (s: string): string =>
  [...s.normalize('NFKC').toLowerCase().replace(/\s+/g, '')].map((c) => T2S.get(c) ?? c).join('');

/** A profile's keyword lists never change once it is loaded: each is normalised once, not on every check. */
const normalisedLists = new WeakMap<readonly string[], string[]>();
const normalisedKeywords = (keywords: readonly string[]): string[] => {
  let normalised = normalisedLists.get(keywords);
  if (!normalised) {
    normalised = keywords.map(normalise);
    normalisedLists.set(keywords, normalised);
  }
  return normalised;
};

export interface ProjectUseInput {
  category: string;
  title: string;
  measures: string;
  restrictedUse?: { rule: string; justification: string } | null;
}

export interface UseRefusal {
  status: 422;
  rule: string;
  field: string;
  message: string;
}

const MIN_JUSTIFICATION = 10;

/**
 * Checks a project's category and wording against the profile's use lists.
 * Returns null when the use is allowed, otherwise a 422 refusal naming the rule and the
 * field to fix. Prohibitions are checked first so that the clearest reason wins.
 */
export const checkProjectUse = (profile: PolicyProfile, input: ProjectUseInput): UseRefusal | null => {
  const refuse = (rule: string, field: string, message: string): UseRefusal => ({ status: 422, rule, field, message });
  const category = normalise(input.category ?? '');
  const texts: [string, string][] = [
    ['title', normalise(input.title ?? '')],
    ['measures', normalise(input.measures ?? '')],
  ];

  for (const p of profile.prohibitedUses) {
    const ruleTail = p.rule.slice(p.rule.lastIndexOf('.') + 1);
    const keywords = normalisedKeywords(p.keywords);
    if (category === p.rule || category === ruleTail || keywords.some((k) => category.includes(k)))
      return refuse(p.rule, 'category', `专项经费不得用于：${p.text}`);
  }

  const cat = profile.categories.find((c) => c.id === input.category);
  if (!cat)
    return refuse(
      'category.unknown',
      'category',
      `unknown category "${input.category}"; allowed: ${profile.categories.map((c) => c.id).join(', ')}`,
    );

  for (const p of profile.prohibitedUses) {
    const keywords = normalisedKeywords(p.keywords);
    for (const [field, text] of texts) {
      const hit = keywords.find((k) => text.includes(k));
      if (hit) return refuse(p.rule, field, `专项经费不得用于：${p.text}（“${hit}”）`);
    }
  }

  for (const p of profile.notEncouragedUses) {
    const keywords = normalisedKeywords(p.keywords);
    for (const [field, text] of texts) {
      const hit = keywords.find((k) => text.includes(k));
      if (hit) return refuse(p.rule, field, `不提倡由专项经费列支：${p.text}（“${hit}”）`);
    }
  }

  const restrictions = profile.restrictedUses.filter((r) => r.categoryIds.includes(cat.id));
  if (restrictions.length > 0) {
    const given = input.restrictedUse;
    const allowed = restrictions.map((r) => r.rule);
    if (!given)
      return refuse(
        restrictions[0].rule,
        'restrictedUse',
        `category "${cat.id}" is restricted: state restrictedUse.rule (${allowed.join(', ')}) and a justification; condition: ${restrictions[0].condition}`,
      );
    const match = restrictions.find((r) => r.rule === given.rule);
    if (!match)
      return refuse(
        restrictions[0].rule,
        'restrictedUse.rule',
        `must be one of ${allowed.join(', ')} for category "${cat.id}"`,
      );
    if (typeof given.justification !== 'string' || given.justification.trim().length < MIN_JUSTIFICATION)
      return refuse(
        match.rule,
        'restrictedUse.justification',
        `must explain in at least ${MIN_JUSTIFICATION} characters how the project meets: ${match.condition}`,
      );
  }
  return null;
};

/**
 * The deliberation steps the profile requires at or before `gate` that have no passed
 * record, in the profile's order. A failed vote does not count: it must be held again.
 */
export const missingDeliberations = (
  profile: PolicyProfile,
  recorded: readonly { step: string; passed: boolean }[],
  gate: Gate,
): string[] => {
  const passed = new Set(recorded.filter((r) => r.passed).map((r) => r.step));
  return profile.deliberation.steps
    .filter((s) => GATE_ORDER[s.requiredBefore] <= GATE_ORDER[gate] && !passed.has(s.id))
    .map((s) => s.id);
};

/**
 * The deliberation gate: refused (409, naming the missing steps) when a step the profile
 * requires at or before `gate` has no passed record. Submission, approval and the start
 * of implementation (a contract, or approval of a self-run project) all check it here.
 */
export const deliberationGate = (
  profile: PolicyProfile,
  deliberations: Readonly<Record<string, { step: string; passed: boolean }>> | undefined,
  gate: Gate,
): Refusal | undefined => {
  const recorded = Object.values(deliberations ?? {}).map((d) => ({ step: d.step, passed: d.passed }));
  const missing = missingDeliberations(profile, recorded, gate);
  if (!missing.length) return undefined;
  const names = missing.map((id) => profile.deliberation.steps.find((s) => s.id === id)?.name ?? id);
  return refuse(409, `Required deliberation missing or not passed before ${gate}: ${names.join('、')}`, {
    missingSteps: missing,
  });
};

/**
 * Who approves a project of this amount: the community itself on the profile's fast
 * path (small amounts), else the profile's approver.
 */
export const approverOf = (profile: Pick<PolicyProfile, 'fastPath' | 'approval'>, amountFen: number) =>
  profile.fastPath && amountFen <= profile.fastPath.maxFen ? profile.fastPath.approver : profile.approval.by;

export interface MemberVote {
  member: string;
  vote: 'for' | 'against' | 'abstain';
}

export interface VoteTally {
  attendance: number;
  votesFor: number;
  votesAgainst: number;
  abstentions: number;
  memberVotes?: readonly MemberVote[];
}

/**
 * Whether a recorded deliberation passes under its step's rule. Tallies that cannot be
 * true (negative, more votes than people present, or for a per-member step counts that
 * disagree with the named votes) never pass, so a typo cannot carry a project forward.
 */
export const votePasses = (step: Pick<DeliberationStep, 'passRule' | 'perMemberVotes'>, tally: VoteTally): boolean => {
  const { attendance, votesFor, votesAgainst, abstentions } = tally;
  const counts = [attendance, votesFor, votesAgainst, abstentions];
  if (!counts.every((n) => Number.isInteger(n) && n >= 0)) return false;
  const cast = votesFor + votesAgainst + abstentions;
  if (cast > attendance) return false;

  if (step.perMemberVotes) {
    const votes = tally.memberVotes;
    if (!votes || votes.length === 0) return false;
    if (new Set(votes.map((v) => v.member)).size !== votes.length) return false;
    const count = (kind: MemberVote['vote']) => votes.filter((v) => v.vote === kind).length;
    if (count('for') !== votesFor || count('against') !== votesAgainst || count('abstain') !== abstentions)
      return false;
    if (votes.length !== cast) return false;
  }

  switch (step.passRule) {
    case 'none':
      return true;
    case 'majority_of_cast':
      return cast > 0 && votesFor * 2 > cast;
    case 'majority_of_attendance':
      return attendance > 0 && votesFor * 2 > attendance;
    case 'two_thirds_of_attendance':
      return attendance > 0 && votesFor * 3 >= attendance * 2;
  }
};

/**
 * Deadlines a project takes on at approval. A type deadline (Qiaoxi: service starts and
 * goods arrive within 1 month, works finish within 6) runs from the approval day; where
 * the profile fails unfinished projects at year end, completion is capped at the end of
 * the fund year, and without a type completion deadline the fund year's end is the deadline.
 */
export const projectDeadlines = (
  profile: PolicyProfile,
  type: 'service' | 'goods' | 'works',
  approvedDay: string,
  year: number,
): { startDueAt?: string; completionDueAt: string } => {
  const projectType = profile.projectTypes.find((t) => t.id === type);
  if (!projectType) throw new RangeError(`policy profile "${profile.id}" has no project type "${type}"`);
  if (!Number.isInteger(year)) throw new RangeError(`fund year must be an integer, got ${year}`);
  const yearEnd = `${year}-12-31`;
  const deadline = projectType.deadline;

  let startDueAt: string | undefined;
  let completionDay = yearEnd;
  if (deadline?.kind === 'start') startDueAt = endOfShanghaiDay(addMonths(approvedDay, deadline.months));
  if (deadline?.kind === 'completion') {
    const typeDay = addMonths(approvedDay, deadline.months);
    completionDay = profile.yearEnd.unfinishedFails && typeDay > yearEnd ? yearEnd : typeDay;
  }
  return startDueAt
    ? { startDueAt, completionDueAt: endOfShanghaiDay(completionDay) }
    : { completionDueAt: endOfShanghaiDay(completionDay) };
};
