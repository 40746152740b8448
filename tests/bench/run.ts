// Runs every benchmark suite; `npm run bench`. Benchmarks print figures; they are not timed tests.
import { runGatewayHttpBenchmarks } from "./gateway-http.bench";
import { runStepauthBenchmarks } from "./stepauth.bench";

if (process.env.BENCH_ONLY !== "http") await runStepauthBenchmarks();
if (process.env.BENCH_ONLY !== "core") await runGatewayHttpBenchmarks();
process.exit(0);
