import { existsSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { deflateRawSync } from "zlib";
import { crc32, extractZip, readZip, writeZip } from "../../grader/submission/zip";
import { tempDir } from "../support/temp";

describe("zip round trip", () => {
  it("reads back what it wrote: names, folders, binary and compressible data", () => {
    const binary = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff));
    const zip = writeZip([
      { name: "a.txt", data: "hello\n".repeat(100) },
      { name: "sub/", data: "", mode: 0o040755 },
      { name: "sub/b.bin", data: binary },
      { name: "ünï.ts", data: "const x = 1;" },
    ]);
    const entries = readZip(zip);
    expect(entries.map((e) => [e.name, e.directory])).toEqual([["a.txt", false], ["sub", true], ["sub/b.bin", false], ["ünï.ts", false]]);
    expect(entries[0].data.toString()).toBe("hello\n".repeat(100));
    expect(entries[2].data.equals(binary)).toBe(true);
    expect(zip.length).toBeLessThan(600 + 300); // "hello" x100 was deflated
  });

  it("finds the directory when the archive comment holds the end-record signature", () => {
    const zip = writeZip([{ name: "a.txt", data: "a" }]);
    const comment = Buffer.concat([Buffer.from("PK\x05\x06", "latin1"), Buffer.alloc(30, 0x41)]);
    zip.writeUInt16LE(comment.length, zip.length - 2);
    expect(readZip(Buffer.concat([zip, comment])).map((e) => e.data.toString())).toEqual(["a"]);
  });

  it("computes the standard CRC-32", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
  });

  it("extracts into a folder", () => {
    const dir = tempDir("zip");
    writeFileSync(join(dir, "in.zip"), writeZip([{ name: "x/y.txt", data: "y" }]));
    expect(extractZip(join(dir, "in.zip"), join(dir, "out"))).toEqual(["x/y.txt"]);
    expect(readFileSync(join(dir, "out", "x", "y.txt"), "utf8")).toBe("y");
  });
});

describe("hostile zips are refused, naming the entry", () => {
  const refuse = (name: string, reason: RegExp) => {
    const zip = writeZip([{ name: "ok.txt", data: "fine" }, { name, data: "evil" }]);
    expect(() => readZip(zip, "sub.zip")).toThrow(reason);
    const dir = tempDir("zip");
    writeFileSync(join(dir, "sub.zip"), zip);
    expect(() => extractZip(join(dir, "sub.zip"), join(dir, "out"))).toThrow(reason);
    expect(existsSync(join(dir, "evil"))).toBe(false);
    expect(existsSync(join(dir, "out", "ok.txt"))).toBe(false); // checked before anything is written
  };
  it.each([
    ["../evil", /entry "\.\.\/evil" refused: a "\.\." component/],
    ["a/../../evil", /a "\.\." component/],
    ["/tmp/evil", /entry "\/tmp\/evil" refused: an absolute path/],
    ["..\\evil", /a backslash/],
    ["C:/evil", /a drive letter/],
  ])("%s", (name, reason) => refuse(name, reason));

  it("a symbolic link", () => {
    const zip = writeZip([{ name: "link", data: "/etc/passwd", mode: 0o120777 }]);
    expect(() => readZip(zip, "sub.zip")).toThrow('sub.zip: entry "link" refused: a symbolic link');
  });

  it("a duplicate name", () => {
    expect(() => readZip(writeZip([{ name: "a", data: "1" }, { name: "a", data: "2" }]))).toThrow(/entry "a" appears twice/);
  });

  it("too many entries", () => {
    const zip = writeZip(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, data: "x" })));
    expect(() => readZip(zip, "sub.zip", { maxEntries: 4 })).toThrow("sub.zip: 5 entries, more than the limit of 4");
    expect(readZip(zip, "sub.zip", { maxEntries: 5 })).toHaveLength(5);
  });

  it("too many bytes in total", () => {
    const zip = writeZip([{ name: "a", data: "x".repeat(600) }, { name: "b", data: "y".repeat(600) }]);
    expect(() => readZip(zip, "sub.zip", { maxTotalBytes: 1000 })).toThrow('more than 1000 bytes uncompressed (at entry "b")');
  });

  it("a compression bomb (ratio)", () => {
    const zip = writeZip([{ name: "zeros", data: Buffer.alloc(4 * 1024 * 1024) }]);
    expect(() => readZip(zip, "sub.zip")).toThrow(/entry "zeros" refused: compression ratio \d+:1 is above the limit of 200:1/);
  });

  it("an entry whose data inflates past its declared size", () => {
    const zip = writeZip([{ name: "liar", data: "a".repeat(5000) }]);
    // Patch the central directory's uncompressed size (offset 24 in the central header) down to 10.
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(10, central + 24);
    expect(() => readZip(zip, "sub.zip")).toThrow(/entry "liar": cannot be inflated|entry "liar": \d+ bytes, but the directory says 10/);
  });

  it("a corrupted entry (CRC)", () => {
    const zip = writeZip([{ name: "a.txt", data: deflateRawSync(Buffer.from("z")).toString("latin1") + "plain text long enough to be stored or deflated" }]);
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE((zip.readUInt32LE(central + 16) ^ 1) >>> 0, central + 16);
    expect(() => readZip(zip, "sub.zip")).toThrow('sub.zip: entry "a.txt": CRC-32 mismatch');
  });

  it("something that is not a zip", () => {
    expect(() => readZip(Buffer.from("{ \"cells\": [] } and then some more text"), "nb.zip")).toThrow("nb.zip: not a zip file");
  });
});
