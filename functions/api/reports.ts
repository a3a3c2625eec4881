// Lambda entry for the reports routes (being written).
export const handler = async (): Promise<unknown> => ({ statusCode: 501 });
