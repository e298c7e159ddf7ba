import fs from 'node:fs';
import { z } from 'zod';
import { BAR_INTERVALS, SERIES_KINDS } from '@market/domain';
import { PROVIDER_NAMES } from '../providers/provider-registry';
import type { SeriesTarget } from '../ingest/ingest.service';

const jobSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, { error: 'must be lower-case letters, digits, . _ -' }),
    kind: z.enum(SERIES_KINDS),
    seriesId: z.string().min(1).max(64),
    name: z.string().optional(),
    provider: z.enum(PROVIDER_NAMES as [string, ...string[]], { error: `must be one of ${PROVIDER_NAMES.join(', ')}` }),
    symbol: z.string().min(1).max(64),
    interval: z.enum(BAR_INTERVALS as [string, ...string[]]),
    everySeconds: z.number().int().min(1).max(86_400),
    /** Where a job without a checkpoint starts: an ISO date, or the first day of the previous UTC month. */
    backfillFrom: z.union([z.literal('previous-month'), z.iso.date()]).default('previous-month'),
    /** Re-fetched before the checkpoint on every run, for sources that revise or publish late. */
    lookbackMinutes: z.number().int().min(0).max(525_600).default(0),
    meta: z.record(z.string(), z.string()).default({}),
  })
  .strict();

const jobsFileSchema = z.object({ jobs: z.array(jobSchema) }).strict();

export type JobDefinition = z.output<typeof jobSchema> & SeriesTarget;

/** Reads and validates the jobs file; a bad entry stops start-up naming the job and field. */
export function loadJobs(file: string): JobDefinition[] {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read jobs file ${file}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const parsed = jobsFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid jobs file ${file}:\n  - ${problems.join('\n  - ')}`);
  }
  const ids = parsed.data.jobs.map((job) => job.id);
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate !== undefined) throw new Error(`invalid jobs file ${file}: job id "${duplicate}" appears twice`);
  return parsed.data.jobs as JobDefinition[];
}

/** Where a job with no checkpoint starts. */
export function backfillStart(job: Pick<JobDefinition, 'backfillFrom'>, now: Date): Date {
  if (job.backfillFrom !== 'previous-month') return new Date(`${job.backfillFrom}T00:00:00.000Z`);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
}
