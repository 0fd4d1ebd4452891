import { messageJson, renderMessage } from '../../../src/cli/render/message.js';

describe('the Message table', () => {
  it('boxes a status message as ksqlDB’s CommandStatusTableBuilder', () => {
    // ksqlDB's ConsoleTest.testPrintCommandStatus, verbatim.
    expect(renderMessage('Success Message')).toBe(
      ' Message         \n' + '-----------------\n' + ' Success Message \n' + '-----------------\n',
    );
  });

  it('prints "Stream created" as a ksqlDB session shows it', () => {
    expect(renderMessage('Stream created')).toBe(' Message        \n----------------\n Stream created \n----------------\n');
  });

  it('shows the first line of the message only', () => {
    expect(renderMessage('Created query with ID CSAS_RATINGS_ENRICHED_3\nplan: ...')).toBe(
      ' Message                                       \n' +
        '-----------------------------------------------\n' +
        ' Created query with ID CSAS_RATINGS_ENRICHED_3 \n' +
        '-----------------------------------------------\n',
    );
  });

  it('has the shape of ksqlDB’s CommandStatusEntity', () => {
    expect(messageJson('Created query with ID CSAS_X_0', 'CSAS_X_0')).toEqual({
      '@type': 'currentStatus',
      commandStatus: { status: 'SUCCESS', message: 'Created query with ID CSAS_X_0', queryId: 'CSAS_X_0' },
    });
    expect(messageJson('Stream created', undefined)).toEqual({
      '@type': 'currentStatus',
      commandStatus: { status: 'SUCCESS', message: 'Stream created', queryId: null },
    });
  });
});
