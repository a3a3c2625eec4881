import * as z from '../zod.ts';
import { STATUSES } from '../domain/lifecycle.ts';
import { isoDate } from '../domain/time.ts';
import { brokenTextRule, type TextKind } from '../domain/textRules.ts';

/** Shared field rules: every text has a length limit, every amount is whole fen. */
export const id = z
  .string()
  .check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits, _ . : - only'));
/** Whole fen between `min` and 1,000 million yuan. */
export const fenAtLeast = (min: number, message?: string) =>
  z.int('must be whole fen (an integer)').check(z.gte(min, message), z.lte(100_000_000_000));
export const fen = fenAtLeast(0);
export const positiveFen = fenAtLeast(1, 'must be at least 1 fen');
/** A whole number between `min` and `max` in a JSON body. */
export const count = (min: number, max: number) => z.int().check(z.gte(min), z.lte(max));
/** A whole number between `min` and `max` from a query string or path segment. */
export const queryInt = (min: number, max: number) => z.pipe(z.coerce.number(), count(min, max));
export const date = z.string().check(z.regex(isoDate, 'must be a date YYYY-MM-DD'));
export const year = queryInt(2000, 2100);
const textOf = (kind: TextKind, max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1, 'must not be empty'),
    z.maxLength(max, `at most ${max} characters`),
    z.superRefine((s, ctx) => {
      const broken = brokenTextRule(s, kind);
      if (broken) ctx.addIssue({ code: 'custom', message: broken, input: s });
    }),
  );
/** Multi-line prose (minutes, comments, descriptions): tab and line breaks allowed; see domain/textRules.ts. */
export const text = (max: number) => textOf('multiline', max);
/** A single line (titles, names): no line breaks or tabs either. */
export const line = (max: number) => textOf('line', max);
export const status = z.enum(STATUSES);
export const projectType = z.enum(['service', 'goods', 'works']);
export const delivery = z.enum(['self', 'social_org', 'enterprise', 'individual']);
export const pageQuery = {
  limit: z._default(queryInt(1, 100), 50),
  nextToken: z.optional(z.string().check(z.maxLength(2048))),
};
