import { readFileSync } from "fs";
import { gunzipSync } from "zlib";
import { Tensor } from "../tensor";
import { Dataset } from "./dataset";
import { dataFile } from "./package-root";

/**
 * The handwritten digits (UCI, CC BY 4.0; see data/README.md): X is [1797, 64], each row an 8×8 image
 * row-major with ink 0..16; y the digit 0..9. Loaded once and copied on each call, so a caller may
 * change its copy freely.
 */
export function loadDigits(): Dataset {
  digits ??= parseCsv(gunzipSync(readFileSync(dataFile("digits.csv.gz"))).toString("utf8"), 64, "digits.csv.gz",
    Array.from({ length: 10 }, (_, i) => String(i)));
  return copy(digits);
}

/** Fisher's Iris (CC BY 4.0; see data/README.md): X is [150, 4] in cm, y 0..2, classes setosa, versicolor, virginica. */
export function loadIris(): Dataset {
  if (!iris) {
    const text = readFileSync(dataFile("iris.csv"), "utf8");
    const newline = text.indexOf("\n");
    const [rows, features, ...classes] = text.slice(0, newline).trim().split(",");
    iris = parseCsv(text.slice(newline + 1), Number(features), "iris.csv", classes);
    if (iris.X.shape[0] !== Number(rows)) throw new Error(`iris.csv: header promises ${rows} rows, found ${iris.X.shape[0]}`);
  }
  return copy(iris);
}

let digits: Dataset | undefined;
let iris: Dataset | undefined;

function parseCsv(text: string, features: number, file: string, classes: string[]): Dataset {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const X = new Float64Array(lines.length * features);
  const y = new Float64Array(lines.length);
  lines.forEach((line, i) => {
    const cells = line.split(",").map(Number);
    if (cells.length !== features + 1 || cells.some(Number.isNaN)) {
      throw new Error(`${file}: line ${i + 1} should have ${features} numbers and a label, got ${JSON.stringify(line.slice(0, 60))}`);
    }
    X.set(cells.slice(0, features), i * features);
    y[i] = cells[features];
  });
  return { X: new Tensor(X, [lines.length, features]), y: new Tensor(y, [lines.length]), classes };
}

function copy(ds: Dataset): Dataset {
  return { X: ds.X.clone(), y: ds.y.clone(), classes: ds.classes?.slice() };
}
