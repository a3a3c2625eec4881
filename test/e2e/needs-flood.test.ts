import { afterAll, beforeAll, expect, it } from 'vitest';
import { Api, startProduct, type Running } from '../support/localServer.ts';
import { DEMO } from '../support/scenario.ts';
import { callFrom } from '../support/fromAddress.ts';
import { PUBLIC_LIMITS } from '../../functions/api/problem.ts';

let server: Running;

beforeAll(async () => {
  server = await startProduct();
  await new Api(server.baseUrl).setClock('2025-09-23T10:00:00+08:00');
});
afterAll(async () => server?.stop());

const raiseFrom = (address: string) =>
  callFrom(address, server.baseUrl, 'POST', `/v1/public/communities/${DEMO.community}/needs`, {
    title: '楼道灯',
    description: '需'.repeat(2000),
  });

it("keeps a community's needs form open to a fresh resident after a flood from 100 addresses, and bounds what a day can cost", async () => {
  // Prepare: 100 addresses, each at its own limit, use up the community's day
  const clients = PUBLIC_LIMITS.needsPerCommunityPerDay / PUBLIC_LIMITS.needsPerClientPerHour;

  // Act
  const flood = await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const statuses: number[] = [];
      for (let i = 0; i < PUBLIC_LIMITS.needsPerClientPerHour; i++)
        statuses.push((await raiseFrom(`127.0.${1 + Math.floor(c / 200)}.${(c % 200) + 1}`)).status);
      return statuses;
    }),
  );
  const resident = await raiseFrom('127.0.9.1');
  const residentAgain = await raiseFrom('127.0.9.1');
  const flooderAgain = await raiseFrom('127.0.1.1');

  // Assess: the flood was taken, a fresh address still is (once), and a flooder gets one more at most
  expect(flood.flat().every((s) => s === 201)).toBe(true);
  expect(resident.status).toBe(201);
  expect(residentAgain.status).toBe(429);
  expect(residentAgain.body.detail).toMatch(/too many needs today/);
  expect(flooderAgain.status).toBe(429); // its hour is used up
}, 600_000);
