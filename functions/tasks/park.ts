import { park, type ParkInput } from './lifecycleSteps.ts';
import type { FunctionPorts } from '../ports.ts';

/** Parks the token on the project; when the project already moved on, hands the new state straight back. */
export const ports: FunctionPorts = { table: 'readWrite', workflow: { taskTokens: true } };

/** Lambda entry of every `.waitForTaskToken` state: parks the token on the project. */
export const handler = async (event: ParkInput): Promise<void> => park(event);
