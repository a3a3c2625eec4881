/** Instants written the way the contract wants deadlines: `YYYY-MM-DDTHH:mm:ss+08:00`. */
export const toShanghaiIso = (d: Date): string => {
  const t = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return `${t.slice(0, 19)}+08:00`;
};

export const isoDate = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
