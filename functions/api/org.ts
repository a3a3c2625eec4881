// Lambda entry for the org routes (being written).
export const handler = async (): Promise<unknown> => ({ statusCode: 501 });
