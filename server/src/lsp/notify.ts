/**
 * User-visible messages as `window/showMessage` notifications. The request
 * form (`showMessageRequest`) rejects in clients that do not implement it,
 * and an unhandled rejection would end the server.
 */
import { MessageType, ShowMessageNotification, type Connection } from 'vscode-languageserver';

export function notify(connection: Connection, type: 'error' | 'warning' | 'info', message: string): void {
  const t = type === 'error' ? MessageType.Error : type === 'warning' ? MessageType.Warning : MessageType.Info;
  connection.sendNotification(ShowMessageNotification.type, { type: t, message }).catch(() => undefined);
}
