/** The fund year a district or auditor screen shows: `?year=` or the server clock's year. */
import { useEffect, useState } from 'preact/hooks';
import { serverNow } from '../data.ts';
import { shanghaiIsoDay } from '../format.ts';

export const useFundYear = (query: URLSearchParams): { year?: number; now?: Date } => {
  const asked = Number(query.get('year'));
  const [now, setNow] = useState<Date | undefined>();
  useEffect(() => {
    serverNow().then(setNow);
  }, []);
  const year =
    Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : now && Number(shanghaiIsoDay(now).slice(0, 4));
  return { year, now };
};
