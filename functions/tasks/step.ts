import { runStep, type StepInput } from './lifecycleSteps.ts';

/** Lambda entry of the timed steps: load, close a publicity window, escalate. */
export const handler = async (event: StepInput) => runStep(event);
