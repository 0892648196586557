/**
 * Zip files without a dependency: a reader that treats the archive as hostile (a submission is student
 * input) and a small writer (test fixtures, Gradescope's autograder zip).
 *
 * The reader trusts only the central directory, refuses what a submission never needs and an attacker
 * would use: names that leave the target folder (`..`, absolute paths, drive letters, backslashes, NUL),
 * symlinks (Unix mode S_IFLNK in the external attributes), duplicate names, encryption, zip64, methods
 * other than stored and deflate. Sizes are bounded before anything is inflated (entry count, total
 * declared size, compression ratio) and again while inflating (zlib stops at the declared size), and each
 * entry's CRC-32 is checked. Errors name the archive and the entry.
 */
import { mkdirSync, readFileSync, writeFileSync } from "fs";
import { dirname, resolve, sep } from "path";
import { deflateRawSync, inflateRawSync } from "zlib";
// The PNG encoder's CRC-32: zip uses the same one (zlib.crc32 only exists from Node 20.15).
import { crc32 } from "../../kernel/spec/logo";

export { crc32 };

export interface ZipLimits {
  /** Entries (files and folders) at most. */
  maxEntries: number;
  /** Sum of the uncompressed sizes, bytes. */
  maxTotalBytes: number;
  /** Uncompressed / compressed size of one entry, checked for entries above `ratioFloorBytes`. */
  maxRatio: number;
  /** Small entries may compress well (a file of blank lines); only larger ones are held to maxRatio. */
  ratioFloorBytes: number;
}

/** Generous for a notebook submission (a few MB with plots), tight enough that a zip bomb stops early. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 2000, maxTotalBytes: 200 * 1024 * 1024, maxRatio: 200, ratioFloorBytes: 1024 * 1024 };

export interface ZipEntry {
  /** The path inside the archive, "/"-separated, without a trailing "/" for folders. */
  name: string;
  directory: boolean;
  /** Empty for folders. */
  data: Buffer;
}

export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ZipError";
  }
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

/** Why `name` may not be extracted, or null when it is a plain relative path. */
export function unsafeEntryName(name: string): string | null {
  if (name === "" || name === "/") return "an empty name";
  if (name.includes("\0")) return "a NUL byte in the name";
  if (name.includes("\\")) return "a backslash in the name (Windows path separators could leave the folder)";
  if (name.startsWith("/")) return "an absolute path";
  if (/^[A-Za-z]:/.test(name)) return "a drive letter";
  if (name.split("/").some((part) => part === "..")) return 'a ".." component';
  return null;
}

/** The end-of-central-directory record is in the last 22 + 65535 (comment) bytes. */
function findEndRecord(buf: Buffer, archive: string): number {
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    // The record's comment length must reach the end of the file, or these bytes are inside a comment.
    if (buf.readUInt32LE(i) === EOCD_SIGNATURE && i + 22 + buf.readUInt16LE(i + 20) === buf.length) return i;
  }
  throw new ZipError(`${archive}: not a zip file (no end-of-central-directory record)`);
}

interface CentralEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  mode: number;
}

function readCentralDirectory(buf: Buffer, archive: string, limits: ZipLimits): CentralEntry[] {
  const end = findEndRecord(buf, archive);
  const count = buf.readUInt16LE(end + 10);
  const dirOffset = buf.readUInt32LE(end + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) throw new ZipError(`${archive}: zip64 archives are not supported`);
  if (count > limits.maxEntries) throw new ZipError(`${archive}: ${count} entries, more than the limit of ${limits.maxEntries}`);
  const entries: CentralEntry[] = [];
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL_SIGNATURE) throw new ZipError(`${archive}: corrupt central directory (entry ${i + 1})`);
    const flags = buf.readUInt16LE(p + 8);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    if (p + 46 + nameLength > buf.length) throw new ZipError(`${archive}: corrupt central directory (entry ${i + 1})`);
    // Bit 11 says UTF-8; without it the name is CP437, which matches UTF-8 for the ASCII names we accept.
    const name = buf.toString(flags & 0x800 ? "utf8" : "latin1", p + 46, p + 46 + nameLength);
    const entry: CentralEntry = {
      name,
      method: buf.readUInt16LE(p + 10),
      crc: buf.readUInt32LE(p + 16),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
      mode: buf.readUInt32LE(p + 38) >>> 16,
    };
    const what = `${archive}: entry "${name}"`;
    if (flags & 0x1) throw new ZipError(`${what} is encrypted`);
    if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff || entry.localOffset === 0xffffffff) {
      throw new ZipError(`${what}: zip64 entries are not supported`);
    }
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Everything checked before a byte is inflated: names, kinds, duplicates, sizes. */
function checkEntries(entries: CentralEntry[], archive: string, limits: ZipLimits): void {
  const names = new Set<string>();
  let total = 0;
  for (const e of entries) {
    const what = `${archive}: entry "${e.name}"`;
    const unsafe = unsafeEntryName(e.name);
    if (unsafe) throw new ZipError(`${what} refused: ${unsafe}`);
    if ((e.mode & S_IFMT) === S_IFLNK) throw new ZipError(`${what} refused: a symbolic link`);
    const key = e.name.replace(/\/+$/, "");
    if (names.has(key)) throw new ZipError(`${what} appears twice`);
    names.add(key);
    if (e.method !== 0 && e.method !== 8) throw new ZipError(`${what}: compression method ${e.method} is not supported (only stored and deflate)`);
    total += e.size;
    if (total > limits.maxTotalBytes) throw new ZipError(`${archive}: more than ${limits.maxTotalBytes} bytes uncompressed (at entry "${e.name}")`);
    if (e.size > limits.ratioFloorBytes && e.size > limits.maxRatio * Math.max(1, e.compressedSize)) {
      throw new ZipError(`${what} refused: compression ratio ${Math.round(e.size / Math.max(1, e.compressedSize))}:1 is above the limit of ${limits.maxRatio}:1`);
    }
  }
}

