// The engine emulation driving the toy provider through the SDK's host: the step order the real engine uses
// (create, refresh, update, replace both ways, delete) and the engine-side errors the host relies on.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CheckFailedError,
  createEngine,
  EngineError,
  liveHostGroups,
  PROJECT_ROOT,
  secret,
  serializeProvider,
  startProviderHost,
  stripSecrets,
  UNKNOWN,
  type ProviderHost,
  type SerializedProvider,
} from "./index";
import { tempDirs } from "./fixtures/temp-dirs";

let provider: SerializedProvider;
let host: ProviderHost;
const dirs = tempDirs();
const toyArgs = (dir: string, extra: Record<string, unknown> = {}) => ({ dir, name: "a.txt", content: "one", token: secret("tok"), ...extra });
const journal = (dir: string) => fs.readFileSync(path.join(dir, "journal.log"), "utf8").trim().split("\n");

beforeAll(async () => {
  provider = await serializeProvider({
    module: path.join(__dirname, "fixtures", "toy-file-provider.ts"),
    export: "ToyFile",
    resourceArgs: { dir: "/tmp", name: "x", content: "c", token: "t" },
  });
  host = await startProviderHost({ programDir: PROJECT_ROOT, project: "toy", config: { prefix: "t-" } });
}, 60_000);

afterAll(async () => {
  await host?.stop();
  dirs.removeAll();
  expect(liveHostGroups()).toEqual([]);
});

