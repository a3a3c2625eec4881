import { boardIsStale, buildBoard } from '../../infra/board/build.ts';

/** The suite tests the built board, so it builds it first when the sources changed. */
export default async function setup(): Promise<void> {
  if (boardIsStale()) await buildBoard();
}
