import { boardIsStale, buildBoard } from '../../infra/board/build.ts';
import { buildConsole, consoleIsStale } from '../../infra/console/build.ts';

/** The suite tests the built board and console, so it builds them first when the sources changed. */
export default async function setup(): Promise<void> {
  if (boardIsStale()) await buildBoard();
  if (consoleIsStale()) await buildConsole();
}
