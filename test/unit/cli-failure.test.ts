import { DatabaseError } from 'pg';
import { describeFailure, UsageError } from '../../src/cli/failure';
import { PanelistError } from '../../src/domain/errors';
import { Prisma } from '../../src/store/db';

/** Whatever a CLI command throws, the operator reads a sentence, never the driver's text. */
describe('describeFailure', () => {
  it('prints our own errors as written, usage errors with exit 2', () => {
    expect(describeFailure(new PanelistError('invalid_input', 'No delivery 1: …'))).toEqual({ message: 'No delivery 1: …', exitCode: 1 });
    expect(describeFailure(new UsageError('Unknown command "x".'))).toEqual({ message: 'Unknown command "x".', exitCode: 2 });
  });

  it("turns Prisma's and pg's errors into one sentence, keeping the detail for the log", () => {
    const expired = new Prisma.PrismaClientKnownRequestError('Transaction already closed: expired transaction', {
      code: 'P2028',
      clientVersion: '7.0.0',
    });
    const uuid = Object.assign(new DatabaseError('invalid input syntax for type uuid: "1"', 90, 'error'), { code: '22P02' });
    for (const error of [expired, uuid, new Error('wrapped', { cause: uuid })]) {
      const failure = describeFailure(error);
      expect(failure.exitCode).toBe(1);
      expect(failure.message).toBe(
        'panelist: the database answered an error. Run the command again with LOG_LEVEL=debug to see it in the log.',
      );
      expect(failure.detail).toBe(error);
    }
  });

  it('says the database cannot be reached when the connection is refused', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(describeFailure(refused).message).toContain('could not reach the database');
  });

  it('never prints the text of an error it does not know', () => {
    const failure = describeFailure(new TypeError("Cannot read properties of undefined (reading 'id')"));
    expect(failure.message).toBe('panelist: the command failed unexpectedly. Run it again with LOG_LEVEL=debug to see why in the log.');
  });
});
