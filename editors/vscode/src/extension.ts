// The tally extension for VS Code: starts `tally lsp` for Markdown and plain-text articles,
// shows the server's state (indexing, ready, missing) in the status bar, and adds commands to
// walk the claims of an event across the corpus.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  Location as LspLocation,
  ServerOptions,
  State,
  StaticFeature,
  WorkDoneProgress,
  WorkDoneProgressBegin,
  WorkDoneProgressCreateRequest,
  WorkDoneProgressEnd,
  WorkDoneProgressReport,
} from 'vscode-languageclient/node';

const LANGUAGES = ['markdown', 'plaintext'];
const INSTALL_HINT =
  'Install it with `cargo install --path .` in the tally repository (it goes to ~/.cargo/bin), ' +
  'or set `tally.path` to the binary.';

export type Status = 'starting' | 'indexing' | 'ready' | 'missing' | 'failed' | 'stopped';

/** What `activate` returns: used by the extension's own tests. */
export interface TallyApi {
  client(): LanguageClient | undefined;
  status(): { state: Status; text: string; tooltip: string };
  /** Resolves when the server has started (or failed to). */
  ready(): Promise<void>;
  /** Every indexing run's end message, in order (e.g. "5 articles indexed"). */
  indexed: string[];
}

let client: LanguageClient | undefined;
let starting: Promise<void> = Promise.resolve();
let statusItem: vscode.StatusBarItem;
let state: Status = 'stopped';
let output: vscode.LogOutputChannel;
const indexed: string[] = [];

export async function activate(context: vscode.ExtensionContext): Promise<TallyApi> {
  output = vscode.window.createOutputChannel('tally', { log: true });
  statusItem = vscode.window.createStatusBarItem('tally.status', vscode.StatusBarAlignment.Left, 0);
  statusItem.name = 'tally';
  statusItem.command = 'tally.statusMenu';
  context.subscriptions.push(output, statusItem);

  context.subscriptions.push(
    vscode.commands.registerCommand('tally.goToNextClaim', () => goToClaim(1)),
    vscode.commands.registerCommand('tally.goToPreviousClaim', () => goToClaim(-1)),
    vscode.commands.registerCommand('tally.showReadings', showReadings),
    vscode.commands.registerCommand('tally.restartServer', () => restart()),
    vscode.commands.registerCommand('tally.showOutput', () => (client?.outputChannel ?? output).show(true)),
    vscode.commands.registerCommand('tally.statusMenu', statusMenu),
    vscode.window.onDidChangeActiveTextEditor(updateStatusVisibility),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('tally.path')) {
        await restart();
      } else if (e.affectsConfiguration('tally.diagnostics') && client?.isRunning()) {
        await client.sendNotification(DidChangeConfigurationNotification.type, { settings: settings() });
      }
    }),
  );

  starting = start();
  return {
    client: () => client,
    status: () => ({
      state,
      text: statusItem.text,
      tooltip: typeof statusItem.tooltip === 'string' ? statusItem.tooltip : statusItem.tooltip?.value ?? '',
    }),
    ready: () => starting,
    indexed,
  };
}

export async function deactivate(): Promise<void> {
  await stop();
}

// ----- the server ---------------------------------------------------------------------------

/** `{tally: {diagnostics: {...}}}`: what the server reads as configuration. */
function settings(): { tally: { diagnostics: Record<string, string> } } {
  const diagnostics = vscode.workspace.getConfiguration('tally').get<Record<string, string>>('diagnostics') ?? {};
  return { tally: { diagnostics: { ...diagnostics } } };
}

/** The server binary `tally.path` names, or undefined when it cannot be found. */
export function resolveServer(configured: string): string | undefined {
  let p = configured.trim() || 'tally';
  if (p === '~' || p.startsWith('~/')) {
    p = path.join(os.homedir(), p.slice(1));
  }
  const executable = (f: string) => {
    try {
      fs.accessSync(f, fs.constants.X_OK);
      return fs.statSync(f).isFile();
    } catch {
      return false;
    }
  };
  const exts = process.platform === 'win32' ? ['', '.exe', '.cmd'] : [''];
  if (path.isAbsolute(p)) {
    return exts.map((e) => p + e).find(executable);
  }
  if (p.includes('/') || p.includes('\\')) {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const found = exts.map((e) => path.join(folder.uri.fsPath, p + e)).find(executable);
      if (found) {
        return found;
      }
    }
    return undefined;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const found = exts.map((e) => path.join(dir, p + e)).find(executable);
    if (found) {
      return found;
    }
  }
  // Where `cargo install` puts binaries, which a GUI session's PATH often lacks.
  const cargo = path.join(os.homedir(), '.cargo', 'bin', p);
  return executable(cargo) ? cargo : undefined;
}

