/**
 * The kernelspec logos, drawn in code: a TypeScript-blue rounded square with a white nabla (the
 * gradient operator) for "gradlab". `node dist/kernel/spec/logo.js` rewrites kernel/spec/logo-*.png;
 * a test checks that the committed files match this drawing.
 */
import { writeFileSync } from "fs";
import { join } from "path";
import { deflateSync } from "zlib";

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309), as PNG chunks and zip entries use it. */
export function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Encodes RGBA pixels (row-major, 4 bytes each) as a PNG. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Coverage (0..1) of pixel (x, y) by the logo's shapes, 4x4 supersampled for smooth edges. */
function draw(size: number): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  const blue = [49, 120, 198];
  const r = size * 0.18; // corner radius
  // Nabla: an inverted triangle outline; outer and inner triangles in unit coordinates.
  const inside = (u: number, v: number, inset: number) => {
    const top = 0.24 + inset, left = 0.2 + inset * 1.7, right = 0.8 - inset * 1.7, bottom = 0.8 - inset * 2;
    if (v < top || v > bottom) return false;
    const t = (v - top) / (bottom - top); // 0 at the top edge, 1 at the tip
    const half = ((right - left) / 2) * (1 - t);
    return Math.abs(u - 0.5) <= half;
  };
  const S = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let bg = 0, fg = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const fx = x + (sx + 0.5) / S, fy = y + (sy + 0.5) / S;
          const cx = Math.min(Math.max(fx, r), size - r), cy = Math.min(Math.max(fy, r), size - r);
          if ((fx - cx) ** 2 + (fy - cy) ** 2 <= r * r) {
            bg++;
            const u = fx / size, v = fy / size;
            if (inside(u, v, 0) && !inside(u, v, 0.075)) fg++;
          }
        }
      }
      const a = bg / (S * S), f = bg ? fg / bg : 0;
      const i = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) px[i + c] = Math.round(blue[c] * (1 - f) + 255 * f);
      px[i + 3] = Math.round(255 * a);
    }
  }
  return px;
}

export function logoPng(size: number): Buffer {
  return encodePng(size, size, draw(size));
}

export const LOGO_SIZES = [32, 64] as const;

/** Where the committed logos live (kernel/spec/ in the source tree, shipped with the package). */
export function logoPath(root: string, size: number): string {
  return join(root, "kernel", "spec", `logo-${size}x${size}.png`);
}

if (require.main === module) {
  const root = join(__dirname, "..", "..", "..");
  for (const size of LOGO_SIZES) writeFileSync(logoPath(root, size), logoPng(size));
}
