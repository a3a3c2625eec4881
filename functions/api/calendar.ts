// Lambda entry for the calendar routes (being written).
export const handler = async (): Promise<unknown> => ({ statusCode: 501 });
