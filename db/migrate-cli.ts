import { createDatabase } from "./client";
import { runMigrations } from "./migrate";

// `npm run db:migrate`: apply pending migrations to DATABASE_URL (or the embedded database).
const handle = createDatabase();
try {
  await runMigrations(handle);
  console.log(`migrations applied (${handle.driver})`);
} finally {
  await handle.close();
}
