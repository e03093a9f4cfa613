import { listPackageGridEndpoint } from "@/contract/endpoints";
import { listPackageGrid } from "@/server/read/list-package-grid";
import { serveEndpoint, serveOptions } from "../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

export const GET = serveEndpoint(listPackageGridEndpoint, ({ query, now }) => listPackageGrid(query, { now }));

export const OPTIONS = serveOptions(listPackageGridEndpoint);
