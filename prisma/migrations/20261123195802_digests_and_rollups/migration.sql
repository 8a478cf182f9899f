-- CreateTable
CREATE TABLE "digest_schedule" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "platform" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "weekday" INTEGER NOT NULL,
    "minute_of_day" INTEGER NOT NULL,
    "time_zone" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "next_run_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "digest_schedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "digest" (
    "id" UUID NOT NULL,
    "schedule_id" UUID NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "period_end" TIMESTAMPTZ(3) NOT NULL,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "parts" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "digest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "interview_rollup" (
    "spec_id" UUID NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "shard" SMALLINT NOT NULL,
    "started" INTEGER NOT NULL DEFAULT 0,
    "completed" INTEGER NOT NULL DEFAULT 0,
    "abandoned" INTEGER NOT NULL DEFAULT 0,
    "score_sum_milli" BIGINT NOT NULL DEFAULT 0,
    "score_n" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "interview_rollup_pkey" PRIMARY KEY ("spec_id","bucket","shard")
);

-- CreateTable
CREATE TABLE "competency_rollup" (
    "spec_id" UUID NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "competency_id" TEXT NOT NULL,
    "shard" SMALLINT NOT NULL,
    "sum_tenths" BIGINT NOT NULL DEFAULT 0,
    "n" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "competency_rollup_pkey" PRIMARY KEY ("spec_id","bucket","competency_id","shard")
);

-- CreateIndex
CREATE INDEX "digest_schedule_enabled_next_run_at_idx" ON "digest_schedule"("enabled", "next_run_at");

-- CreateIndex
CREATE UNIQUE INDEX "digest_schedule_platform_channel_id_key" ON "digest_schedule"("platform", "channel_id");

-- CreateIndex
CREATE UNIQUE INDEX "digest_schedule_id_period_end_key" ON "digest"("schedule_id", "period_end");

-- CreateIndex
CREATE INDEX "interview_spec_id_overall_milli_idx" ON "interview"("spec_id", "overall_milli" DESC);

-- AddForeignKey
ALTER TABLE "digest" ADD CONSTRAINT "digest_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "digest_schedule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: schedule values the scheduler relies on.
ALTER TABLE "digest_schedule" ADD CONSTRAINT "digest_schedule_weekday_iso" CHECK ("weekday" BETWEEN 1 AND 7);
ALTER TABLE "digest_schedule" ADD CONSTRAINT "digest_schedule_quarter_hour"
  CHECK ("minute_of_day" BETWEEN 0 AND 1425 AND "minute_of_day" % 15 = 0);
ALTER TABLE "digest" ADD CONSTRAINT "digest_period_is_forward" CHECK ("period_start" < "period_end");
