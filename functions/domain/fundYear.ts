import { shanghaiDay } from './calendar.ts';

/**
 * The fund year (资金年度) an instant belongs to: the calendar year in Asia/Shanghai.
 * Every default year and every "this year" is derived here, so that between 00:00 and
 * 08:00 on 1 January (still the old year in UTC) no part of the product disagrees.
 */
export const fundYearOf = (instant: Date): number => Number(shanghaiDay(instant).slice(0, 4));