/** Shows the server's indexing progress in the status item instead of a notification. */
class IndexingStatus implements StaticFeature {
  constructor(private readonly lc: LanguageClient) {}
  fillClientCapabilities(capabilities: { window?: { workDoneProgress?: boolean } }): void {
    capabilities.window = capabilities.window ?? {};
    capabilities.window.workDoneProgress = true;
  }
  getState() {
    return { kind: 'static' as const };
  }
  initialize(): void {
    // Registered after the built-in progress feature, so this handler replaces its one.
    this.lc.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      const sub = this.lc.onProgress(WorkDoneProgress.type, token, (value) => {
        const v = value as WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;
        if (v.kind === 'end') {
          sub.dispose();
          indexed.push(v.message ?? '');
          setStatus('ready', v.message);
        } else {
          const title = v.kind === 'begin' ? v.title : 'Indexing corpus';
          setStatus('indexing', `${title}: ${v.message ?? ''}`.trim());
        }
      });
    });
  }
  clear(): void {}
}

async function start(): Promise<void> {
  const configured = vscode.workspace.getConfiguration('tally').get<string>('path') ?? 'tally';
  const command = resolveServer(configured);
  if (!command) {
    setStatus('missing', `The tally language server \`${configured}\` was not found.`);
    void vscode.window
      .showWarningMessage(`tally: the language server \`${configured}\` was not found. ${INSTALL_HINT}`,
        'Open Settings', 'Retry')
      .then((choice) => {
        if (choice === 'Open Settings') {
          void vscode.commands.executeCommand('workbench.action.openSettings', 'tally.path');
        } else if (choice === 'Retry') {
          void restart();
        }
      });
    return;
  }
  setStatus('starting', `Starting ${command}`);
  const serverOptions: ServerOptions = {
    run: { command, args: ['lsp'] },
    debug: { command, args: ['lsp'] },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.map((language) => ({ scheme: 'file', language })),
    initializationOptions: settings(),
    outputChannel: output,
    middleware: {
      // A code lens runs `tally.nextClaim` through the client: follow its answer too.
      executeCommand: async (cmd, args, next) => {
        const result = await next(cmd, args);
        if (cmd === 'tally.nextClaim' || cmd === 'tally.previousClaim') {
          await reveal(result as LspLocation | null);
        }
        return result;
      },
    },
  };
  const lc = new LanguageClient('tally', 'tally', serverOptions, clientOptions);
  lc.registerFeature(new IndexingStatus(lc));
  lc.onDidChangeState(({ newState }) => {
    if (newState === State.Stopped && client === lc && state !== 'missing') {
      setStatus('stopped', 'The tally server stopped. Click to restart it.');
    }
  });
  client = lc;
  try {
    await lc.start();
    if (state === 'starting') {
      setStatus('ready', `${command} is running`);
    }
    void vscode.commands.executeCommand('setContext', 'tally.active', true);
  } catch (e) {
    setStatus('failed', `The tally server failed to start: ${e instanceof Error ? e.message : String(e)}`);
    output.appendLine(`tally: ${command} lsp failed to start: ${String(e)}`);
  }
}

async function stop(): Promise<void> {
  const lc = client;
  client = undefined;
  void vscode.commands.executeCommand('setContext', 'tally.active', false);
  if (lc) {
    try {
      await lc.stop(2000);
    } catch {
      // already stopped
    }
    await lc.dispose().catch(() => undefined);
  }
}

async function restart(): Promise<void> {
  await starting.catch(() => undefined);
  await stop();
  starting = start();
  await starting;
}

// ----- the status item ----------------------------------------------------------------------

