import { listAdvisoriesEndpoint } from "@/contract/endpoints";
import { listAdvisories } from "@/server/read/list-advisories";
import { serveEndpoint, serveOptions } from "../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

export const GET = serveEndpoint(listAdvisoriesEndpoint, ({ query, now }) => listAdvisories(query, { now }));

export const OPTIONS = serveOptions(listAdvisoriesEndpoint);
