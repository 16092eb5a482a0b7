#!/usr/bin/env node
/**
 * Generates clients of the stigmem.v1 Connect/gRPC contract for other
 * languages, into a folder of your choice:
 *
 *   node sdks/clients/generate-clients.mjs python OUT_DIR
 *   node sdks/clients/generate-clients.mjs go OUT_DIR --module example.com/you/stigmempb
 *
 * Python (grpcio): buf compiles proto/ to a descriptor set first and
 * grpc_tools' protoc only generates code from it, so any grpc_tools works —
 * also Debian's, whose bundled protoc predates proto3 `optional`. The first
 * Python that can import grpc_tools is used: $PYTHON, python3, /usr/bin/python3.
 *
 * Go (grpc-go and connect-go): buf with the local plugins protoc-gen-go,
 * protoc-gen-go-grpc and protoc-gen-connect-go on PATH, Go packages under
 * `--module`. Go plugins are not installed here, so this path is documented,
 * not tested.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const BUF = path.join(ROOT, "node_modules", ".bin", "buf");
const USAGE = "usage: generate-clients.mjs python OUT_DIR | go OUT_DIR --module GO_MODULE_PATH";

function fail(message) {
  console.error(message);
  process.exit(2);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", ...opts });
  if (r.error) fail(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${path.basename(cmd)} failed:\n${r.stderr || r.stdout}`);
  return r;
}

/** The contract's own files, as protoc names them (the imports come with the descriptor set). */
function contractFiles() {
  return readdirSync(path.join(ROOT, "proto", "stigmem", "v1"))
    .filter((f) => f.endsWith(".proto"))
    .map((f) => `stigmem/v1/${f}`);
}

function python(out) {
  const candidates = [process.env.PYTHON, "python3", "/usr/bin/python3"].filter(Boolean);
  const py = candidates.find((p) => spawnSync(p, ["-c", "import grpc_tools"]).status === 0);
  if (py === undefined) fail("no Python with grpc_tools found (pip install grpcio-tools, or apt install python3-grpc-tools)");
  const tmp = mkdtempSync(path.join(os.tmpdir(), "stigmem-clients-"));
  try {
    const descriptors = path.join(tmp, "stigmem.binpb");
    run(BUF, ["build", "-o", descriptors]);
    mkdirSync(out, { recursive: true });
    // protoc.main directly: `python -m grpc_tools.protoc` adds an -I, which protoc refuses beside --descriptor_set_in.
    const protoc = "import sys; from grpc_tools import protoc; sys.exit(protoc.main(['protoc'] + sys.argv[1:]))";
    run(py, ["-c", protoc, `--descriptor_set_in=${descriptors}`, `--python_out=${out}`, `--grpc_python_out=${out}`, ...contractFiles()]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`Python stubs in ${out}/stigmem/v1 — put ${out} on PYTHONPATH and \`from stigmem.v1 import node_pb2, node_pb2_grpc\``);
}

function go(out, module) {
  if (!module) fail(`go needs --module, the Go import path of OUT_DIR\n${USAGE}`);
  const template = {
    version: "v2",
    managed: {
      enabled: true,
      override: [
        { file_option: "go_package_prefix", value: module },
        { file_option: "go_package", path: "google/rpc/error_details.proto", value: "google.golang.org/genproto/googleapis/rpc/errdetails" },
      ],
    },
    plugins: [
      { local: "protoc-gen-go", out: ".", opt: ["paths=source_relative"] },
      { local: "protoc-gen-go-grpc", out: ".", opt: ["paths=source_relative"] },
      { local: "protoc-gen-connect-go", out: ".", opt: ["paths=source_relative"] },
    ],
  };
  mkdirSync(out, { recursive: true });
  run(BUF, ["generate", "--template", JSON.stringify(template), "--path", "proto/stigmem", "-o", out]);
  console.log(`Go packages in ${out}/stigmem/v1 (import "${module}/stigmem/v1", connect-go clients in .../stigmemv1connect)`);
}

const [lang, out, ...rest] = process.argv.slice(2);
if (out === undefined) fail(USAGE);
const target = path.resolve(out);
const flag = rest.indexOf("--module");
if (lang === "python") python(target);
else if (lang === "go") go(target, flag < 0 ? undefined : rest[flag + 1]);
else fail(USAGE);