function setStatus(s: Status, detail?: string): void {
  state = s;
  const texts: Record<Status, string> = {
    starting: '$(loading~spin) tally',
    indexing: '$(sync~spin) tally: indexing',
    ready: '$(check) tally',
    missing: '$(error) tally: server not found',
    failed: '$(error) tally',
    stopped: '$(debug-stop) tally',
  };
  statusItem.text = texts[s];
  if (s === 'indexing' && detail) {
    const m = /(\d+ of \d+)/.exec(detail);
    statusItem.text = `$(sync~spin) tally: indexing${m ? ' ' + m[1] : ''}`;
  }
  const md = new vscode.MarkdownString(`**tally** — ${detail ?? s}`);
  if (s === 'missing') {
    md.appendMarkdown(`\n\n${INSTALL_HINT}`);
  }
  statusItem.tooltip = md;
  statusItem.backgroundColor =
    s === 'missing' || s === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  updateStatusVisibility();
}

function updateStatusVisibility(): void {
  const lang = vscode.window.activeTextEditor?.document.languageId;
  if (state === 'missing' || state === 'failed' || state === 'indexing' || (lang && LANGUAGES.includes(lang))) {
    statusItem.show();
  } else {
    statusItem.hide();
  }
}

async function statusMenu(): Promise<void> {
  const items: (vscode.QuickPickItem & { run: () => unknown })[] = [
    { label: '$(refresh) Restart Server', run: () => restart() },
    { label: '$(output) Show Server Output', run: () => (client?.outputChannel ?? output).show(true) },
    { label: '$(gear) Open Settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'tally') },
  ];
  if (state === 'missing') {
    items.unshift({ label: '$(info) How to install tally', detail: INSTALL_HINT, run: () => undefined });
  }
  const pick = await vscode.window.showQuickPick(items, { title: `tally: ${state}` });
  await pick?.run();
}

// ----- commands -----------------------------------------------------------------------------

function activeArticle(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !LANGUAGES.includes(editor.document.languageId)) {
    void vscode.window.showInformationMessage('tally: open an article (Markdown or plain text) first.');
    return undefined;
  }
  if (!client?.isRunning()) {
    void vscode.window.showWarningMessage(`tally: the server is not running (${state}).`, 'Restart Server')
      .then((c) => c && restart());
    return undefined;
  }
  return editor;
}

/** Moves the cursor to the start of an LSP location; false when there is none. */
async function reveal(loc: LspLocation | null | undefined): Promise<boolean> {
  if (!loc || !client) {
    return false;
  }
  const l = client.protocol2CodeConverter.asLocation(loc);
  const doc = await vscode.workspace.openTextDocument(l.uri);
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  editor.selection = new vscode.Selection(l.range.start, l.range.start);
  editor.revealRange(l.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return true;
}

/** `tally.goToNextClaim` / `tally.goToPreviousClaim`: the server's `tally.nextClaim` / `tally.previousClaim`. */
async function goToClaim(step: 1 | -1): Promise<LspLocation | null> {
  const editor = activeArticle();
  if (!editor || !client) {
    return null;
  }
  const command = step > 0 ? 'tally.nextClaim' : 'tally.previousClaim';
  const position = client.code2ProtocolConverter.asPosition(editor.selection.active);
  const result = (await client.sendRequest(ExecuteCommandRequest.type, {
    command,
    arguments: [editor.document.uri.toString(), position],
  })) as LspLocation | null;
  if (!(await reveal(result))) {
    vscode.window.setStatusBarMessage('tally: no claim of an event under the cursor', 3000);
  }
  return result;
}

/** `tally.showReadings`: every reading of the event under the cursor, in the references panel. */
async function showReadings(): Promise<void> {
  const editor = activeArticle();
  if (!editor) {
    return;
  }
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes('references-view.findReferences')) {
    await vscode.commands.executeCommand('references-view.findReferences', editor.document.uri, editor.selection.active);
    return;
  }
  const locations = await vscode.commands.executeCommand<vscode.Location[]>(
    'vscode.executeReferenceProvider', editor.document.uri, editor.selection.active);
  if (!locations?.length) {
    vscode.window.setStatusBarMessage('tally: no claim of an event under the cursor', 3000);
    return;
  }
  await vscode.commands.executeCommand('editor.action.showReferences', editor.document.uri,
    editor.selection.active, locations);
}
