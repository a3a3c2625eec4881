import { z } from 'zod';
import { STATUSES } from '../domain/lifecycle.ts';
import { isoDate } from '../domain/time.ts';

/** Shared field rules: every text has a length limit, every amount is whole fen. */
export const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits, _ . : - only');
export const fen = z.number().int('must be whole fen (an integer)').min(0).max(100_000_000_000);
export const positiveFen = fen.min(1, 'must be at least 1 fen');
export const date = z.string().regex(isoDate, 'must be a date YYYY-MM-DD');
export const year = z.coerce.number().int().min(2000).max(2100);
export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
export const status = z.enum(STATUSES);
export const projectType = z.enum(['service', 'goods', 'works']);
export const delivery = z.enum(['self', 'social_org', 'enterprise', 'individual']);
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(50),
  nextToken: z.string().max(2048).optional(),
};
