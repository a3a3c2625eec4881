/** The daily reminder sweep, fired by EventBridge Scheduler at 08:00 Asia/Shanghai. */
export const runReminderSweep = async (): Promise<void> => {};

export const handler = async (): Promise<void> => runReminderSweep();
