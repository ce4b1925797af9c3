import { serializeProvider } from "./serialize";
import * as path from "node:path";
(async () => {
  for (const [m, e] of [["toy-file-provider.ts","toyFileProvider"],["toy-file-provider.ts","ToyFile"],["zod-providers.ts","moduleSchemaProvider"],["zod-providers.ts","inMethodSchemaProvider"],["captured-secret-provider.ts","capturedSecretProvider"]]) {
    try { const r = await serializeProvider({ module: path.join(__dirname, "fixtures", m!), export: e!, resourceArgs: {dir:"/tmp", name:"x", content:"c", token:"t"} });
      console.log(e, r.ms, r.containsSecrets, r.type, r.additionalSecretOutputs, r.text.length, r.text.includes("captured-s3cr3t"));
    } catch (err) { console.log(e, "ERR", String(err).slice(0, 600)); }
  }
})();
