// Runs the extension's test suite (dist/test/suite.js) in the real VS Code extension host:
// code-server's VS Code server (Code 1.139) on 127.0.0.1, its web workbench opened in headless
// Chromium through playwright-core, with the extensionDevelopmentPath / extensionTestsPath
// payload. The workbench reports the suite's result through `codeAutomationExit`; this script
// exits with it. Offline: nothing but 127.0.0.1 is contacted.
//
//   node run.mjs --tally /abs/tally --workspace /abs/corpus --extension /abs/editors/vscode \
//                [--shots /abs/dir] [--chromium /usr/bin/chromium] [--timeout 300]

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}
const need = (k) => {
  if (!args[k]) {
    console.error(`usage: node run.mjs --tally TALLY --workspace DIR --extension DIR [--shots DIR]`);
    process.exit(2);
  }
  return path.resolve(args[k]);
};
const tally = need('tally');
const workspace = need('workspace');
const extension = need('extension');
const tests = path.join(extension, 'dist', 'test', 'suite.js');
const shots = args.shots ? path.resolve(args.shots) : undefined;
const executablePath = args.chromium ?? '/usr/bin/chromium';
const timeoutMs = Number(args.timeout ?? 300) * 1000;
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

const serverMain = path.join(here, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
if (!fs.existsSync(serverMain)) {
  console.error(`error: ${serverMain} is missing: run \`npm ci\` in ${here} (with Node 24)`);
  process.exit(2);
}
if (!fs.existsSync(tests)) {
  console.error(`error: ${tests} is missing: run \`npm run build\` in ${extension}`);
  process.exit(2);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-vscode-'));
const log = path.join(tmp, 'suite.log');
if (shots) {
  fs.mkdirSync(shots, { recursive: true });
  for (const f of fs.readdirSync(shots)) {
    if (/\.(png|request)$/.test(f)) {
      fs.rmSync(path.join(shots, f));
    }
  }
}
// User settings for the server's user data: quiet, no network, no trust prompt.
const userDir = path.join(tmp, 'user-data');
fs.mkdirSync(path.join(userDir, 'User'), { recursive: true });
fs.mkdirSync(path.join(userDir, 'Machine'), { recursive: true });
const settings = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
};
fs.writeFileSync(path.join(userDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
// `tally.path` is a machine setting: the remote extension host reads it from the server's side.
// (PATH alone would not do: the extension host takes PATH from a login shell.)
const machine = { ...settings, 'tally.path': tally };
fs.writeFileSync(path.join(userDir, 'Machine', 'settings.json'), JSON.stringify(machine, null, 2));

const env = {
  ...process.env,
  // No extension gallery: nothing may be fetched from outside.
  EXTENSIONS_GALLERY: '{}',
  TALLY_TEST_LOG: log,
  ...(shots ? { TALLY_SHOTS_DIR: shots } : {}),
  VSCODE_AGENT_FOLDER: path.join(tmp, 'agent'),
};
const server = spawn(process.execPath, [
  serverMain,
  '--host', '127.0.0.1',
  '--port', '0',
  '--without-connection-token',
  '--accept-server-license-terms',
  '--enable-smoke-test-driver',
  '--disable-telemetry',
  '--disable-workspace-trust',
  '--user-data-dir', userDir,
  '--server-data-dir', path.join(tmp, 'server-data'),
  '--extensions-dir', path.join(tmp, 'extensions'),
  '--log', 'warn',
], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });

let browser;
let finished = false;
async function finish(code, why) {
  if (finished) {
    return;
  }
  finished = true;
  if (fs.existsSync(log)) {
    process.stdout.write(`--- suite output ---\n${fs.readFileSync(log, 'utf8')}--------------------\n`);
  }
  console.log(`${why} (${elapsed()}): exit ${code}`);
  try {
    await browser?.close();
  } catch {
    // gone already
  }
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // gone already
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGINT', () => finish(130, 'interrupted'));
process.on('SIGTERM', () => finish(143, 'terminated'));
setTimeout(() => finish(1, `timed out after ${timeoutMs / 1000}s`), timeoutMs).unref();

const serverOut = [];
server.stderr.on('data', (d) => serverOut.push(String(d)));
server.on('exit', (code) => finish(1, `the VS Code server exited early with ${code}:\n${serverOut.join('')}`));

const endpoint = await new Promise((resolve) => {
  let buf = '';
  server.stdout.on('data', (d) => {
    buf += String(d);
    serverOut.push(String(d));
    const m = /(?:Web UI available at|Server bound to|Extension host agent listening on)\s+(\S+)/.exec(buf);
    if (m) {
      const port = /:(\d+)\/?/.exec(m[1])?.[1] ?? m[1];
      resolve(`http://127.0.0.1:${port}/`);
    }
  });
});
console.log(`VS Code server at ${endpoint} (${elapsed()})`);

browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
// Offline: only the local server may be reached.
await page.route('**/*', (route) => {
  const u = new URL(route.request().url());
  return u.hostname === '127.0.0.1' || u.protocol === 'data:' || u.protocol === 'blob:'
    ? route.continue()
    : route.abort();
});
page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
page.on('console', (m) => {
  const t = m.text();
  if (/^(ok   - |FAIL - |vscode: \d+ passed)/.test(t) || m.type() === 'error' && /tally|extension host/i.test(t)) {
    console.log(`[workbench] ${t}`);
  }
});
await page.exposeFunction('codeAutomationLog', (type, a) => {
  const line = (a ?? []).map(String).join(' ');
  // The web workbench has no service worker when served this way: harmless, and not ours.
  if (!/Service Worker/.test(line)) {
    console.log(`[host ${type}] ${line}`);
  }
});
await page.exposeFunction('codeAutomationExit', (code) => finish(code, 'the extension test suite finished'));

// Screenshots on request of the suite (it writes NAME.request and waits for NAME.png).
if (shots) {
  const poll = setInterval(async () => {
    for (const f of fs.readdirSync(shots)) {
      if (!f.endsWith('.request')) {
        continue;
      }
      const name = f.slice(0, -'.request'.length);
      fs.rmSync(path.join(shots, f));
      try {
        await page.screenshot({ path: path.join(shots, `${name}.png`) });
        console.log(`screenshot: ${path.join(shots, `${name}.png`)}`);
      } catch (e) {
        console.error(`screenshot ${name} failed: ${e}`);
      }
    }
  }, 200);
  poll.unref();
}

const remote = (p) => `vscode-remote://${new URL(endpoint).host}${p}`;
const payload = JSON.stringify([
  ['extensionDevelopmentPath', remote(extension)],
  ['extensionTestsPath', remote(tests)],
  ['skipWelcome', 'true'],
]);
const url = `${endpoint}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;
console.log(`opening the workbench (${elapsed()})`);
await page.goto(url);
