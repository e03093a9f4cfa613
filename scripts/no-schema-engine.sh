#!/bin/sh
echo "srcwatch does not use Prisma's native schema engine: migrations run through prisma/migrate.ts (npm run migrate)." >&2
exit 1
