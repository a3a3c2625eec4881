// Lambda entry for the undertakers routes (being written).
export const handler = async (): Promise<unknown> => ({ statusCode: 501 });
