import * as z from '../zod.ts';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ROLES, type Role } from './routes.ts';

/** The signed-in person, from the JWT claims the authorizer already verified. */
export interface Caller {
  sub: string;
  role: Role;
  orgUnitId: string;
}

const ClaimsSchema = z.object({
  sub: z.string().check(z.minLength(1), z.maxLength(128)),
  role: z.enum(ROLES as [Role, ...Role[]]),
  orgUnitId: z.string().check(z.minLength(1), z.maxLength(64)),
});

/**
 * Reads the caller from the authorizer's claims and checks them again: API Gateway
 * checked the signature, we check that the claims make sense. Cognito carries the role
 * as a group and the unit as a custom attribute; local tokens carry them directly.
 */
export const callerOf = (event: APIGatewayProxyEventV2): Caller | undefined => {
  if (parsedCallers.has(event)) return parsedCallers.get(event);
  const caller = parseCaller(event);
  parsedCallers.set(event, caller);
  return caller;
};

// The audit trail, the idempotency scope and the route all need the caller; the claims are parsed once.
const parsedCallers = new WeakMap<APIGatewayProxyEventV2, Caller | undefined>();

const parseCaller = (event: APIGatewayProxyEventV2): Caller | undefined => {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer
    ?.jwt?.claims;
  if (!claims) return undefined;
  const groups = claims['cognito:groups'];
  const groupRole = Array.isArray(groups)
    ? groups[0]
    : typeof groups === 'string'
      ? groups.replace(/^\[|\]$/g, '').split(/[ ,]+/)[0]
      : undefined;
  const parsed = ClaimsSchema.safeParse({
    sub: claims.sub,
    role: claims.role ?? groupRole,
    orgUnitId: claims.orgUnitId ?? claims['custom:orgUnitId'],
  });
  return parsed.success ? parsed.data : undefined;
};
