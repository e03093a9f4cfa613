import { listMirrors } from "@/server/read/list-mirrors";
import { handleApiOptions, handleApiRequest, NoQuery } from "../_lib/handle-api-request";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return handleApiRequest(request, NoQuery, ({ now }) => listMirrors({ now }));
}

export const OPTIONS = handleApiOptions;
