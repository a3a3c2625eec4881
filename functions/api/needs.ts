// Lambda entry for the needs routes (being written).
export const handler = async (): Promise<unknown> => ({ statusCode: 501 });
