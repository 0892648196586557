/**
 * Keeps the two source maps of each cell, and of each local module tslab compiles beside it: stage 1
 * (TypeScript -> ES module) from the watch program's emit, stage 2 (ES module -> CommonJS) from tslab's
 * transpileModule. The executor composes them to report runtime errors at the cell's own lines
 * (traceback.ts). Where they come from is tslab's private surface ("watch-host" and "stage2-transpile"
 * in private-surface.ts).
 */
import { join, relative } from "path";
import { TSLAB_FILES } from "./private-surface";

/** The source maps of the last conversion: TS -> ES module JS (stage 1), ES module -> CommonJS (stage 2). */
export interface CellMaps {
  stage1: string | null;
  stage2: string | null;
}

/** A local module the converter compiled beside a cell ("side output"): its path (as tslab names it) and maps. */
export interface ModuleMaps {
  path: string;
  maps: CellMaps;
}

export class MapCapture {
  private readonly cell: CellMaps = { stage1: null, stage2: null };
  /** Side outputs by their emitted name (in tslab's outDir). */
  private readonly modules = new Map<string, CellMaps>();
  /** The side output whose second stage runs now (tslab transpiles it inside the writeFile of its emit). */
  private emitting: string | null = null;
  /** tslab's outDir and rootDir (the notebook's folder): a side output is named by its place under rootDir. */
  layout: { outDir: string; rootDir: string } | null = null;

  /** Makes `builder.emit` keep the stage-1 maps, and hand tslab its files without the map comments. */
  captureEmit(builder: { emit: (...args: any[]) => unknown }): void {
    const emit = builder.emit.bind(builder);
    builder.emit = (sf: any, writeFile: any, ...rest: unknown[]) =>
      emit(sf, (name: string, data: string, ...more: unknown[]) => {
        if (name.endsWith(TSLAB_FILES.cellJsMap)) this.cell.stage1 = data;
        else if (name.endsWith(".js.map")) this.sideMaps(name.slice(0, -".map".length)).stage1 = data;
        else if (name.endsWith(".map")) return;
        else if (!name.endsWith(".js") || name.endsWith(TSLAB_FILES.cellJs)) writeFile(name, stripMapComment(data), ...more);
        else {
          // A local module: tslab turns it into CommonJS (transpile below) inside this writeFile.
          this.emitting = name;
          try {
            writeFile(name, stripMapComment(data), ...more);
          } finally {
            this.emitting = null;
          }
        }
      }, ...rest);
  }

  /** tslab's second stage, with its source map kept. */
  transpile(ts: any, input: string, options: any): any {
    const out = ts.transpileModule(input, { ...options, compilerOptions: { ...options.compilerOptions, sourceMap: true } });
    if (this.emitting) this.sideMaps(this.emitting).stage2 = out.sourceMapText ?? null;
    else this.cell.stage2 = out.sourceMapText ?? null;
    return { ...out, outputText: stripMapComment(out.outputText) };
  }

  /** Returns and forgets the cell's maps captured since the last call. */
  takeMaps(): CellMaps {
    const taken = { ...this.cell };
    this.cell.stage1 = this.cell.stage2 = null;
    return taken;
  }

  /** Returns and forgets the maps of the local modules compiled since the last call. */
  takeModuleMaps(): ModuleMaps[] {
    const layout = this.layout;
    const taken = [...this.modules].map(([emitted, maps]) => ({
      path: layout ? join(layout.rootDir, relative(layout.outDir, emitted)) : emitted,
      maps,
    }));
    this.modules.clear();
    return taken;
  }

  private sideMaps(emitted: string): CellMaps {
    let entry = this.modules.get(emitted);
    if (!entry) this.modules.set(emitted, (entry = { stage1: null, stage2: null }));
    return entry;
  }
}

function stripMapComment(js: string): string {
  return js.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
}
