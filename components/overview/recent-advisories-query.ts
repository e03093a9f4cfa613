import { AdvisoryListQuery } from "@/server/read/dto";

export const RECENT_ADVISORIES_QUERY: AdvisoryListQuery = AdvisoryListQuery.parse({ pageSize: 20 });
