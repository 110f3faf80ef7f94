/** Command arguments are checked against the shapes protocol.ts declares: a wrong shape is a clear message, never a TypeError. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { COMMAND_ARGS, Command } from '../../server/src/protocol';
import { checkShape } from '../../server/src/protocolShapes';

describe('command argument shapes', () => {
  it('accepts the arguments quick fixes send', () => {
    const ok = checkShape(COMMAND_ARGS[Command.accept], { uri: 'file:///a.txt', start: 0, end: 5, text: 'إيران', kind: 'entity', label: 'LOC', source: 'tagger', confidence: 0.9 });
    assert.equal(ok.ok, true);
    assert.equal(checkShape(COMMAND_ARGS[Command.learn], undefined).ok, true, 'no argument');
    assert.equal(checkShape(COMMAND_ARGS[Command.undo], {}).ok, true);
  });

  it('names every wrong field: missing, wrong type, out of range, too long, unknown value', () => {
    const bad = checkShape(COMMAND_ARGS[Command.accept], { uri: 5, start: -1, end: 1.5, kind: 'person', label: 'X'.repeat(1001), confidence: 2 });
    assert.equal(bad.ok, false);
    const errors = (bad as { errors: string[] }).errors.join('\n');
    for (const field of ['.uri', '.start', '.end', '.text: required', '.kind', '.label', '.confidence']) assert.ok(errors.includes(field), `${field} in:\n${errors}`);
    assert.ok(!errors.includes('XXXXXXXXXX'), 'the message does not echo a huge value');
    const notObject = checkShape(COMMAND_ARGS[Command.annotateRange], 'hello');
    assert.match((notObject as { errors: string[] }).errors[0], /expected an object, got a string/);
    const range = checkShape(COMMAND_ARGS[Command.annotateRange], { uri: 'file:///a', label: 'LOC', range: { start: { line: 0 }, end: null } });
    assert.match((range as { errors: string[] }).errors.join(' '), /range\.start\.character: required.*range\.end: expected an object/);
  });

  it('bounds lists: a corpus batch of mentions', () => {
    const mention = { uri: 'file:///a', start: 0, end: 1, text: 'x' };
    assert.equal(checkShape(COMMAND_ARGS[Command.applyMentions], { action: 'accept', label: 'LOC', mentions: [mention] }).ok, true);
    assert.equal(checkShape(COMMAND_ARGS[Command.applyMentions], { action: 'delete', mentions: [] }).ok, false);
    assert.equal(checkShape(COMMAND_ARGS[Command.applyMentions], { action: 'accept', mentions: [{ ...mention, start: 'zero' }] }).ok, false);
  });

  it('declares a shape for every server command', () => {
    for (const c of Object.values(Command)) assert.ok(COMMAND_ARGS[c], c);
  });
});
