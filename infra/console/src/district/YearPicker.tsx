/** Chooses the year a screen shows; the choice lives in the address (`?year=`), so it survives a reload. */
import { navigate } from '../router.ts';

export const YearPicker = ({ year, path }: { year: number; path: string }) => (
  <div class="toolbar no-print">
    <label>
      年度{' '}
      <select value={String(year)} onChange={(e) => navigate(path, { year: (e.target as HTMLSelectElement).value })}>
        {[year - 2, year - 1, year, year + 1].map((y) => (
          <option key={y} value={String(y)}>
            {y} 年
          </option>
        ))}
      </select>
    </label>
  </div>
);
