// Runs every benchmark suite; `npm run bench`.
import { runStepauthBenchmarks } from "./stepauth.bench";

await runStepauthBenchmarks();
