import { z } from "zod";

// Pages run under a CSP without 'unsafe-eval' (proxy.ts): zod must not compile its parsers with `new Function`,
// nor probe whether it may, since the browser reports even the caught probe as a policy violation.
z.config({ jitless: true });
