import { crc32 } from "node:zlib";

const STREAM_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const CHECK_CRC32 = 0x01;
const MAX_CHUNK_BYTES = 0x10000;
/** LZMA2 dictionary-size byte 16 = 1 MiB. */
const DICTIONARY_SIZE_BYTE = 16;

function encodeVarint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
}

function uint32le(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value >>> 0);
  return bytes;
}

function padToFour(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

/**
 * A valid .xz file whose LZMA2 chunks are stored uncompressed: Node has no xz encoder and the
 * replica must serve updateinfo.xml.xz as Oracle does. Any xz reader (xz -d, xz-decompress) reads it.
 */
export function encodeXzStored(data: Buffer): Buffer {
  const streamFlags = Buffer.from([0x00, CHECK_CRC32]);
  const streamHeader = Buffer.concat([Buffer.from(STREAM_MAGIC), streamFlags, uint32le(crc32(streamFlags))]);

  const headerBody = Buffer.from([0x02, 0x00, 0x21, 0x01, DICTIONARY_SIZE_BYTE, 0x00, 0x00, 0x00]);
  const blockHeader = Buffer.concat([headerBody, uint32le(crc32(headerBody))]);

  const chunks: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += MAX_CHUNK_BYTES) {
    const chunk = data.subarray(offset, offset + MAX_CHUNK_BYTES);
    const control = Buffer.from([offset === 0 ? 0x01 : 0x02, (chunk.length - 1) >> 8, (chunk.length - 1) & 0xff]);
    chunks.push(control, chunk);
  }
  chunks.push(Buffer.from([0x00]));
  const compressed = Buffer.concat(chunks);
  const block = Buffer.concat([blockHeader, compressed, padToFour(compressed.length), uint32le(crc32(data))]);

  const unpaddedSize = blockHeader.length + compressed.length + 4;
  const indexBody = Buffer.from([0x00, ...encodeVarint(1), ...encodeVarint(unpaddedSize), ...encodeVarint(data.length)]);
  const indexPadded = Buffer.concat([indexBody, padToFour(indexBody.length)]);
  const index = Buffer.concat([indexPadded, uint32le(crc32(indexPadded))]);

  const footerBody = Buffer.concat([uint32le(index.length / 4 - 1), streamFlags]);
  const streamFooter = Buffer.concat([uint32le(crc32(footerBody)), footerBody, Buffer.from("YZ")]);
  return Buffer.concat([streamHeader, block, index, streamFooter]);
}
