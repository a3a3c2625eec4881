import {
  SFNClient,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  ExecutionAlreadyExists,
  TaskTimedOut,
  TaskDoesNotExist,
  InvalidToken,
} from '@aws-sdk/client-sfn';
import type { WorkflowPort } from '../ports.ts';
import { requiredEnv, sdkClient, type AwsWiring } from './wiring.ts';

/** The step already timed out or moved on; the parked state re-reads the project when it resumes. */
const tokenNoLongerWaiting = (e: unknown): boolean =>
  e instanceof TaskTimedOut || e instanceof TaskDoesNotExist || e instanceof InvalidToken;

/** Step Functions behind the workflow port. */
export const stepFunctionsPort = (wiring: AwsWiring): WorkflowPort => {
  const stateMachineArn = requiredEnv(wiring, 'STATE_MACHINE_ARN');
  const client = sdkClient(wiring, 'sfn', (c) => new SFNClient(c));
  return {
    async start(projectId, input) {
      try {
        await client.send(
          new StartExecutionCommand({ stateMachineArn, name: projectId, input: JSON.stringify(input) }),
        );
      } catch (e) {
        // The project's one execution is already running: that is the goal, not a failure.
        if (!(e instanceof ExecutionAlreadyExists)) throw e;
      }
    },
    async sendTaskSuccess(token, output) {
      try {
        await client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
      } catch (e) {
        if (!tokenNoLongerWaiting(e)) throw e;
      }
    },
    async sendTaskFailure(token, error, cause) {
      try {
        await client.send(new SendTaskFailureCommand({ taskToken: token, error, cause }));
      } catch (e) {
        if (!tokenNoLongerWaiting(e)) throw e;
      }
    },
  };
};
