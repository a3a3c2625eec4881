// Lambda entry for the allocations routes (being written).
export const handler = async (): Promise<unknown> => ({ statusCode: 501 });
