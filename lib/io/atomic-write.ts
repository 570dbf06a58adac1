/**
 * Replacing a file so that a crash, a kill, a full disk or a concurrent writer never leaves it
 * truncated or mixed: readers see the old file or the complete new one, nothing in between.
 *
 * How: the data goes to a temp file in the same directory (a rename is only atomic within one
 * file system) whose name is unique per call (pid, thread and random bytes) and which is created
 * exclusively (`O_CREAT | O_EXCL | O_NOFOLLOW`: never an existing file, never through a symlink
 * someone planted), is written in bounded chunks (no 2 GiB `write` limit), fsynced, renamed
 * over the target, and then the directory is fsynced so the rename itself survives a power
 * loss. On any failure the temp file is removed and the target is left as it was.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { typeError } from '../validate.js';

/** What `writeFileAtomic` writes: text (UTF-8), bytes, or a stream of byte chunks. */
export type AtomicData = string | Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** One `write(2)` moves at most about 2 GiB on Linux; stay far below it. */
const CHUNK = 64 * 1024 * 1024;

/** `O_NOFOLLOW` does not exist on Windows (0 there: exclusive create alone refuses links). */
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/** Keeps `<name>.<suffix>` within the usual 255-byte name limit for long target names. */
const MAX_BASE = 160;

/**
 * Atomically replaces `path` with `data` (see the module comment). Resolves once the new
 * content and its name are on disk. Rejects with the file-system error (the target unchanged,
 * no temp file left) or, before touching the disk, with a TypeError for bad arguments.
 */
export async function writeFileAtomic(path: string, data: AtomicData): Promise<void> {
  if (typeof path !== 'string' || path.length === 0) throw typeError('writeFileAtomic: path', 'a non-empty string', path);
  if (!isAtomicData(data))
    throw typeError('writeFileAtomic: data', 'a string, a Uint8Array or an (async) iterable of Uint8Array chunks', data);
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path).slice(0, MAX_BASE)}.${process.pid}.${threadId}.${randomBytes(8).toString('hex')}.tmp`);
  let handle: FileHandle | undefined = await open(temp, CREATE_FLAGS, 0o666);
  let renamed = false;
  try {
    await writeAll(handle, data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, path);
    renamed = true;
    await syncDirectory(dir);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    if (!renamed) await unlink(temp).catch(() => undefined);
    throw error;
  }
}

function isAtomicData(data: unknown): data is AtomicData {
  if (typeof data === 'string' || data instanceof Uint8Array) return true;
  // Other typed arrays are iterable (of numbers): refuse them here rather than half-way.
  if (data === null || typeof data !== 'object' || ArrayBuffer.isView(data)) return false;
  return (
    typeof (data as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function' ||
    typeof (data as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function'
  );
}

async function writeAll(handle: FileHandle, data: AtomicData): Promise<void> {
  if (typeof data === 'string') return writeChunk(handle, Buffer.from(data, 'utf8'));
  if (data instanceof Uint8Array) return writeChunk(handle, data);
  for await (const chunk of data) {
    if (!(chunk instanceof Uint8Array)) throw typeError('writeFileAtomic: data chunk', 'a Uint8Array', chunk);
    await writeChunk(handle, chunk);
  }
}

/** Writes all of `bytes`, in pieces of at most CHUNK, repeating short writes. */
async function writeChunk(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, Math.min(CHUNK, bytes.length - done));
    done += bytesWritten;
  }
}

/** Makes the rename durable. Windows cannot open a directory for syncing; NTFS journals renames. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
