import { useQuery } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { ApiError, get } from "../api";
import { DataTable } from "../components/DataTable";
import { Empty, Loaded } from "../components/states";
import { formatCount, formatTime } from "../format";
import type { Tenant } from "../types";

/** "1,204 of 5,000", or the bare count when there is no limit. */
const against = (used: number, limit: number | undefined) => (limit === undefined ? formatCount(used) : `${formatCount(used)} of ${formatCount(limit)}`);

const tc = createColumnHelper<Tenant>();
const columns = [
  tc.accessor("id", { header: "Tenant", cell: (c) => <span title={c.row.original.name}>{c.getValue()}</span> }),
  tc.accessor("name", { header: "Name" }),
  tc.accessor((t) => t.usage.submittedToday, { id: "today", header: "Submitted today", cell: (c) => against(c.getValue(), c.row.original.quotas.jobsPerDay) }),
  tc.accessor((t) => t.usage.storedJobs, { id: "stored", header: "Stored jobs", cell: (c) => against(c.getValue(), c.row.original.quotas.storedJobs) }),
  tc.accessor((t) => t.usage.queues, { id: "queues", header: "Queues", cell: (c) => against(c.getValue(), c.row.original.quotas.queues) }),
  tc.accessor((t) => t.quotas.requestsPerSecond, { id: "rps", header: "Requests/s", cell: (c) => (c.getValue() === undefined ? "no limit" : formatCount(c.getValue()!)) }),
  tc.accessor("createdAt", { header: "Since", cell: (c) => formatTime(c.getValue()) }),
];

/** Tenants with their use against their quotas; a tenant's own key is told it sees only its own data. */
export default function Tenants() {
  const tenants = useQuery({ queryKey: ["tenants"], queryFn: () => get<{ tenants: Tenant[] }>("/api/v1/tenants"), retry: (n, e) => !(e instanceof ApiError && e.status === 403) && n < 2 });
  const ownKey = tenants.error instanceof ApiError && tenants.error.status === 403;
  return (
    <>
      <h1>Tenants</h1>
      {ownKey ? (
        <Empty>This key belongs to a tenant: every page shows that tenant's queues and jobs only. Tenants and their quotas are managed with a platform key.</Empty>
      ) : (
        <Loaded query={tenants}>
          {(t) =>
            t.tenants.length === 0 ? (
              <Empty>
                No tenants yet: this deployment serves one team. Make one with <code>edgeq tenants create &lt;id&gt;</code> and give it keys with{" "}
                <code>edgeq keys create &lt;name&gt; --tenant &lt;id&gt;</code> (see the README's Tenants section).
              </Empty>
            ) : (
              <DataTable data={t.tenants} columns={columns} caption="Tenants, their use and their quotas" rowId={(x) => x.id} />
            )
          }
        </Loaded>
      )}
    </>
  );
}
