import { AdvisoryListQuery } from "@/contract/advisory-dto";

export const RECENT_ADVISORIES_QUERY: AdvisoryListQuery = AdvisoryListQuery.parse({ pageSize: 20 });
