// The extension's end-to-end suite. It runs inside the real VS Code extension host (started by
// test/host/run.mjs through code-server), with the example corpus open as the workspace and the
// real tally server. `run` throws when a check fails, which makes the host exit with 1.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TallyApi } from '../../src/extension';

const TIMEOUT = Number(process.env.TALLY_TEST_TIMEOUT ?? 30000);
const shotsDir = process.env.TALLY_SHOTS_DIR;

function log(line: string): void {
  console.log(line);
  if (process.env.TALLY_TEST_LOG) {
    fs.appendFileSync(process.env.TALLY_TEST_LOG, line + '\n');
  }
}

async function waitFor<T>(what: string, f: () => T | undefined | false | Promise<T | undefined | false>,
  timeout = TIMEOUT): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await f();
    if (v) {
      return v;
    }
    if (Date.now() > end) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Asks the runner outside (Playwright) for a screenshot, and waits for it. */
async function screenshot(name: string): Promise<void> {
  if (!shotsDir) {
    return;
  }
  const png = path.join(shotsDir, `${name}.png`);
  fs.writeFileSync(path.join(shotsDir, `${name}.request`), '');
  await waitFor(`screenshot ${name}`, () => fs.existsSync(png), 20000).catch((e) => log(`note: ${e}`));
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

export async function run(): Promise<void> {
  const tests: [string, () => Promise<void>][] = [];
  const test = (name: string, f: () => Promise<void>) => tests.push([name, f]);

  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(root, 'a workspace folder is open');
  const article = vscode.Uri.file(path.join(root, 'aleppo-notebook-2016-12-14-how-many.md'));
  const other = vscode.Uri.file(path.join(root, 'humanitarian-dispatch-2016-12-09-shelters.md'));
  let api: TallyApi;
  let claim: vscode.Position; // "[about 30,000]" in the article, line 9
  let otherClaim: vscode.Position; // "[some 250,000 people]" in the other article, line 9

  const cursorAt = (uri: vscode.Uri, pos: vscode.Position) => {
    const e = vscode.window.activeTextEditor;
    return !!e && e.document.uri.fsPath === uri.fsPath && e.selection.active.isEqual(pos);
  };
  const where = () => {
    const e = vscode.window.activeTextEditor;
    return e ? `${path.basename(e.document.uri.fsPath)}:${e.selection.active.line}:${e.selection.active.character}` : 'none';
  };

  test('the extension activates in a workspace with tally.toml', async () => {
    const ext = vscode.extensions.getExtension<TallyApi>('tally.tally');
    assert.ok(ext, 'the extension is installed');
    api = await waitFor('activation', async () => (ext.isActive ? ext.exports : await ext.activate()));
    await api.ready();
    log(`# status: ${api.status().state}: ${api.status().tooltip}`);
    assert.notEqual(api.status().state, 'missing', api.status().tooltip);
    assert.ok(api.client()?.isRunning(), 'the language client runs');
  });

  test('opening an article brings tally diagnostics', async () => {
    const doc = await vscode.workspace.openTextDocument(article);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'markdown');
    const line = doc.lineAt(8).text;
    claim = new vscode.Position(8, line.indexOf('[about 30,000]') + 1);
    const otherDoc = await vscode.workspace.openTextDocument(other);
    otherClaim = new vscode.Position(8, otherDoc.lineAt(8).text.indexOf('[some 250,000 people]') + 1);
    const diags = await waitFor('unsourced-figure and conflicting-figure', () => {
      const ds = vscode.languages.getDiagnostics(article).filter((d) => d.source === 'tally');
      const codes = new Set(ds.map(codeOf));
      return codes.has('unsourced-figure') && codes.has('conflicting-figure') ? ds : undefined;
    });
    const conflict = diags.find((d) => codeOf(d) === 'conflicting-figure' && d.range.start.line === 8);
    assert.ok(conflict, 'a conflict on line 9');
    assert.equal(conflict.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(conflict.message, /United Nations/);
    assert.ok(conflict.relatedInformation?.some((r) => r.location.uri.fsPath === other.fsPath),
      'the conflict points at the other article');
  });

  test('the status item shows the indexed corpus', async () => {
    await waitFor('the end of indexing', () => api.indexed.length > 0 && api.status().state === 'ready');
    assert.match(api.indexed[0], /articles indexed/);
    assert.match(api.status().text, /tally/);
  });

  test('hover on a claim shows every reading of its event', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', article, claim);
    const text = hoverText(hovers);
    assert.match(text, /east-aleppo-besieged/);
    assert.match(text, /United Nations/);
  });

  test('screenshot: the Problems panel and a hover', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    const editor = await vscode.window.showTextDocument(article, { preserveFocus: false });
    editor.selection = new vscode.Selection(claim, claim);
    editor.revealRange(new vscode.Range(claim, claim), vscode.TextEditorRevealType.InCenter);
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await new Promise((r) => setTimeout(r, 500));
    await vscode.commands.executeCommand('editor.action.showHover');
    await new Promise((r) => setTimeout(r, 1500));
    await screenshot('problems-and-hover');
  });

  test('next claim moves the cursor to the other article', async () => {
    const editor = await vscode.window.showTextDocument(article);
    editor.selection = new vscode.Selection(claim, claim);
    await vscode.commands.executeCommand('tally.goToNextClaim');
    await waitFor(`the cursor at the next claim (now ${where()})`, () => cursorAt(other, otherClaim));
  });

  test('previous claim moves it back (wrapping)', async () => {
    await vscode.commands.executeCommand('tally.goToPreviousClaim');
    await waitFor(`the cursor back at the first claim (now ${where()})`, () => cursorAt(article, claim));
  });

  test('a code lens counts the readings and its command jumps', async () => {
    const lenses = await waitFor('code lenses', async () => {
      const ls = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', article);
      return ls?.length ? ls : undefined;
    });
    const lens = lenses.find((l) => l.range.start.line === 8 && l.command?.command === 'tally.nextClaim');
    assert.ok(lens?.command, 'a lens on the claim');
    assert.match(lens.command.title, /2 readings · 1 conflict/);
    await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
    await waitFor(`the cursor at the next claim (now ${where()})`, () => cursorAt(other, otherClaim));
  });

  test('show readings opens the references', async () => {
    const editor = await vscode.window.showTextDocument(article);
    editor.selection = new vscode.Selection(claim, claim);
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', article, claim);
    const files = new Set(refs.map((r) => path.basename(r.uri.fsPath)));
    assert.ok(files.has(path.basename(article.fsPath)) && files.has(path.basename(other.fsPath)), [...files].join(', '));
    await vscode.commands.executeCommand('tally.showReadings');
  });

  test('a severity override in the settings reaches the server', async () => {
    const config = vscode.workspace.getConfiguration('tally');
    await config.update('diagnostics', { 'unsourced-figure': 'error' }, vscode.ConfigurationTarget.Global);
    await waitFor('unsourced-figure as an error', () =>
      vscode.languages.getDiagnostics(article).some((d) =>
        codeOf(d) === 'unsourced-figure' && d.severity === vscode.DiagnosticSeverity.Error));
    await config.update('diagnostics', { 'unsourced-figure': 'off' }, vscode.ConfigurationTarget.Global);
    await waitFor('unsourced-figure off', () =>
      !vscode.languages.getDiagnostics(article).some((d) => codeOf(d) === 'unsourced-figure'));
    await config.update('diagnostics', undefined, vscode.ConfigurationTarget.Global);
  });

  test('restart server brings the diagnostics back', async () => {
    await vscode.commands.executeCommand('tally.restartServer');
    assert.ok(api.client()?.isRunning(), 'running again');
    await waitFor('diagnostics after the restart', () =>
      vscode.languages.getDiagnostics(article).some((d) => codeOf(d) === 'conflicting-figure'));
  });

  let passed = 0;
  let failed = 0;
  for (const [name, f] of tests) {
    const t0 = Date.now();
    try {
      await f();
      passed++;
      log(`ok   - ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed++;
      log(`FAIL - ${name}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  }
  log(`vscode: ${passed} passed, ${failed} failed`);
  if (failed > 0) {
    throw new Error(`${failed} of ${tests.length} checks failed`);
  }
}
