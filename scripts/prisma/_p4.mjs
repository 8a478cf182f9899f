import { createMemoryDatabase } from '/work/main/scripts/prisma/pglite-adapter.mjs';
import { PGlite } from '@electric-sql/pglite';
let t = Date.now();
const a = await createMemoryDatabase(); console.log('pglite1', Date.now() - t); t = Date.now();
const tar = await a.dumpDataDir('none'); console.log('dump', Date.now() - t, tar.size); t = Date.now();
const b = await PGlite.create({ loadDataDir: tar }); console.log('load', Date.now() - t); t = Date.now();
console.log((await b.query('select 1 as x')).rows);
