import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createConfig, lint } from '@redocly/openapi-core';
import { ROUTES, routeKey } from '../../functions/api/routes.ts';
import { DOCUMENT_FILE, TYPES_FILE, documentText, typesText } from '../../functions/openapi/write.ts';
import { RESPONSES } from '../../functions/api/responses.ts';
import { NOTES, SUMMARIES } from '../../functions/openapi/summaries.ts';
import { REQUEST_EXAMPLES } from '../../functions/openapi/examples.ts';
import { checkExchange, ContractViolation, type Exchange } from '../support/contract.ts';

const committed = JSON.parse(readFileSync(DOCUMENT_FILE, 'utf8'));

describe('openapi.json', () => {
  it('is what npm run openapi generates now, and so are the client types', async () => {
    // Act
    const fresh = await documentText();
    const types = await typesText(fresh);

    // Assess
    expect(readFileSync(DOCUMENT_FILE, 'utf8'), 'openapi.json is stale: run npm run openapi').toBe(fresh);
    expect(readFileSync(TYPES_FILE, 'utf8'), 'functions/openapi/api-types.ts is stale: run npm run openapi').toBe(
      types,
    );
  });

  it('passes the Redocly recommended rules with no error and no warning', async () => {
    // Prepare: the three public reads that take no input (org, policy, this document) cannot be refused, so they have no 4xx.
    const config = await createConfig({ extends: ['recommended'], rules: { 'operation-4xx-response': 'off' } });

    // Act
    const problems = await lint({ ref: DOCUMENT_FILE, config });

    // Assess
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`)).toEqual([]);
  });

  it('has every route of ROUTES with its roles, bearer security on all but the public ones', () => {
    for (const r of ROUTES) {
      const op = committed.paths[r.path]?.[r.method.toLowerCase()];
      expect(op, routeKey(r)).toBeDefined();
      if (r.access === 'public') {
        expect(op.security, routeKey(r)).toEqual([]);
        expect(op['x-roles'], routeKey(r)).toEqual([]);
      } else {
        expect(op.security, routeKey(r)).toBeUndefined();
        expect(op['x-roles'], routeKey(r)).toEqual([...r.access]);
        expect(Object.keys(op.responses), routeKey(r)).toEqual(expect.arrayContaining(['401', '403']));
      }
      for (const [status, response] of Object.entries<any>(op.responses))
        if (Number(status) >= 400)
          expect(response.$ref, `${routeKey(r)} ${status}`).toMatch(/^#\/components\/responses\//);
    }
    expect(committed.security).toEqual([{ bearer: [] }]);
    expect(ROUTES.filter((r) => r.path.startsWith('/v1/public/')).every((r) => r.access === 'public')).toBe(true);
  });

  it('keeps no response, summary or example for a route that is gone', () => {
    // Prepare
    const keys = new Set(ROUTES.map(routeKey));

    // Act
    const stale = [
      ...Object.keys(RESPONSES),
      ...Object.keys(SUMMARIES),
      ...Object.keys(NOTES),
      ...Object.keys(REQUEST_EXAMPLES),
    ].filter((k) => !keys.has(k));

    // Assess
    expect(stale).toEqual([]);
  });

  it('describes refusals as problem+json and gives Chinese examples', () => {
    for (const response of Object.values<any>(committed.components.responses))
      expect(Object.keys(response.content)).toEqual(['application/problem+json']);
    const example = committed.paths['/v1/projects'].post.requestBody.content['application/json'].example;
    expect(example.title).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('the contract check', () => {
  const org = { district: { id: 'gd', name: '官渡区' }, streets: [] };
  const exchange = (over: Partial<Exchange> & { body?: unknown; type?: string }): Exchange => ({
    method: 'GET',
    url: new URL('http://localhost/v1/public/org'),
    requestHeaders: new Headers(),
    status: 200,
    responseHeaders: new Headers({
      'content-type': over.type ?? 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    }),
    responseBody: JSON.stringify(over.body ?? org),
    ...over,
  });

  it('accepts a documented exchange', () => {
    expect(() => checkExchange(exchange({}))).not.toThrow();
  });

  it.each([
    ['an undocumented field', exchange({ body: { ...org, secret: 1 } }), /additional properties \(secret\)/],
    ['an undocumented status', exchange({ status: 201 }), /status 201 is not documented/],
    [
      'a response a cache may keep',
      exchange({
        responseHeaders: new Headers({ 'content-type': 'application/json', 'x-content-type-options': 'nosniff' }),
      }),
      /Cache-Control is not no-store/,
    ],
    [
      'a response a browser may sniff',
      exchange({ responseHeaders: new Headers({ 'content-type': 'application/json', 'cache-control': 'no-store' }) }),
      /X-Content-Type-Options is not nosniff/,
    ],
    ['an undocumented content type', exchange({ type: 'text/html' }), /content type "text\/html"/],
    [
      'a refusal of another shape',
      exchange({
        status: 404,
        url: new URL('http://localhost/v1/public/projects/x'),
        type: 'application/problem+json',
        body: { error: 'no' },
      }),
      /breaks the schema/,
    ],
    [
      'a created project without its Location',
      exchange({
        method: 'POST',
        url: new URL('http://localhost/v1/projects'),
        requestBody: JSON.stringify(
          committed.paths['/v1/projects'].post.requestBody.content['application/json'].example,
        ),
        status: 201,
        body: {},
      }),
      /the required header Location is missing/,
    ],
    [
      'a bad request that was accepted',
      exchange({
        method: 'POST',
        url: new URL('http://localhost/v1/public/projects/x/objections'),
        requestBody: '{"content":""}',
        status: 201,
        body: {},
      }),
      /the request breaks the document yet was accepted/,
    ],
  ])('refuses %s', (_name, x, message) => {
    expect(() => checkExchange(x)).toThrow(ContractViolation);
    expect(() => checkExchange(x)).toThrow(message);
  });
});