function entryData(buf: Buffer, e: CentralEntry, archive: string): Buffer {
  const what = `${archive}: entry "${e.name}"`;
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOCAL_SIGNATURE) throw new ZipError(`${what}: corrupt local header`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  if (start + e.compressedSize > buf.length) throw new ZipError(`${what}: data runs past the end of the archive`);
  const raw = buf.subarray(start, start + e.compressedSize);
  let data: Buffer;
  if (e.method === 0) {
    data = Buffer.from(raw);
  } else {
    try {
      // maxOutputLength stops a lying size field: zlib throws instead of inflating past what was declared.
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size) });
    } catch (err) {
      throw new ZipError(`${what}: cannot be inflated (${(err as Error).message})`);
    }
  }
  if (data.length !== e.size) throw new ZipError(`${what}: ${data.length} bytes, but the directory says ${e.size}`);
  if (crc32(data) !== e.crc) throw new ZipError(`${what}: CRC-32 mismatch (corrupt archive)`);
  return data;
}

/** Reads every entry of a zip held in memory; `archive` names it in errors. */
export function readZip(buf: Buffer, archive = "archive.zip", limits: Partial<ZipLimits> = {}): ZipEntry[] {
  const all = { ...DEFAULT_ZIP_LIMITS, ...limits };
  if (buf.length < 22) throw new ZipError(`${archive}: not a zip file (${buf.length} bytes)`);
  const entries = readCentralDirectory(buf, archive, all);
  checkEntries(entries, archive, all);
  return entries.map((e) => {
    const directory = e.name.endsWith("/") || (e.mode & S_IFMT) === S_IFDIR;
    return { name: e.name.replace(/\/+$/, ""), directory, data: directory ? Buffer.alloc(0) : entryData(buf, e, archive) };
  });
}

/**
 * Extracts `zipPath` into `target` (created if missing) and returns the relative paths of the files
 * written. Every path is checked again against the resolved target, so a name the checks above missed
 * still cannot land outside it.
 */
export function extractZip(zipPath: string, target: string, limits: Partial<ZipLimits> = {}): string[] {
  const entries = readZip(readFileSync(zipPath), zipPath, limits);
  const root = resolve(target);
  mkdirSync(root, { recursive: true });
  const written: string[] = [];
  for (const entry of entries) {
    const dest = resolve(root, entry.name);
    if (!dest.startsWith(root + sep)) throw new ZipError(`${zipPath}: entry "${entry.name}" would be written outside ${root}`);
    if (entry.directory) {
      mkdirSync(dest, { recursive: true });
      continue;
    }
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, entry.data, { flag: "wx" }); // "wx": never follow or replace something already there
    written.push(entry.name);
  }
  return written;
}

export interface ZipInput {
  name: string;
  data: Buffer | string;
  /** Unix mode stored in the external attributes; default a regular file 0644. */
  mode?: number;
}

/**
 * Builds a zip (deflate, UTF-8 names, Unix modes). It writes what it is given, unsafe names included, so
 * tests can build hostile archives; the reader is the guard. Timestamps are fixed (1980-01-01) so the
 * same files always give the same bytes.
 */
export function writeZip(files: ZipInput[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const data = typeof file.data === "string" ? Buffer.from(file.data, "utf8") : file.data;
    const deflated = deflateRawSync(data);
    const stored = deflated.length >= data.length;
    const body = stored ? data : deflated;
    const name = Buffer.from(file.name, "utf8");
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_SIGNATURE, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0x800, 6); // UTF-8 names
    local.writeUInt16LE(stored ? 0 : 8, 8);
    local.writeUInt16LE(0, 10); // time 00:00
    local.writeUInt16LE(0x21, 12); // date 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_SIGNATURE, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the external attributes hold a mode
    local.copy(central, 6, 4, 30); // version needed .. name length, the same fields in the same order
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(((file.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD_SIGNATURE, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
