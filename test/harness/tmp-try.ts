import { serializeProvider } from "./serialize";
import * as path from "node:path";
(async () => {
  const a = await serializeProvider({ module: path.join(__dirname, "fixtures", "toy-file-provider.ts"), export: "toyFileProvider" });
  const b = await serializeProvider({ module: path.join(__dirname, "fixtures", "toy-file-provider.ts"), export: "ToyFile", resourceArgs: {dir:"/tmp", name:"x", content:"c", token:"t"} });
  console.log(a.text === b.text, a.text.length, b.text.length);
  if (a.text !== b.text) { const fs=require("fs"); fs.writeFileSync("/tmp/a.js", a.text); fs.writeFileSync("/tmp/b.js", b.text); }
})();
