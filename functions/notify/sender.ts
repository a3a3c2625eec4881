import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { FunctionPorts } from '../ports.ts';
import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { requiredEnv, runtime, sdkClient, type AwsWiring, type OutgoingMessage } from '../runtime.ts';
import { claimDelivery, finishDelivery, isSuppressed, releaseDelivery, suppressAddress } from '../store/contacts.ts';

/*
 * The notify queue's consumer. SQS delivers at least once and the sweep may queue a
 * message twice, so each idempotency key is claimed in the table before sending: one
 * send per key. A failure that may pass (throttling, a service fault, the network) goes
 * back to the queue as a batch item failure, and after the queue's retries to its DLQ;
 * an address that can never receive (opted out, malformed) is recorded as suppressed
 * and the message is dropped, so it does not cycle until the DLQ.
 */

/** How a failed send is handled: retried by the queue, or the address is given up. */
export type Outcome = 'sent' | 'retry' | { suppress: string };

/** Sends one message on one channel; throws the service's error as is. */
export interface Channels {
  sms(m: OutgoingMessage): Promise<void>;
  email(m: OutgoingMessage): Promise<void>;
}

/** The table's record of claims and suppressed addresses (store/contacts.ts in production). */
export interface DeliveryLedger {
  claim(key: string, now: Date): Promise<boolean>;
  finish(key: string, state: 'sent' | 'suppressed', now: Date): Promise<void>;
  release(key: string): Promise<void>;
  suppress(channel: string, address: string, reason: string, now: Date): Promise<void>;
  isSuppressed(channel: string, address: string): Promise<boolean>;
}

/** A claim older than this belongs to an attempt that died (the function's timeout is far shorter). */
export const STALE_CLAIM_MS = 15 * 60_000;

/** Reasons of End User Messaging SMS that are about the destination, not about us. */
const SMS_ADDRESS_REASONS: Record<string, string> = {
  DESTINATION_PHONE_NUMBER_OPTED_OUT: 'opted_out',
  CANNOT_PARSE: 'invalid_number',
};

interface ServiceError {
  name?: string;
  Reason?: string;
  $retryable?: unknown;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
}

/**
 * Sorts a send failure. Only errors that name the address give it up; anything else
 * that is not clearly transient is retried too, so a misconfiguration (an unverified
 * sender) ends in the DLQ where operators see it rather than being silently dropped.
 */
export const classify = (channel: OutgoingMessage['channel'], e: unknown): Outcome => {
  const err = (e ?? {}) as ServiceError;
  if (channel === 'sms') {
    const reason = err.Reason && SMS_ADDRESS_REASONS[err.Reason];
    if (reason && (err.name === 'ConflictException' || err.name === 'ValidationException')) return { suppress: reason };
  } else {
    if (err.name === 'BadRequestException') return { suppress: 'invalid_address' };
    if (err.name === 'MessageRejected') return { suppress: 'rejected' };
  }
  return 'retry';
};

/** SMS destinations are stored as 11 mainland digits; the service wants E.164. */
export const e164 = (phone: string): string => (/^1[3-9]\d{9}$/.test(phone) ? `+86${phone}` : phone);

const parse = (record: SQSRecord): OutgoingMessage | undefined => {
  try {
    const m = JSON.parse(record.body) as OutgoingMessage;
    return m &&
      typeof m.idempotencyKey === 'string' &&
      (m.channel === 'sms' || m.channel === 'email') &&
      typeof m.to === 'string' &&
      typeof m.text === 'string'
      ? m
      : undefined;
  } catch {
    return undefined;
  }
};

