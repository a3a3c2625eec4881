import { closeSync, existsSync, fdatasyncSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';

/*
 * The files the local product keeps beside the store (clock, token key, outbox). A kill
 * may land between any two system calls, so none of them is ever truncated in place:
 * a whole file is replaced by rename, an append-only file only grows.
 */

const syncDir = (dir: string): void => {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

/**
 * Replaces `file` with `data` so that a crash at any moment leaves either the old
 * content or the new one, never an empty or half-written file: the data goes to a
 * temporary file beside it, is flushed to disk, and is renamed over the old one; the
 * directory is flushed too, so the rename itself survives a power cut.
 */
export const writeFileAtomic = (file: string, data: string, opts: { mode?: number } = {}): void => {
  // One fixed temporary name: one product per data dir writes it, and a leftover from a crash is simply overwritten.
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', opts.mode ?? 0o644);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  syncDir(dirname(file));
};

/**
 * Appends `data` in one write and flushes it before returning, so that what a caller
 * was told is kept survives a kill or a power cut. A crash during the write can leave
 * only a torn last line, which the reader drops (the caller was never told it was kept).
 */
export const appendDurably = (file: string, data: string): void => {
  const created = !existsSync(file);
  const fd = openSync(file, 'a', 0o644);
  try {
    writeSync(fd, data);
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (created) syncDir(dirname(file));
};

/** {@link appendDurably} off the event loop: the write and the flush run on libuv's threads. */
export const appendDurablyAsync = async (file: string, data: string): Promise<void> => {
  const created = !existsSync(file);
  const handle = await open(file, 'a', 0o644);
  try {
    await handle.write(data);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  if (created) syncDir(dirname(file));
};
