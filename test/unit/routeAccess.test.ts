import { describe, expect, it } from 'vitest';
import { apiHandler, publicRoute, route } from '../../functions/api/http.ts';

const ok = async () => ({ status: 200, body: {} });

describe('a handler agrees with the route table on who may call it', () => {
  it('refuses to load a staff-style handler for a public route', () => {
    // Prepare
    const impls = { 'GET /v1/public/org': route({}, ok) };

    // Act
    const load = () => apiHandler(impls);

    // Assess
    expect(load).toThrow(/GET \/v1\/public\/org is public in the route table/);
  });

  it('refuses to load a public handler for a staff route', () => {
    const impls = { 'GET /v1/org': publicRoute({}, ok) };

    const load = () => apiHandler(impls);

    expect(load).toThrow(/GET \/v1\/org is for staff in the route table/);
  });

  it('refuses a handler for a route the table does not have', () => {
    const impls = { 'GET /v1/nowhere': route({}, ok) };

    const load = () => apiHandler(impls);

    expect(load).toThrow(/not in the route table/);
  });

  it('loads handlers that agree', () => {
    const impls = { 'GET /v1/org': route({}, ok), 'GET /v1/public/org': publicRoute({}, ok) };

    expect(() => apiHandler(impls)).not.toThrow();
  });
});
