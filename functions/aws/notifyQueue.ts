import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { NotifyPort } from '../ports.ts';
import { requiredEnv, sdkClient, type AwsWiring } from './wiring.ts';

/** Messages go to the notify queue; the sender function delivers them with retries and a DLQ. */
export const sqsNotifyPort = (wiring: AwsWiring): NotifyPort => {
  const QueueUrl = requiredEnv(wiring, 'NOTIFY_QUEUE_URL');
  const client = sdkClient(wiring, 'sqs', (c) => new SQSClient(c));
  return {
    async enqueue(messages) {
      for (let i = 0; i < messages.length; i += 10) {
        const batch = messages.slice(i, i + 10);
        const out = await client.send(
          new SendMessageBatchCommand({
            QueueUrl,
            Entries: batch.map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m) })),
          }),
        );
        if (out.Failed?.length) throw new Error(`${out.Failed.length} notifications could not be queued`);
      }
    },
  };
};
