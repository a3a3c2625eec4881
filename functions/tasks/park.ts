import { park, type ParkInput } from './lifecycleSteps.ts';

/** Lambda entry of every `.waitForTaskToken` state: parks the token on the project. */
export const handler = async (event: ParkInput): Promise<void> => park(event);
