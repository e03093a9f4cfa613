import { getPackageHistoryEndpoint } from "@/contract/endpoints";
import { getPackageHistory } from "@/server/read/get-package-history";
import { serveEndpoint, serveOptions } from "../../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

export const GET = serveEndpoint(getPackageHistoryEndpoint, ({ params, now }) => getPackageHistory(params.name, { now }));

export const OPTIONS = serveOptions(getPackageHistoryEndpoint);
