// Shared by the Node.js end-to-end tests: the npm tools (from tests/tools), the lims.v1 protos
// loaded from proto/ alone, TAP-style steps, bearer-token calls, and a lims-server process on a
// temporary SQLite database and a port the kernel picks (--listen 127.0.0.1:0, read back from the
// server's log), so no other process can take the port between choosing and binding it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

// The npm packages live in tests/tools, not in an ancestor of this file: resolve from there.
const require = createRequire(path.join(root, 'tests', 'tools', 'package.json'));
export function requireTool(name) {
  try {
    return require(name);
  } catch (err) {
    console.error(`e2e: cannot load ${name} (${err.message}); run deploy/install-deps.sh --tests`);
    process.exit(1);
  }
}
export const grpc = requireTool('@grpc/grpc-js');
const protoLoader = requireTool('@grpc/proto-loader');

// snake_case field names as in the .proto files, enums as their names, 64-bit ints as strings,
// and unset fields filled with defaults (unset messages become null).
const loadOptions = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };
export function loadProtos(files, includeDir) {
  return grpc.loadPackageDefinition(
    protoLoader.loadSync(files, { ...loadOptions, includeDirs: [includeDir] }),
  );
}
const protoDir = path.join(root, 'proto');
export const lims = loadProtos(
  fs
    .readdirSync(path.join(protoDir, 'lims', 'v1'))
    .filter((f) => f.endsWith('.proto'))
    .map((f) => `lims/v1/${f}`),
  protoDir,
).lims.v1;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let passed = 0;
export const passedSteps = () => passed;
export async function step(name, fn) {
  try {
    const result = await fn();
    passed += 1;
    console.log(`ok ${passed} - ${name}`);
    return result;
  } catch (err) {
    console.log(`not ok ${passed + 1} - ${name}`);
    throw err;
  }
}

// `authorization: Bearer TOKEN`, as every LIMS call must carry.
export function bearer(token) {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

// A unary call as a promise, with the given metadata and a deadline.
export function callWith(metadata, client, method, request, deadlineMs = 10000) {
  return new Promise((resolve, reject) => {
    client[method](request, metadata, { deadline: Date.now() + deadlineMs }, (err, res) =>
      err ? reject(err) : resolve(res),
    );
  });
}

// The path of the server binary from argv, or the usage message and exit 2.
export function serverPathFromArgs(script) {
  const serverPath = process.argv[2];
  if (!serverPath || !fs.existsSync(serverPath)) {
    console.error(`usage: node ${script} PATH_TO_LIMS_SERVER`);
    process.exit(2);
  }
  return serverPath;
}

export class LimsServer {
  constructor(serverPath, dbPath, logPath) {
    Object.assign(this, { serverPath, dbPath, logPath, exit: null, child: null });
    this.adminTokenPath = `${dbPath}.admin-token`;
  }

  // Starts it and resolves to its address once it has said where it listens.
  async start() {
    const logFd = fs.openSync(this.logPath, 'w');
    // The flags say everything; the caller's LIMS_LISTEN / LIMS_DB must not leak in.
    const env = { ...process.env };
    delete env.LIMS_LISTEN;
    delete env.LIMS_DB;
    this.child = spawn(
      this.serverPath,
      ['--listen', '127.0.0.1:0', '--db', `sqlite:${this.dbPath}`],
      { stdio: ['ignore', logFd, logFd], env },
    );
    fs.closeSync(logFd);
    this.child.on('exit', (code, signal) => {
      this.exit = { code, signal };
    });
    const deadline = Date.now() + 20000;
    for (;;) {
      const port = /serving on .*\(port (\d+)\)/.exec(fs.readFileSync(this.logPath, 'utf8'))?.[1];
      if (port) return `127.0.0.1:${port}`;
      this.throwIfExited();
      if (Date.now() > deadline) throw new Error('lims-server did not say where it listens in 20 s');
      await sleep(50);
    }
  }

  throwIfExited() {
    if (this.exit) throw new Error(`lims-server exited early (${JSON.stringify(this.exit)})`);
  }

  // On first start the server writes the admin token and a newline to <db>.admin-token; the file
  // may be seen before the token is written, hence the wait for the newline.
  async adminToken() {
    const deadline = Date.now() + 20000;
    let text = '';
    while (!text.endsWith('\n')) {
      this.throwIfExited();
      if (Date.now() > deadline) throw new Error(`no admin token in ${this.adminTokenPath} in 20 s`);
      if (fs.existsSync(this.adminTokenPath)) text = fs.readFileSync(this.adminTokenPath, 'utf8');
      if (!text.endsWith('\n')) await sleep(100);
    }
    return text.trim();
  }

  // SIGTERM, then SIGKILL after 10 s (and an error); resolves to how it exited.
  async stop() {
    if (!this.child || this.exit) return this.exit;
    this.child.kill('SIGTERM');
    for (let i = 0; i < 100 && !this.exit; i += 1) await sleep(100);
    if (!this.exit) {
      this.child.kill('SIGKILL');
      for (let i = 0; i < 20 && !this.exit; i += 1) await sleep(100);
      throw new Error('lims-server did not stop within 10 s of SIGTERM');
    }
    return this.exit;
  }
}