/** Delivers one message once; true when the queue should retry it. */
export const deliver = async (
  m: OutgoingMessage,
  channels: Channels,
  ledger: DeliveryLedger,
  now: Date,
): Promise<boolean> => {
  if (await ledger.isSuppressed(m.channel, m.to)) return false;
  if (!(await ledger.claim(m.idempotencyKey, now))) return false;
  try {
    await (m.channel === 'sms' ? channels.sms(m) : channels.email(m));
    await ledger.finish(m.idempotencyKey, 'sent', now);
    return false;
  } catch (e) {
    const outcome = classify(m.channel, e);
    if (outcome !== 'retry' && outcome !== 'sent') {
      await ledger.suppress(m.channel, m.to, outcome.suppress, now);
      await ledger.finish(m.idempotencyKey, 'suppressed', now);
      runtime().logger.warn('address suppressed', {
        channel: m.channel,
        reason: outcome.suppress,
        error: (e as Error).name,
      });
      return false;
    }
    await ledger.release(m.idempotencyKey);
    runtime().logger.warn('send failed, will retry', { channel: m.channel, error: (e as Error).name });
    return true;
  }
};

/** One SQS batch: the records to retry are reported, the rest are done. */
export const processBatch = async (
  event: SQSEvent,
  channels: Channels,
  ledger: DeliveryLedger,
): Promise<SQSBatchResponse> => {
  const now = runtime().clock.now();
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const m = parse(record);
    if (!m) {
      // A body we cannot read will never be readable: retrying only delays its landing in the DLQ.
      failures.push({ itemIdentifier: record.messageId });
      continue;
    }
    try {
      if (await deliver(m, channels, ledger, now)) failures.push({ itemIdentifier: record.messageId });
    } catch (e) {
      runtime().logger.error('delivery bookkeeping failed', { error: e as Error });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
};

/** The production ledger: claims and suppressions in the product's table. */
export const tableLedger: DeliveryLedger = {
  claim: (key, now) => claimDelivery(key, now, STALE_CLAIM_MS),
  finish: finishDelivery,
  release: releaseDelivery,
  suppress: suppressAddress,
  isSuppressed,
};

const channelsByWiring = new WeakMap<AwsWiring, Channels>();

/**
 * End User Messaging SMS and SES v2, configured by the notify stack:
 * SMS_ORIGINATION_IDENTITY (a registered sender or pool), EMAIL_FROM (a verified
 * identity), and optional configuration sets for delivery events.
 */
export const awsChannels = (wiring: AwsWiring): Channels => {
  const sms = sdkClient(wiring, 'sms', (c) => new PinpointSMSVoiceV2Client(c));
  const ses = sdkClient(wiring, 'ses', (c) => new SESv2Client(c));
  const required = (name: string) => requiredEnv(wiring, name);
  // Read per send: a deployment without one channel's settings still delivers the other.
  return {
    async sms(m) {
      await sms.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: e164(m.to),
          OriginationIdentity: required('SMS_ORIGINATION_IDENTITY'),
          MessageBody: m.text,
          MessageType: 'TRANSACTIONAL',
          ConfigurationSetName: wiring.env.SMS_CONFIGURATION_SET || undefined,
          Context: { template: m.template },
        }),
      );
    },
    async email(m) {
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: required('EMAIL_FROM'),
          Destination: { ToAddresses: [m.to] },
          Content: {
            Simple: {
              Subject: { Data: m.subject ?? m.text.slice(0, 60), Charset: 'UTF-8' },
              Body: { Text: { Data: m.text, Charset: 'UTF-8' } },
            },
          },
          ConfigurationSetName: wiring.env.EMAIL_CONFIGURATION_SET || undefined,
          EmailTags: [{ Name: 'template', Value: m.template.replace(/[^A-Za-z0-9_-]/g, '_') }],
        }),
      );
    },
  };
};

/** The ledger of claims in the table, and the two channels. */
export const ports: FunctionPorts = { table: 'readWrite', email: true, sms: true };

/** Lambda entry: the notify queue's event source, with ReportBatchItemFailures on. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const wiring = runtime().aws ?? { env: process.env };
  let channels = channelsByWiring.get(wiring);
  if (!channels) channelsByWiring.set(wiring, (channels = awsChannels(wiring)));
  return processBatch(event, channels, tableLedger);
};
