import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, startProduct, type Running } from '../support/localServer.ts';
import { DOCUMENT_FILE } from '../../functions/openapi/write.ts';

let server: Running;
let api: Api;
beforeAll(async () => {
  server = await startProduct();
  api = new Api(server.baseUrl);
});
afterAll(async () => server?.stop());

describe('the OpenAPI document and its reference page', () => {
  it('serves the committed document at GET /v1/openapi.json without a token', async () => {
    // Act
    const { data, response } = await api.as().GET('/v1/openapi.json');

    // Assess
    expect(response.status).toBe(200);
    expect(data).toEqual(JSON.parse(readFileSync(DOCUMENT_FILE, 'utf8')));
  });

  it('serves /docs from the installed renderer, pointed at the document, with nothing from another host', async () => {
    // Act
    const page = await fetch(`${server.baseUrl}/docs`);
    const html = await page.text();
    const init = await (await fetch(`${server.baseUrl}/docs/init.js`)).text();
    const bundle = await fetch(`${server.baseUrl}/docs/swagger-ui-bundle.js`);

    // Assess
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(init).toContain("url: '/v1/openapi.json'");
    expect(init).toContain('validatorUrl: null');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(`${server.baseUrl}/docs/../package.json`)).status).not.toBe(200);
    expect((await fetch(`${server.baseUrl}/docs/swagger-ui-bundle.js.map`)).status).toBe(404);
  });
});
