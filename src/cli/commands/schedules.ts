import { Command } from "commander";
import type { Schedule, ScheduleUpdate } from "../../client";
import { context, examples, parse } from "../context";
import { relative, type Output } from "../output";

const table = (out: Output, list: Schedule[]) =>
  out.table(
    ["ID", "NAME", "CRON", "ZONE", "ENABLED", "NEXT", "LAST JOB"],
    list.map((s) => [s.id, s.name, s.cron, s.timezone, s.enabled ? "yes" : "no", relative(s.nextRunAt), s.lastJob ? `${s.lastJob.id} ${s.lastJob.state ?? ""}` : null]),
  );

const timing = (c: Command) =>
  c
    .option("--timezone <zone>", "IANA zone the expression is read in (default UTC)")
    .option("--misfire <policy>", "skip, run_once or run_all")
    .option("--overlap <policy>", "allow or skip")
    .option("--start-at <time>", "no fire before this ISO 8601 time");

const policies = (o: Record<string, string | undefined>) => ({ timezone: o.timezone, misfirePolicy: o.misfire, overlapPolicy: o.overlap, startAt: o.startAt }) as Pick<ScheduleUpdate, "timezone" | "misfirePolicy" | "overlapPolicy" | "startAt">;

export function schedulesCommand(): Command {
  const schedules = new Command("schedules").description("recurring jobs from cron expressions");

  schedules
    .command("list")
    .description("every schedule")
    .action(async (_o, command: Command) => {
      const { client, out } = context(command);
      const list = await client.schedules.list();
      out.result(list, () => table(out, list));
    });

  schedules
    .command("get")
    .description("a schedule")
    .argument("<id>", "the schedule's id")
    .action(async (id: string, _o, command: Command) => {
      const { client, out } = context(command);
      const s = await client.schedules.get(id);
      out.result(s, () => out.fields({ ...s, job: s.job }));
    });

  timing(
    schedules
      .command("create")
      .description("create a schedule")
      .argument("<name>", "a unique name")
      .argument("<cron>", 'a cron expression: 5 fields, or 6 with seconds first ("*/10 * * * * *")')
      .argument("<type>", "the job type each fire submits")
      .option("-q, --queue <name>", "the job's queue")
      .option("-p, --payload <json>", "the job's payload", parse.json),
  )
    .addHelpText("after", examples(`edgeq schedules create morning-report "0 9 * * MON-FRI" report --timezone Europe/Berlin -q reports`))
    .action(async (name: string, cron: string, type: string, o, command: Command) => {
      const { client, out } = context(command);
      const s = await client.schedules.create({ name, cron, job: { type, queue: o.queue, payload: o.payload }, ...policies(o) });
      out.result(s, () => out.line(`created ${s.id} (${s.name}); next fire ${s.nextRunAt ?? "-"}`));
    });

  timing(
    schedules
      .command("update")
      .description("change a schedule (a new timing counts from now)")
      .argument("<id>", "the schedule's id")
      .option("--cron <expr>", "a new cron expression")
      .option("--name <name>", "a new name"),
  )
    .addHelpText("after", examples(`edgeq schedules update 4a1f… --cron "0 8 * * *"`))
    .action(async (id: string, o, command: Command) => {
      const { client, out } = context(command);
      const patch = Object.fromEntries(Object.entries({ cron: o.cron, name: o.name, ...policies(o) }).filter(([, v]) => v !== undefined)) as ScheduleUpdate;
      const s = await client.schedules.update(id, patch);
      out.result(s, () => out.line(`updated ${s.id}; next fire ${s.nextRunAt ?? "-"}`));
    });

  schedules
    .command("next")
    .description("the next fire times")
    .argument("<id>", "the schedule's id")
    .option("-n, --count <n>", "how many", parse.int, 5)
    .action(async (id: string, o, command: Command) => {
      const { client, out } = context(command);
      const preview = await client.schedules.next(id, o.count);
      out.result(preview, () => out.table(["UTC", "LOCAL"], preview.next.map((f) => [f.at, f.local])));
    });

  schedules
    .command("trigger")
    .description("run the schedule's job now")
    .argument("<id>", "the schedule's id")
    .action(async (id: string, _o, command: Command) => {
      const { client, out } = context(command);
      const fired = await client.schedules.trigger(id);
      out.result(fired, () => out.line(`submitted ${fired.job.id}`));
    });

  for (const action of ["pause", "resume", "delete"] as const) {
    schedules
      .command(action)
      .description(`${action} a schedule`)
      .argument("<id>", "the schedule's id")
      .addHelpText("after", examples(`edgeq schedules ${action} 4a1f…`))
      .action(async (id: string, _o, command: Command) => {
        const { client, out } = context(command);
        const result = await client.schedules[action](id);
        out.result(result, () => out.line(`${action === "delete" ? "deleted" : action === "pause" ? "paused" : "resumed"} ${id}`));
      });
  }

  return schedules;
}
