// Lambda entry for the publicity routes (being written).
export const handler = async (): Promise<unknown> => ({ statusCode: 501 });
