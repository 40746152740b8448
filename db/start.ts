import { writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { dataDir } from "@/lib/config/data-dir";
import { createDatabase } from "./client";
import { runMigrations } from "./migrate";
import { seedDemoTenant } from "./seed";
import { config } from "@/lib/config/env";

// Runs before `next dev` / `next start`: migrate, seed the demo tenant on an empty database, print
// the login once. It closes its connection so the embedded database is free for the server.
const handle = createDatabase();
try {
  await runMigrations(handle);
  console.log(
    `database ready (${handle.driver}${handle.driver === "pglite" ? `, ${path.relative(process.cwd(), dataDir())}/pglite` : ""})`,
  );
  if (config().SEED_DEMO) {
    const demo = await seedDemoTenant(handle.db);
    if (demo) {
      const port = config().PORT;
      const file = path.join(dataDir(), "demo.json");
      mkdirSync(dataDir(), { recursive: true, mode: 0o700 });
      writeFileSync(file, JSON.stringify({ ...demo, consoleUrl: `http://localhost:${port}/login` }, null, 2) + "\n", {
        mode: 0o600,
      });
      console.log(
        [
          "",
          '  Demo tenant "Acme" created. This is shown once (also saved to ' +
            path.relative(process.cwd(), file) +
            "):",
          `    console:  http://localhost:${port}/login`,
          `    email:    ${demo.email}`,
          `    password: ${demo.password}`,
          `    API key:  ${demo.apiKey}`,
          "",
        ].join("\n"),
      );
    }
  }
} finally {
  await handle.close();
}
