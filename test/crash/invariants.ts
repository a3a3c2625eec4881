import type { Acknowledged, CrashClient } from './client.ts';
import { YEAR, type PlannedProject } from './workload.ts';

/** One broken invariant: which, for which project, and what was seen. */
export interface Violation {
  invariant: string;
  project?: string;
  detail: string;
  /** The project's history, compact: `at action from>to`. */
  history?: string;
}

interface HistoryEvent {
  at: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  details?: { n?: number; objections?: number; upheld?: number };
}

/** An accepted objection as GET /v1/projects/{id}/objections lists it. */
interface ListedObjection {
  id: string;
  round: number;
  receivedAt: string;
  resolution?: { upheld: boolean; reply: string; at: string };
}

export interface ProjectState {
  plan: PlannedProject;
  project: any;
  dossier: any;
  history: HistoryEvent[];
  /** Every objection the objections route lists for the project, all pages, in the order listed. */
  objections: ListedObjection[];
}

export interface State {
  now: string;
  projects: ProjectState[];
  allocations: Map<string, any>;
  /** Every project the community lists (all pages), by community. */
  listed: Map<string, { id: string; title: string; status: string }[]>;
}

export const LOST = 'an acknowledged write is lost';
export const TWICE = 'something recorded or paid twice';
export const STUCK = 'a project is stuck';
export const LEDGER = "a community's ledger does not reconcile";
export const TIME = 'time ran backwards';
export const REFUSED = 'a step of the plan was refused';
export const INDEX = 'a list disagrees with the project';
export const TALLY = "a round's tally disagrees with its objections";

/** Reminders are left out: they are many and say nothing about what the checks found. */
const trail = (h: HistoryEvent[]) =>
  h
    .filter((e) => e.action !== 'reminder_sent')
    .map((e) => `${e.at.slice(5, 16)} ${e.action} ${e.fromStatus ?? '-'}>${e.toStatus ?? '-'}`)
    .join(' | ');

const historyOf = async (baseUrl: string, id: string, token: string): Promise<HistoryEvent[]> => {
  const res = await fetch(`${baseUrl}/v1/projects/${id}/history`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) return [];
  const body = (await res.json()) as { items?: HistoryEvent[] };
  return body.items ?? [];
};

/**
 * Right after a restart, before the workload goes on: the clock must be at or past every
 * event already recorded, or the next write could be recorded before something that
 * happened earlier.
 */
