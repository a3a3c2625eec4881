/** The yearly year-end check, fired by EventBridge Scheduler (locally by the simulated clock). */
export const runYearEndSchedule = async (): Promise<void> => {};

export const handler = async (): Promise<void> => runYearEndSchedule();
