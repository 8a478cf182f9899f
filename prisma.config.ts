// Prisma CLI configuration. The app itself never reads this file: it builds its client from
// src/config.ts. DATABASE_URL is only needed by CLI commands that talk to a database.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/panelist' },
});
