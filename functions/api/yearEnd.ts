// Lambda entry for the yearEnd routes (being written).
export const handler = async (): Promise<unknown> => ({ statusCode: 501 });
