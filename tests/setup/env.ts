import { resetConfigForTests } from "@/lib/config/env";

// Every test process uses its own in-memory PGlite unless TEST_DATABASE_URL names a real server.
process.env.DATABASE_URL = process.env.TEST_DATABASE_URL ?? "";
if (!process.env.DATABASE_URL) delete process.env.DATABASE_URL;
process.env.PGLITE_DATA_DIR ??= "memory://";
process.env.DATA_DIR ??= "/tmp/stepauth-test-data";
process.env.AUTH_SECRET ??= "test-auth-secret-0123456789abcdef0123456789abcdef";
process.env.APP_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
// Stub authorizers and services listen on 127.0.0.1 over plain http.
process.env.ALLOW_PRIVATE_NETWORK_URLS ??= "true";
process.env.GATEWAY_WORKER = "false";

// The app reads its configuration once (lib/config/env.ts). Tests change variables between cases
// (`process.env.CRON_SECRET = …`, `delete process.env.TRUSTED_PROXY_HOPS`): every such change makes
// the next config() read the environment again, as resetConfigForTests() would.
const environment = process.env;
process.env = new Proxy(environment, {
  set(target, name, value) {
    const done = Reflect.set(target, name, value);
    resetConfigForTests();
    return done;
  },
  deleteProperty(target, name) {
    const done = Reflect.deleteProperty(target, name);
    resetConfigForTests();
    return done;
  },
});
resetConfigForTests();
