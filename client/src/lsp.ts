/** Typed access to the server's custom messages declared in protocol.ts (params and results checked at compile time). */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { NotificationDef, RequestDef } from '../../server/src/protocol';

/** `token`: cancelling it tells the server to stop (the long corpus-wide requests check it between documents). */
export function sendRequest<P, R>(client: LanguageClient, def: RequestDef<P, R>, params: P, token?: vscode.CancellationToken): Promise<R> {
  return client.sendRequest<R>(def.method, params, token);
}

export function onNotification<P>(client: LanguageClient, def: NotificationDef<P>, handler: (params: P) => void): vscode.Disposable {
  return client.onNotification(def.method, handler);
}
