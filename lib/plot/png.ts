/**
 * A minimal PNG encoder (8-bit RGBA, no filtering) for small raster layers inside SVG plots, such as the
 * colour map under a contour plot: one image of n×n pixels instead of n² rectangles, and the browser's
 * smoothing when it is scaled up makes the colours flow instead of showing blocks.
 */
import { deflateSync } from "zlib";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** Encodes `rgba` (width·height·4 bytes, rows top to bottom) as a PNG file. */
export function encodePNG(width: number, height: number, rgba: Uint8Array): Buffer {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new RangeError(`encodePNG: width and height must be positive integers, got ${width}×${height}`);
  }
  if (rgba.length !== width * height * 4) throw new RangeError(`encodePNG: expected ${width * height * 4} bytes (${width}×${height} RGBA), got ${rgba.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++) {
    rows[y * (1 + width * 4)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(rows, y * (1 + width * 4) + 1);
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", new Uint8Array(0))]);
}

/** The PNG as a data: URL, for a Vega image mark or an SVG <image>. */
export function pngDataURL(width: number, height: number, rgba: Uint8Array): string {
  return `data:image/png;base64,${encodePNG(width, height, rgba).toString("base64")}`;
}