describe("engine lifecycle", () => {
  it("runs create → refresh → update → replace (create-before-delete) → replace (delete-before-replace) → delete", async () => {
    // GIVEN
    const dir = dirs.make();
    const engine = createEngine({ host, provider });
    const t0 = Date.now();
    // WHEN / THEN: create (the id carries the configured prefix, so Configure reached the provider)
    const created = await engine.up("f", toyArgs(dir));
    expect(created.op).toBe("create");
    expect(created.state.id).toBe("t-a.txt");
    expect(fs.readFileSync(path.join(dir, "a.txt"), "utf8")).toBe("one");
    // refresh picks up drift through Read
    fs.writeFileSync(path.join(dir, "a.txt"), "drifted");
    const refreshed = await engine.refresh("f");
    expect(refreshed.op).toBe("update");
    expect(stripSecrets(refreshed.state!.outputs.content)).toBe("drifted");
    // same inputs again: no provider write
    expect((await engine.up("f", toyArgs(dir))).op).toBe("update"); // outputs drifted from inputs → diff says changed
    expect((await engine.up("f", toyArgs(dir))).op).toBe("same");
    // in-place update
    expect((await engine.up("f", toyArgs(dir, { content: "two" }))).op).toBe("update");
    // replacement, default order: new one first
    const replaced = await engine.up("f", toyArgs(dir, { name: "b.txt", content: "two" }));
    expect(replaced.op).toBe("replace");
    expect(replaced.diff?.replaces).toEqual(["name"]);
    // replacement the provider wants deleted first
    const exclusive = await engine.up("f", toyArgs(dir, { name: "c.txt", content: "two", exclusive: true }));
    expect(exclusive.diff?.deleteBeforeReplace).toBe(true);
    expect(await engine.destroy("f")).toBe(true);
    console.info(`timing: full lifecycle (9 steps, ${engine.calls.length} RPCs) ${Date.now() - t0} ms`);

    expect(journal(dir)).toEqual([
      "create t-a.txt",
      "read t-a.txt",
      "update t-a.txt",
      "update t-a.txt",
      "create t-b.txt",
      "delete t-a.txt",
      "delete t-b.txt",
      "create t-c.txt",
      "delete t-c.txt",
    ]);
    expect(fs.readdirSync(dir)).toEqual(["journal.log"]);
    expect(engine.state("f")).toBeUndefined();
  });

  it("re-checks a replacement with empty olds, as the engine does before creating the new resource", async () => {
    const dir = dirs.make();
    const engine = createEngine({ host, provider });
    await engine.up("r", toyArgs(dir));
    await engine.up("r", toyArgs(dir, { name: "b.txt" }));
    const methods = engine.calls.map((c) => c.method);
    expect(methods).toEqual(["check", "create", "check", "diff", "check", "create", "delete"]);
    expect(engine.calls[4]!.request.olds).toEqual({});
    expect(engine.calls[2]!.request.olds).toMatchObject({ name: "a.txt" });
    await engine.destroyAll();
  });

  it("fails when check reports failures, with each property path in the engine's wording, and creates nothing", async () => {
    const engine = createEngine({ host, provider });
    const attempt = engine.up("bad", { dir: "rel", name: "Bad Name", content: "toolong", token: secret("tok"), limits: { maxBytes: 1 } });
    await expect(attempt).rejects.toThrow(CheckFailedError);
    const err = (await attempt.catch((e: unknown) => e)) as CheckFailedError;
    expect(err.failures.map((f) => f.property)).toEqual(["dir", "name", "limits.maxBytes"]);
    expect(err.message).toMatch(/pulumi-nodejs:dynamic\/toy:File resource 'bad's property 'dir' value \{rel\} has a problem: expected an absolute/);
    expect(err.message).toMatch(/property 'limits\.maxBytes' value \{<nil>\} has a problem: content is longer than 1 bytes/);
    expect(engine.calls.map((c) => c.method)).toEqual(["check"]);
    expect(engine.state("bad")).toBeUndefined();
  });

  it("fails when create returns an empty id, as the engine does, and records no state", async () => {
    const dir = dirs.make();
    const engine = createEngine({ host, provider });
    await expect(engine.up("e", toyArgs(dir, { fault: "empty-id" }))).rejects.toThrow(
      new EngineError("plugin for package 'pulumi-nodejs' returned empty resource.ID from create 'urn:pulumi:test::toy::pulumi-nodejs:dynamic/toy:File::e'"),
    );
    expect(engine.state("e")).toBeUndefined();
  });

  it("drops a resource whose Read returns an empty id, so destroy sends no Delete", async () => {
    const dir = dirs.make();
    const engine = createEngine({ host, provider });
    await engine.up("g", toyArgs(dir));
    fs.rmSync(path.join(dir, "a.txt"));
    expect((await engine.refresh("g")).op).toBe("delete");
    expect(await engine.destroy("g")).toBe(false);
    expect(engine.calls.map((c) => c.method)).toEqual(["check", "create", "read"]);
  });
});

describe("engine preview", () => {
  it("sends unknown inputs to Check and Diff as the sentinel and changes nothing", async () => {
    const dir = dirs.make();
    const engine = createEngine({ host, provider });
    const before = (await engine.up("p", toyArgs(dir))).state;
    const plan = await engine.preview("p", toyArgs(dir, { content: UNKNOWN }));
    expect(plan.op).toBe("update");
    const [check, diff] = engine.calls.slice(-2);
    expect(check!.method).toBe("check");
    expect(check!.request.news).toMatchObject({ content: UNKNOWN });
    expect(diff!.method).toBe("diff");
    expect(diff!.request.news).toMatchObject({ content: UNKNOWN });
    expect(engine.state("p")).toEqual(before);
    expect((await engine.preview("p", toyArgs(dir, { name: UNKNOWN }))).op).toBe("replace");
    expect((await engine.preview("new", toyArgs(UNKNOWN))).op).toBe("create");
    expect(fs.readdirSync(dir).sort()).toEqual(["a.txt", "journal.log"]);
    await engine.destroyAll();
  });

  it("fails when up() is given unknown inputs, which only a preview can have", async () => {
    const engine = createEngine({ host, provider });
    await expect(engine.up("u", toyArgs(UNKNOWN))).rejects.toThrow(/unknown inputs are only allowed in preview/);
  });
});
