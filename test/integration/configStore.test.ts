import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { embeddedStore } from '../support/embeddedStore.ts';
import { runtime } from '../../functions/runtime.ts';
import { getCalendars, putCalendar, resetConfigCaches } from '../../functions/store/config.ts';
import { getYearEndReport, saveYearEndReport } from '../../functions/store/yearEndReports.ts';
import type { HolidayCalendar } from '../../functions/domain/calendar.ts';
import type { YearEndReport } from '../../functions/domain/yearEnd.ts';

/*
 * Shared configuration and reports written by several callers at once, against the
 * embedded store: no write may undo another that it did not read.
 */
let store: Awaited<ReturnType<typeof embeddedStore>>;
beforeAll(async () => {
  store = await embeddedStore();
});
afterAll(async () => store?.stop());
beforeEach(() => resetConfigCaches());

const calendar = (year: number, holiday: string): HolidayCalendar => ({
  year,
  holidays: [holiday],
  workdays: [],
  source: `notice ${year} ${holiday}`,
});

describe('loaded holiday calendars', () => {
  it('keeps every year written at once, over calendars stored in the earlier single-item layout', async () => {
    // Prepare: a data directory written before calendars had one item per year
    await runtime().ddb.send(
      new PutCommand({
        TableName: runtime().tableName,
        Item: { pk: 'CALENDAR', sk: 'LOADED', calendars: [calendar(2031, '2031-01-01'), calendar(2032, '2032-01-01')] },
      }),
    );
    const years = Array.from({ length: 12 }, (_, i) => 2032 + i);

    // Act: 2032 is replaced while eleven more years are loaded, all at once
    await Promise.all(years.map((y) => putCalendar(calendar(y, `${y}-05-01`))));
    resetConfigCaches();
    const loaded = await getCalendars();

    // Assess
    expect(loaded.get(2031)?.holidays).toEqual(['2031-01-01']);
    for (const y of years) expect(loaded.get(y)?.holidays).toEqual([`${y}-05-01`]);
  });
});

const report = (year: number, surplusFen: number): YearEndReport => ({
  year,
  communities: [],
  failedProjects: [],
  lapsed: [],
  unfinished: [],
  sanctions: { undertakers: [], communities: [] },
  totals: { allocatedFen: surplusFen, reservedFen: 0, paidFen: 0, carriedOverFen: 0, surplusFen },
});

describe('the year-end report', () => {
  it('records one first run when eight runs save the same report at once', async () => {
    // Prepare
    const nows = Array.from({ length: 8 }, (_, i) => new Date(Date.UTC(2025, 11, 31, 1, 0, i)));

    // Act
    const saved = await Promise.all(nows.map((now) => saveYearEndReport(report(2025, 500), now)));

    // Assess
    const stored = await getYearEndReport(2025);
    expect(new Set(saved.map((r) => r.ranAt))).toEqual(new Set([stored!.ranAt]));
    expect(stored).toEqual({ ...report(2025, 500), ranAt: stored!.ranAt });
  });

  it('ends with one whole report and one first run time when runs with different figures save the first report at once', async () => {
    // Prepare
    const figures = [200, 300, 400, 500, 600];

    // Act
    const saved = await Promise.all(
      figures.map((f, i) => saveYearEndReport(report(2024, f), new Date(Date.UTC(2024, 11, 31, 1, 0, i)))),
    );

    // Assess
    const stored = await getYearEndReport(2024);
    expect(figures).toContain(stored!.totals.surplusFen);
    expect(stored).toEqual({ ...report(2024, stored!.totals.surplusFen), ranAt: stored!.ranAt });
    expect(new Set(saved.map((r) => r.ranAt))).toEqual(new Set([stored!.ranAt]));
  });
});
