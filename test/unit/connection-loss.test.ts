import { isConnectionLoss } from '../../src/store/connection-loss';

describe('isConnectionLoss', () => {
  it.each([
    [{ code: '57P01', message: 'terminating connection due to administrator command' }],
    [{ code: '57P03', message: 'the database system is shutting down' }],
    [{ code: '08006', message: 'connection failure' }],
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }],
    [new Error('Connection terminated unexpectedly')],
    [new Error('timeout exceeded when trying to connect')],
    // as Prisma reports them: the driver's error inside its adapter's, inside its own
    [{ code: 'P2010', message: 'Raw query failed.', meta: { driverAdapterError: { cause: { kind: 'postgres', code: '57P01' } } } }],
    [{ code: 'P2028', message: 'Transaction API error', cause: { kind: 'DatabaseNotReachable', host: '127.0.0.1' } }],
  ])('treats %p as a lost connection', (error) => {
    expect(isConnectionLoss(error)).toBe(true);
  });

  it.each([
    [new TypeError("Cannot read properties of undefined (reading 'id')")],
    [{ code: '23505', message: 'duplicate key value violates unique constraint' }],
    [{ code: '57014', message: 'canceling statement due to statement timeout' }],
    [{ code: 'P2010', message: 'Raw query failed.', meta: { driverAdapterError: { cause: { kind: 'postgres', code: '23505' } } } }],
    ['Connection terminated'],
    [undefined],
  ])('does not excuse %p', (error) => {
    expect(isConnectionLoss(error)).toBe(false);
  });
});
