// Lambda entry for the workflowActions routes (being written).
export const handler = async (): Promise<unknown> => ({ statusCode: 501 });
