import * as z from '../zod.ts';
import {
  disqualify,
  getUndertaker,
  listUndertakers,
  registerUndertaker,
  type Undertaker,
} from '../store/undertakers.ts';
import { recordId } from '../domain/recordIds.ts';
import { apiHandler, route } from './http.ts';
import { actorOf } from './projectCommands.ts';
import { conflict, notFound } from './problem.ts';
import { count, line, pageQuery, text, year } from './schemas.ts';
import type { FunctionPorts } from '../ports.ts';

/** The kinds of body that may deliver an outsourced project; they match a project's `delivery`. */
export const UNDERTAKER_KINDS = ['social_org', 'enterprise', 'individual'] as const;

const RegisterBody = z.strictObject({
  name: line(200),
  kind: z.enum(UNDERTAKER_KINDS),
  // 统一社会信用代码 for organisations (18 characters); an individual's identity number is of the same length.
  creditCode: z
    .string()
    .check(z.trim(), z.toUpperCase(), z.regex(/^[0-9A-Z]{15,20}$/, 'must be 15 to 20 letters and digits')),
});

const DisqualifyBody = z.strictObject({ year: count(2000, 2100), reason: text(2000) });

/** The register as the API shows it: disqualifications as a list in year order. */
export const undertakerView = (u: Undertaker) => ({
  id: u.id,
  name: u.name,
  kind: u.kind,
  creditCode: u.creditCode,
  registeredAt: u.registeredAt,
  disqualifications: Object.values(u.disqualifications ?? {}).sort((a, b) => a.year - b.year),
});

/** What this module's function reaches in AWS (infra/stacks/ports.ts derives its wiring from this). */
export const ports: FunctionPorts = { table: 'readWrite' };

const registered = (u: Undertaker) => ({
  status: 201,
  body: undertakerView(u),
  headers: { location: `/v1/undertakers/${u.id}` },
});

/** Lambda entry of the undertakers register (承接方名录). */
export const handler = apiHandler({
  'POST /v1/undertakers': route({ body: RegisterBody }, async ({ caller, body, now, idempotency }) => {
    const id = recordId(idempotency);
    const res = await registerUndertaker({
      id,
      ...body,
      registeredAt: now.toISOString(),
      registeredBy: actorOf(caller),
      disqualifications: {},
    });
    // A keyed command re-run after a crash finds the code claimed by its own first run.
    const earlier = !res.ok && idempotency && res.existingId === id ? await getUndertaker(id) : undefined;
    if (earlier) return registered(earlier);
    if (!res.ok)
      throw conflict('An undertaker with this credit code is already registered', { existingId: res.existingId });
    return registered(res.undertaker);
  }),

  'GET /v1/undertakers': route(
    { query: z.strictObject({ ...pageQuery, disqualifiedIn: z.optional(year) }) },
    async ({ query }) => {
      const page = await listUndertakers({ limit: query.limit, nextToken: query.nextToken });
      const items = page.items.filter(
        (u) => query.disqualifiedIn === undefined || u.disqualifications?.[String(query.disqualifiedIn)],
      );
      return { status: 200, body: { items: items.map(undertakerView), nextToken: page.nextToken } };
    },
  ),

  'POST /v1/undertakers/{id}/disqualifications': route(
    { body: DisqualifyBody },
    async ({ caller, params, body, now }) => {
      const res = await disqualify(params.id, {
        year: body.year,
        reason: body.reason,
        at: now.toISOString(),
        by: actorOf(caller),
      });
      if (!res.ok && res.reason === 'NOT_FOUND') throw notFound('undertaker');
      if (!res.ok)
        throw conflict(`The undertaker is already disqualified for ${body.year}`, { disqualification: res.existing });
      return { status: 201, body: undertakerView(res.undertaker) };
    },
  ),
});
