import { runStep, type StepInput } from './lifecycleSteps.ts';
import type { FunctionPorts } from '../ports.ts';

/** Escalations queue their notice (escalationNotice). */
export const ports: FunctionPorts = { table: 'readWrite', notify: true };

/** Lambda entry of the timed steps: load, close a publicity window, escalate. */
export const handler = async (event: StepInput) => runStep(event);
