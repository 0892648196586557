/** The kernel's watch host: no file watchers on declaration files that cannot change during a session. */
import { skipStaticWatchers } from "../../kernel/engine/typescript";

describe("skipStaticWatchers", () => {
  const libDir = "/opt/ts/lib";
  const watched: string[] = [];
  const system = {
    watchFile: (path: string) => {
      watched.push(path);
      return { close: () => undefined };
    },
  };
  skipStaticWatchers(system, libDir);

  test("declarations in node_modules and TypeScript's lib folder get no watcher", () => {
    system.watchFile!("/home/s/course/node_modules/@types/node/fs.d.ts");
    system.watchFile!("/home/s/course/node_modules/gradlab/dist/lib/index.d.ts");
    system.watchFile!("/opt/ts/lib/lib.es2022.d.ts");
    expect(watched).toEqual([]);
  });

  test("the notebook's own files keep theirs (an edited local module is picked up), .js in node_modules too", () => {
    system.watchFile!("/home/s/course/week1/geometry.ts");
    system.watchFile!("/home/s/course/week1/types.d.ts");
    system.watchFile!("/home/s/course/node_modules/tool/index.js");
    system.watchFile!("/opt/ts/libextra/x.d.ts");
    expect(watched).toEqual([
      "/home/s/course/week1/geometry.ts",
      "/home/s/course/week1/types.d.ts",
      "/home/s/course/node_modules/tool/index.js",
      "/opt/ts/libextra/x.d.ts",
    ]);
  });
});
