import * as z from '../zod.ts';
import { putContact, unsuppressAddress, type Contact } from '../store/contacts.ts';
import { apiHandler, route } from './http.ts';
import type { FunctionPorts } from '../ports.ts';

/** Mainland mobile numbers: SMS reminders go only to these. */
export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/** `PUT /v1/me/contact`: both fields optional, at least one given; the body replaces what was stored. */
export const ContactBody = z
  .strictObject({
    phone: z.optional(
      z
        .string()
        .check(z.trim(), z.regex(MAINLAND_MOBILE, 'must be a mainland mobile number of 11 digits, like 13800138000')),
    ),
    email: z.optional(
      z.email('must be an email address').check(z.trim(), z.maxLength(254, 'at most 254 characters'), z.toLowerCase()),
    ),
  })
  .check(
    z.refine((b) => b.phone !== undefined || b.email !== undefined, {
      message: 'give a phone, an email or both',
      path: ['phone'],
    }),
  );

/** What this module's function reaches in AWS (infra/stacks/ports.ts derives its wiring from this). */
export const ports: FunctionPorts = { table: 'readWrite' };

export const handler = apiHandler({
  'PUT /v1/me/contact': route({ body: ContactBody }, async ({ caller, body, now }) => {
    const contact: Contact = {
      sub: caller.sub,
      role: caller.role,
      orgUnitId: caller.orgUnitId,
      ...(body.phone ? { phone: body.phone } : {}),
      ...(body.email ? { email: body.email } : {}),
      updatedAt: now.toISOString(),
    };
    await putContact(contact);
    if (contact.phone) await unsuppressAddress('sms', contact.phone);
    if (contact.email) await unsuppressAddress('email', contact.email);
    return { status: 200, body: contact };
  }),
});
