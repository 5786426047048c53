-- name: JobBacklog :many
-- Jobs that are due but not running, by state, and how long the oldest of
-- each state has waited: the job queue backlog behind /metrics
-- (river_jobs_backlog, river_jobs_oldest_due_seconds). Scheduled and
-- retryable jobs count only once their time has come: a due one still in
-- that state means no leader is moving them. Uses River's
-- (state, queue, priority, scheduled_at, id) index.
SELECT state::text AS state,
       count(*)::bigint AS jobs,
       coalesce(extract(epoch FROM max(now() - scheduled_at)), 0)::float8 AS oldest_seconds
FROM river_job
WHERE state IN ('available', 'retryable', 'scheduled')
  AND scheduled_at <= now()
GROUP BY state;
