import { OrganizationService } from '../../src/services/organizations';
import { createDb, type Db } from '../../src/store/db';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * A first command arriving while the app seeds the demo spec (the fuzz drill does this) asks for
 * the default organization at the same moment as the seed: both must get the one row, neither an
 * error (Prisma's upsert reads, then inserts, so one of them loses the insert to the unique slug).
 */
let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, { max: 8 });
});
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

it('gives every concurrent first caller the same default organization', async () => {
  const services = Array.from({ length: 8 }, () => new OrganizationService(db));
  const ids = await Promise.all(services.map((service) => service.ensureDefault()));
  expect(new Set(ids).size).toBe(1);
  expect(await db.organization.count({ where: { slug: 'default' } })).toBe(1);
});
