/**
 * CRC-32 (IEEE 802.3, as zlib and PNG): the checksum of saved state files. Chainable, so a
 * file can be checked while it streams: crc32(b, crc32(a)) === crc32(a followed by b).
 * zlib's (Node ≥ 20.15) is used where present: state files reach many GiB and it is many
 * times faster; the table version gives the same numbers on older Node.
 */
import * as zlib from 'node:zlib';

const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

const table = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** The table-driven CRC-32 (exported for the test that holds it equal to zlib's). */
export function crc32Table(bytes: Uint8Array, previous = 0): number {
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** CRC-32 of `bytes`, continuing from `previous` (the CRC of the bytes before them). */
export function crc32(bytes: Uint8Array, previous = 0): number {
  return native ? native(bytes, previous) : crc32Table(bytes, previous);
}
