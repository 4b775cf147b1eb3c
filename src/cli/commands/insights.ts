import { Command } from "commander";
import type { Insight, InsightListQuery } from "../../client";
import { context, examples, parse } from "../context";
import { relative, type Output } from "../output";
import { collectPages } from "./jobs";

const printInsight = (out: Output, i: Insight) =>
  out.fields({ id: i.id, job: i.job_id, queue: i.queue, type: i.job_type, category: i.failure_category, action: i.suggested_action, confidence: i.confidence_score, reasoning: i.reasoning, source: i.source, occurrences: i.occurrences, error: i.error, lastSeen: i.last_seen_at });

export function insightsCommand(): Command {
  const insights = new Command("insights").description("why jobs failed and what to do (the built-in analyzer or Workers AI)");

  insights
    .command("list")
    .description("insights, newest first")
    .option("-q, --queue <name>", "only this queue")
    .option("-t, --type <type>", "only this job type")
    .option("-j, --job <id>", "only this job's insights")
    .option("--category <category>", "only this failure category")
    .option("--action <action>", "only this suggested action")
    .option("-n, --limit <n>", "insights per page", parse.int, 50)
    .option("-a, --all", "every page")
    .addHelpText("after", examples("edgeq insights list -q emails", "edgeq insights list --action fix_payload --json"))
    .action(async (o, command: Command) => {
      const { client, out } = context(command);
      const query = { queue: o.queue, type: o.type, job_id: o.job, category: o.category, action: o.action, limit: o.limit } as InsightListQuery;
      const { items: found, nextCursor } = await collectPages(client.insights.list(query), (p) => p.insights, o.all === true);
      out.result({ insights: found, nextCursor }, () =>
        out.table(
          ["ID", "JOB", "QUEUE", "CATEGORY", "ACTION", "CONFIDENCE", "SEEN", "LAST SEEN"],
          found.map((i) => [i.id, i.job_id, i.queue, i.failure_category, i.suggested_action, i.confidence_score, i.occurrences, relative(i.last_seen_at)]),
        ),
      );
    });

  insights
    .command("get")
    .description("one insight with its reasoning")
    .argument("<id>", "the insight's id")
    .action(async (id: string, _o, command: Command) => {
      const { client, out } = context(command);
      const insight = await client.insights.get(id);
      out.result(insight, () => printInsight(out, insight));
    });

  insights
    .command("analyze")
    .description("explain a job's newest failure now (needs a producer key)")
    .argument("<job-id>", "the failed job's id")
    .addHelpText("after", examples("edgeq insights analyze 0b6c…"))
    .action(async (jobId: string, _o, command: Command) => {
      const { client, out } = context(command);
      const insight = await client.insights.analyze(jobId);
      out.result(insight, () => printInsight(out, insight));
    });

  return insights;
}
