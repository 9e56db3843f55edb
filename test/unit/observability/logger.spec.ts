import { expect } from 'chai';
import { redact, REDACTED } from '../../../src/adapters/observability/logger.js';
import { requestContext } from '../../../src/adapters/observability/request-context.js';
import { memoryLogger } from '../../support/logs.js';

describe('logger', () => {
  it('redacts secrets at any depth', () => {
    const out = redact({
      headers: { authorization: 'Bearer abc', Cookie: 'c' },
      body: { password: 'p', pin: '123456', nested: [{ refreshToken: 't' }], email: 'a@b.co' },
    }) as Record<string, Record<string, unknown>>;
    expect(out.headers).to.deep.equal({ authorization: REDACTED, Cookie: REDACTED });
    expect(out.body).to.deep.equal({
      password: REDACTED,
      pin: REDACTED,
      nested: [{ refreshToken: REDACTED }],
      email: 'a@b.co',
    });
  });

  it('writes JSON lines with the request id of the current request and without secrets', () => {
    const { logger, lines, raw } = memoryLogger();
    requestContext.run({ requestId: 'req-42', ip: null }, () =>
      logger.info('login', { password: 'hunter2-secret', jwtSecret: 'k', user: { apiKey: 'z' } }),
    );
    const [line] = lines();
    expect(line).to.include({ message: 'login', requestId: 'req-42', password: REDACTED, jwtSecret: REDACTED });
    expect(raw()).to.not.contain('hunter2-secret');
  });
});