export const checkAfterRestart = async (
  baseUrl: string,
  projects: PlannedProject[],
  killNo: number,
): Promise<Violation[]> => {
  const token = (
    (await (
      await fetch(`${baseUrl}/local/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sub: 'crash-check', role: 'district', orgUnitId: 'gd' }),
      })
    ).json()) as { token: string }
  ).token;
  const now = ((await (await fetch(`${baseUrl}/local/clock`)).json()) as { now: string }).now;
  const out: Violation[] = [];
  for (const p of projects) {
    if (!p.id) continue;
    const h = await historyOf(baseUrl, p.id, token);
    const ahead = h.filter((e) => e.at > now);
    if (ahead.length)
      out.push({
        invariant: TIME,
        project: p.id,
        detail: `after kill ${killNo} the clock restarted at ${now}, before ${ahead.length} recorded event(s): ${ahead.map((e) => `${e.action} at ${e.at}`).join(', ')}`,
        history: trail(h),
      });
  }
  return out;
};

/** Reads everything the checks need, through the API, as the district. */
export const readState = async (api: CrashClient, plans: PlannedProject[]): Promise<State> => {
  const district = await api.token('crash-district', 'district', 'gd');
  const now = await api.now();
  const projects: ProjectState[] = [];
  for (const p of plans) {
    if (!p.id) continue;
    const project = (await api.read(`/v1/projects/${p.id}`, district)).body;
    const dossier = (await api.read(`/v1/projects/${p.id}/dossier`, district)).body;
    const history = ((await api.read(`/v1/projects/${p.id}/history`, district)).body.items ?? []) as HistoryEvent[];
    // One to a page, so that an objection repeated across a page boundary shows as a duplicate too.
    const objections: ListedObjection[] = [];
    let next: string | undefined;
    do {
      const page = (
        await api.read(
          `/v1/projects/${p.id}/objections?limit=1${next ? `&nextToken=${encodeURIComponent(next)}` : ''}`,
          district,
        )
      ).body;
      objections.push(...(page.items ?? []));
      next = page.nextToken ?? undefined;
    } while (next);
    projects.push({ plan: p, project, dossier, history, objections });
  }
  const allocations = new Map<string, any>();
  const listed = new Map<string, { id: string; title: string; status: string }[]>();
  for (const c of new Set(plans.map((p) => p.communityId))) {
    allocations.set(c, (await api.read(`/v1/allocations/${YEAR}/${c}`, district)).body);
    const items: { id: string; title: string; status: string }[] = [];
    let next: string | undefined;
    do {
      const page = (
        await api.read(
          `/v1/projects?communityId=${c}&year=${YEAR}${next ? `&nextToken=${encodeURIComponent(next)}` : ''}`,
          district,
        )
      ).body;
      items.push(...(page.items ?? []));
      next = page.nextToken ?? undefined;
    } while (next);
    listed.set(c, items);
  }
  return { now, projects, allocations, listed };
};

/**
 * The history event an acknowledged command must have left (by the path after /projects/{id}).
 * Objections and their resolutions leave none of their own: they are checked on the
 * objections route, and the round's closing events carry their tally.
 */
const eventOf = (tail: string, body: any): { action: string; n?: number } | undefined => {
  const acceptance = /^tranches\/(\d+)\/acceptance$/.exec(tail);
  if (acceptance) return { action: 'acceptance_passed', n: Number(acceptance[1]) };
  const simple: Record<string, string> = {
    '': 'created',
    deliberations: 'deliberation_recorded',
    progress: 'progress_reported',
    submit: 'submitted',
    review: 'review_passed',
    withdraw: 'withdrawn',
    approval: body?.decision === 'reject' ? 'rejected' : 'approved',
  };
  return simple[tail] ? { action: simple[tail] } : undefined;
};

/** Every check at the end of the run, from what the API shows. */
export const checkAtEnd = (
  state: State,
  plans: PlannedProject[],
  allocated: Map<string, number>,
  acknowledged: Acknowledged[],
): Violation[] => {
  const out: Violation[] = [];
  const byId = new Map(state.projects.map((s) => [s.plan.id!, s]));
  const push = (invariant: string, s: ProjectState | undefined, detail: string) =>
    out.push({
      invariant,
      project: s?.plan.id,
      detail: s ? `${s.plan.title}: ${detail}` : detail,
      ...(s ? { history: trail(s.history) } : {}),
    });

  // A step the plan needed was refused: the project could not be driven on.
  for (const p of plans)
    if (p.refused)
      push(
        REFUSED,
        p.id ? byId.get(p.id) : undefined,
        `${p.refused.step} answered ${p.refused.status} at attempt ${p.refused.attempts} with the same Idempotency-Key: ${String((p.refused.body as { detail?: string } | undefined)?.detail ?? JSON.stringify(p.refused.body)).slice(0, 300)}`,
      );

  // 1. Every acknowledged write is visible, and recorded no earlier than the clock the harness knew had passed.
  for (const a of acknowledged) {
    const m = /^\/v1\/(?:public\/)?projects\/([^/]+)(?:\/(.+))?$/.exec(a.path);
    if (a.method === 'PUT' && a.path.startsWith('/v1/allocations/')) {
      const c = a.path.split('/').pop()!;
      const got = state.allocations.get(c)?.amountFen;
      if (got !== (a.body as { amountFen: number }).amountFen)
        out.push({
          invariant: LOST,
          detail: `allocation of ${c}: acknowledged ${(a.body as { amountFen: number }).amountFen}, now ${got}`,
        });
      continue;
    }
    if (a.path === '/v1/projects') {
      const s = byId.get(a.reply.body.id);
      if (!s || s.project?.id !== a.reply.body.id)
        out.push({
          invariant: LOST,
          project: a.reply.body.id,
          detail: `project created (201, key ${a.key}) is not found`,
        });
      continue;
    }
    if (!m) continue;
    const s = byId.get(m[1]);
    if (!s) continue;
    const tail = m[2] ?? '';
    if (tail === 'deliberations') {
      const step = (a.body as { step: string }).step;
      const found = (s.dossier.deliberations ?? []).filter((d: any) => d.step === step);
      if (!found.length) push(LOST, s, `deliberation ${step} acknowledged (key ${a.key}) is missing`);
      for (const d of found)
        if (d.recordedAt && d.recordedAt < a.notBefore)
          push(
            TIME,
            s,
            `deliberation ${step} recorded at ${d.recordedAt}, before ${a.notBefore} (acknowledged by the clock before it was sent)`,
          );
    } else if (tail === 'objections') {
      // Listed under the id it was answered with, once: the key names the objection, so a retry cannot add another.
      const id = a.reply.body.id;
      const listed = s.objections.filter((o) => o.id === id);
      if (!listed.length)
        push(
          LOST,
          s,
          `objection ${id} acknowledged (key ${a.key}) is not listed by GET /v1/projects/${s.plan.id}/objections (${s.objections.length} listed: ${s.objections.map((o) => o.id).join(', ') || 'none'})`,
        );
      if (listed.length > 1) push(TWICE, s, `objection ${id} (key ${a.key}) is listed ${listed.length} times`);
      if (a.reply.body.receipt !== id)
        push(LOST, s, `objection acknowledged (key ${a.key}) with id ${id} but receipt ${a.reply.body.receipt}`);
      for (const o of listed)
        if (o.receivedAt < a.notBefore)
          push(
            TIME,
            s,
            `objection ${id} received at ${o.receivedAt}, before ${a.notBefore} (acknowledged by the clock before it was sent)`,
          );
    } else if (/^objections\/[^/]+\/resolution$/.test(tail)) {
      // The resolution is on the objection's receipt, as it was sent.
      const id = tail.split('/')[1];
      const sent = a.body as { upheld: boolean; reply: string };
      const o = s.objections.find((x) => x.id === id);
      if (!o) push(LOST, s, `objection ${id}, whose resolution was acknowledged (key ${a.key}), is not listed`);
      else if (!o.resolution)
        push(LOST, s, `resolution of objection ${id} acknowledged (key ${a.key}) is not on its receipt`);
      else {
        if (o.resolution.upheld !== sent.upheld || o.resolution.reply !== sent.reply)
          push(
            LOST,
            s,
            `objection ${id} resolved ${JSON.stringify({ upheld: o.resolution.upheld, reply: o.resolution.reply })}, but ${JSON.stringify(sent)} was acknowledged (key ${a.key})`,
          );
        if (o.resolution.at < a.notBefore)
          push(
            TIME,
            s,
            `objection ${id} resolved at ${o.resolution.at}, before ${a.notBefore} (acknowledged by the clock before it was sent)`,
          );
      }
    } else if (tail === 'progress') {
      const note = (a.body as { note: string }).note;
      if (!(s.dossier.progress ?? []).some((x: any) => x.note === note))
        push(LOST, s, `progress report acknowledged (key ${a.key}) is missing`);
    }
    const expected = eventOf(tail, a.body);
    if (!expected) continue;
    const events = s.history.filter(
      (e) => e.action === expected.action && (expected.n === undefined || e.details?.n === expected.n),
    );
    if (!events.length) push(LOST, s, `${tail} acknowledged (key ${a.key}) left no "${expected.action}" event`);
    for (const e of events)
      if (e.at < a.notBefore)
        push(
          TIME,
          s,
          `"${e.action}" recorded at ${e.at}, before ${a.notBefore}, which the clock had reached before ${tail} was sent`,
        );
  }

  for (const s of state.projects) {
    const p = s.plan;
    // 2. Nothing recorded twice.
    const steps = new Map<string, number>();
    for (const d of s.dossier.deliberations ?? []) steps.set(d.step, (steps.get(d.step) ?? 0) + 1);
    for (const [step, n] of steps) if (n > 1) push(TWICE, s, `${n} deliberations of step ${step}`);
    const progress = (s.dossier.progress ?? []).length;
    if (progress > 1) push(TWICE, s, `${progress} progress reports (one was sent)`);
    const objections = s.objections.length;
    if (objections > (p.objection ? 1 : 0))
      push(TWICE, s, `${objections} objections listed (${p.objection ? 1 : 0} sent)`);
    checkObjections(s, push);
    const paid = new Map<number, number>();
    for (const x of s.dossier.payments ?? []) paid.set(x.n, (paid.get(x.n) ?? 0) + 1);
    for (const [n, k] of paid) if (k > 1) push(TWICE, s, `tranche ${n} paid ${k} times`);
    const actions = new Map<string, number>();
    for (const e of s.history) {
      const what = e.action === 'acceptance_passed' ? `${e.action} of tranche ${e.details?.n}` : e.action;
      actions.set(what, (actions.get(what) ?? 0) + 1);
    }
    const allowed = (action: string) => (action === 'deliberation_recorded' ? 4 : 1);
    for (const [action, n] of actions)
      if (n > allowed(action) && !REPEATABLE.has(action)) push(TWICE, s, `${n} "${action}" events`);

    // 3. Not stuck: every project reached its planned end, and no window is open past its end.
    if (!p.refused && s.project.status !== p.outcome)
      push(STUCK, s, `status ${s.project.status} at ${state.now}; the plan ends in ${p.outcome}`);
    const ends = (
      s.project.status === 'IN_PUBLICITY'
        ? s.project.deadlines?.publicityEndsAt
        : s.project.status === 'COMPLETION_PUBLICITY'
          ? s.project.deadlines?.completionPublicityEndsAt
          : undefined
    ) as string | undefined;
    if (ends && Date.parse(ends) < Date.parse(state.now))
      push(STUCK, s, `${s.project.status} though its window ended ${ends} (clock ${state.now})`);

    // 4. Time: the history is continuous (each change starts where the last one ended) and never goes backwards.
    let last: HistoryEvent | undefined;
    let lastChange: HistoryEvent | undefined;
    for (const e of s.history) {
      if (last && e.at < last.at)
        push(TIME, s, `"${e.action}" at ${e.at} was recorded after "${last.action}" at ${last.at}`);
      if (e.at > state.now) push(TIME, s, `"${e.action}" at ${e.at} is after the clock (${state.now})`);
      if (e.fromStatus && e.toStatus && e.fromStatus !== e.toStatus) {
        if (lastChange && lastChange.toStatus !== e.fromStatus)
          push(
            STUCK,
            s,
            `"${e.action}" ${e.fromStatus}>${e.toStatus} follows "${lastChange.action}" which ended in ${lastChange.toStatus}`,
          );
        lastChange = e;
      }
      last = e;
    }
    if (lastChange && lastChange.toStatus !== s.project.status)
      push(STUCK, s, `the history ends in ${lastChange.toStatus}, the project says ${s.project.status}`);
  }

  // 5. Lists agree with the items; a project listed twice or a title made twice is a duplicate.
  for (const [c, items] of state.listed) {
    const titles = new Map<string, number>();
    for (const it of items) titles.set(it.title, (titles.get(it.title) ?? 0) + 1);
    for (const [title, n] of titles)
      if (n > 1 && plans.some((p) => p.title === title))
        out.push({ invariant: TWICE, detail: `community ${c} lists ${n} projects titled ${title}` });
    for (const it of items) {
      const s = byId.get(it.id);
      if (s && s.project.status !== it.status)
        push(INDEX, s, `community ${c}'s list says ${it.status}, the project says ${s.project.status}`);
    }
  }

  // 6. Ledgers: allocated = available + (reserved − paid) + paid, and reserved and paid are the sums over the projects.
  for (const [c, a] of state.allocations) {
    const mine = state.projects.filter((s) => s.plan.communityId === c);
    const paid = mine.reduce(
      (t, s) => t + (s.dossier.payments ?? []).reduce((u: number, x: any) => u + x.amountFen, 0),
      0,
    );
    const reserved = mine.reduce((t, s) => t + (RESERVING.has(s.project.status) ? s.project.amountFen : 0), 0);
    const facts = `allocated ${a.amountFen}, available ${a.availableFen}, reserved ${a.reservedFen} (of which paid ${a.paidFen})`;
    if (a.amountFen !== allocated.get(c))
      out.push({ invariant: LEDGER, detail: `${c}: allocated ${a.amountFen}, ${allocated.get(c)} was set` });
    if (a.amountFen !== a.availableFen + a.reservedFen)
      out.push({ invariant: LEDGER, detail: `${c}: ${facts}: allocated ≠ available + reserved` });
    if (a.paidFen !== paid)
      out.push({ invariant: LEDGER, detail: `${c}: ${facts}: paid ≠ ${paid}, the sum of the projects' payments` });
    if (a.reservedFen !== reserved)
      out.push({
        invariant: LEDGER,
        detail: `${c}: ${facts}: reserved ≠ ${reserved}, the sum of the amounts of its approved projects`,
      });
  }
  return out;
};

/**
 * Objections agree with the rounds that counted them: each round's closing of the window
 * counts the objections listed for that round, the closing of its objection review counts
 * them and the upheld ones, a round whose objections are all resolved has moved on, and
 * the project's view carries the same objections as the route (the view holds up to 50).
 */
const checkObjections = (s: ProjectState, push: (invariant: string, s: ProjectState, detail: string) => void) => {
  const inRound = (round: number) => s.objections.filter((o) => o.round === round);
  let round = 0;
  const closedReview = new Set<number>();
  for (const e of s.history) {
    // Every review passed opens the next publicity round.
    if (e.action === 'review_passed') round++;
    const listed = inRound(round);
    if (e.action === 'publicity_closed' && e.details?.objections !== listed.length)
      push(
        TALLY,
        s,
        `round ${round}: the window closed counting ${e.details?.objections} objection(s), ${listed.length} listed for the round`,
      );
    if (e.action === 'objections_dismissed' || e.action === 'returned_after_objection') {
      closedReview.add(round);
      const upheld = listed.filter((o) => o.resolution?.upheld).length;
      if (e.details?.objections !== listed.length || e.details?.upheld !== upheld)
        push(
          TALLY,
          s,
          `round ${round}: "${e.action}" counts ${e.details?.objections} objection(s), ${e.details?.upheld} upheld; listed: ${listed.length}, ${upheld} upheld`,
        );
    }
  }
  for (const r of new Set(s.objections.map((o) => o.round))) {
    const listed = inRound(r);
    if (listed.every((o) => o.resolution) && !closedReview.has(r))
      push(STUCK, s, `round ${r}: all ${listed.length} objection(s) resolved, but the objection review never closed`);
  }
  // As sets: the view's page is sorted by time received, the route's pages of one by receipt key.
  const brief = (list: ListedObjection[]) => list.map((o) => `${o.id}${o.resolution ? ' (resolved)' : ''}`).sort();
  const inView = brief((s.project.objections ?? []) as ListedObjection[]);
  const listed = brief(s.objections);
  const agrees = s.project.objectionsNextToken
    ? inView.every((o) => listed.includes(o))
    : inView.join() === listed.join();
  if (!agrees)
    push(
      INDEX,
      s,
      `the project's view carries objections [${inView.join(', ')}]${s.project.objectionsNextToken ? ' and more' : ''}, the objections route lists [${listed.join(', ')}]`,
    );
};

/** The statuses in which a project holds its reservation. */
const RESERVING = new Set(['APPROVED', 'IN_PROGRESS', 'COMPLETION_PUBLICITY', 'CLOSED']);

/** Events that may come more than once in the plan's life of a project (every other one is once: the plan does each step once). */
const REPEATABLE = new Set(['reminder_sent', 'escalated']);
