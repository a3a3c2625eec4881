import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { runtime } from '../runtime.ts';
import { maskPersonalData, maskText } from '../domain/privacy.ts';
import { appendAudit, PUBLIC_ACTOR, type AuditEvent } from '../store/audit.ts';
import type { RequestAudit } from '../store/auditFold.ts';
import { callerOf } from './caller.ts';

/**
 * What goes into the audit trail for one request: who, what, when and from where.
 * Never the body nor the token; anything a client chose freely (path, key) is masked
 * and cut short, because the trail is kept for years and read by auditors.
 */
export const auditEventOf = (event: APIGatewayProxyEventV2, status: number, now: Date): AuditEvent => {
  const caller = callerOf(event);
  const key = event.headers?.['idempotency-key'];
  return {
    at: now.toISOString(),
    actor: caller ? { sub: caller.sub, role: caller.role, orgUnitId: caller.orgUnitId } : PUBLIC_ACTOR,
    route: event.routeKey,
    path: maskText((event.rawPath ?? '').slice(0, 512)),
    status,
    sourceIp: event.requestContext?.http?.sourceIp ?? 'unknown',
    ...(event.requestContext?.requestId ? { requestId: event.requestContext.requestId } : {}),
    ...(key ? { idempotencyKey: maskText(key.slice(0, 128)) } : {}),
  };
};

/** Writes are always audited; reads only when refused, since reads that succeed are the bulk of traffic. */
export const isAudited = (event: APIGatewayProxyEventV2, status: number): boolean => {
  const method = event.requestContext?.http?.method ?? event.routeKey?.split(' ')[0];
  return status >= 400 || (method !== 'GET' && method !== 'HEAD');
};

const requestAudits = new WeakMap<APIGatewayProxyEventV2, RequestAudit>();

/**
 * The audit entry a write request hands to the project write it makes (store/auditFold.ts),
 * or undefined for reads, which are audited only when refused.
 */
export const requestAuditOf = (event: APIGatewayProxyEventV2): RequestAudit | undefined => {
  if (!isAudited(event, 200)) return undefined;
  let audit = requestAudits.get(event);
  if (!audit) {
    const { at: _at, status: _status, ...entry } = auditEventOf(event, 0, runtime().clock.now());
    audit = { entry, folded: false };
    requestAudits.set(event, audit);
  }
  return audit;
};

const record = async (event: APIGatewayProxyEventV2, status: number): Promise<void> => {
  if (!isAudited(event, status)) return;
  // A successful write whose project write carried its entry is audited already, in that write.
  if (status < 400 && requestAudits.get(event)?.folded) return;
  try {
    await appendAudit(auditEventOf(event, status, runtime().clock.now()));
  } catch (e) {
    // The effect has happened and the client must learn its outcome; a lost audit event
    // is raised to the operators (log alarm) rather than turned into a false failure.
    runtime().logger.error(
      'audit event not written',
      maskPersonalData({ route: event.routeKey, status, error: e as Error }),
    );
  }
};

/** One PutItem after the handler, on success and on failure alike, unless a project write carried it. */
export const audit = (): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => ({
  after: async (request) => {
    await record(request.event, request.response?.statusCode ?? 200);
  },
  onError: async (request) => {
    await record(request.event, request.response?.statusCode ?? 500);
  },
});
