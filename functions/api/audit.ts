import * as z from '../zod.ts';
import { auditTrailPage, BadAuditToken } from './auditTrail.ts';
import { apiHandler, route } from './http.ts';
import { badRequest } from './problem.ts';
import { date, pageQuery } from './schemas.ts';
import type { FunctionPorts } from '../ports.ts';

const AuditQuery = z.strictObject({ date, ...pageQuery });

/** What this module's function reaches in AWS (infra/stacks/ports.ts derives its wiring from this). */
export const ports: FunctionPorts = { table: 'readAppend' };

/** The audit trail, read only: the route table gives it to auditors and the district. */
export const handler = apiHandler({
  'GET /v1/audit': route({ query: AuditQuery }, async ({ query }) => {
    try {
      const page = await auditTrailPage(query.date, { limit: query.limit, nextToken: query.nextToken });
      return { status: 200, body: { date: query.date, items: page.items, nextToken: page.nextToken } };
    } catch (e) {
      if (e instanceof BadAuditToken)
        throw badRequest('nextToken is not a token this API gave for that day', [
          { path: 'nextToken', message: 'invalid page token' },
        ]);
      throw e;
    }
  }),
});
