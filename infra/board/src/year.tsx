import { shanghaiDay } from './format.ts';
import { href, param, type Place } from './ui.tsx';

/** The year asked for in `?y=`, if any; otherwise the API answers for its own current year. */
export const yearParam = (): number | undefined => {
  const y = Number(param('y'));
  return Number.isInteger(y) && y >= 2000 && y <= 2100 ? y : undefined;
};

/** The year shown: the one asked for, else the server's (simulated when local). */
export const shownYear = (asked: number | undefined, serverNow: Date): number => asked ?? shanghaiDay(serverNow)[0];

/** Links to the neighbouring years: the fund runs by calendar year. */
export const YearPicker = ({ page, place, year }: { page: string; place: Place; year: number }) => (
  <nav aria-label="年度">
    <p>
      <a href={href(page, { c: place.community.id, y: year - 1 })}>上一年</a> · <strong>{year}年度</strong> ·{' '}
      <a href={href(page, { c: place.community.id, y: year + 1 })}>下一年</a>
    </p>
  </nav>
);
