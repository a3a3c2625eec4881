// Lambda entry for the contacts routes (being written).
export const handler = async (): Promise<unknown> => ({ statusCode: 501 });
