import { createDatabase } from "../../db/client";
import { runMigrations } from "../../db/migrate";

/** With a real server, migrate it once before the files run; PGlite test databases migrate per file. */
export default async function setup(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL) return;
  const handle = createDatabase(process.env.TEST_DATABASE_URL);
  try {
    await runMigrations(handle);
  } finally {
    await handle.close();
  }
}
