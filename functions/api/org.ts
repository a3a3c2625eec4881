import { activeProfile, getOrg } from '../store/config.ts';
import { apiHandler, route } from './http.ts';

export const handler = apiHandler({
  'GET /v1/org': route({}, async () => ({ status: 200, body: (await getOrg()).tree })),
  'GET /v1/public/org': route({}, async () => ({ status: 200, body: (await getOrg()).tree })),
  'GET /v1/public/policy': route({}, async () => ({ status: 200, body: activeProfile() })),
});
