// Lambda entry (being written).
export const handler = async (): Promise<unknown> => undefined;
