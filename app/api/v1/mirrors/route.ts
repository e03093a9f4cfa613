import { listMirrorsEndpoint } from "@/contract/endpoints";
import { listMirrors } from "@/server/read/list-mirrors";
import { serveEndpoint, serveOptions } from "../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

export const GET = serveEndpoint(listMirrorsEndpoint, ({ now }) => listMirrors({ now }));

export const OPTIONS = serveOptions(listMirrorsEndpoint);
