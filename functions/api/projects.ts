// Lambda entry for the projects routes (being written).
export const handler = async (): Promise<unknown> => ({ statusCode: 501 });
