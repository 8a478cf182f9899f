-- CreateTable
CREATE TABLE "interview_event" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "interview_id" TEXT NOT NULL,
    "spec_id" UUID NOT NULL,
    "sequence" INTEGER NOT NULL,
    "body_hash" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "applied_at" TIMESTAMPTZ(3),

    CONSTRAINT "interview_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "interview" (
    "id" TEXT NOT NULL,
    "spec_id" UUID NOT NULL,
    "spec_version" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "last_sequence" INTEGER NOT NULL,
    "candidate_id" TEXT,
    "candidate_name" TEXT,
    "candidate_email" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "abandoned_at" TIMESTAMPTZ(3),
    "overall_milli" INTEGER,
    "rescored" BOOLEAN NOT NULL DEFAULT false,
    "report_url" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "interview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "interview_score" (
    "interview_id" TEXT NOT NULL,
    "competency_id" TEXT NOT NULL,
    "score_tenths" INTEGER NOT NULL,
    "rationale" TEXT,

    CONSTRAINT "interview_score_pkey" PRIMARY KEY ("interview_id","competency_id")
);

-- CreateTable
CREATE TABLE "subscription" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "platform" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "private" BOOLEAN NOT NULL DEFAULT false,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paused_at" TIMESTAMPTZ(3),
    "paused_reason" TEXT,

    CONSTRAINT "subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "subscription_id" UUID,
    "platform" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "content_version" INTEGER NOT NULL DEFAULT 1,
    "rendered_version" INTEGER NOT NULL DEFAULT 0,
    "attempted_at" TIMESTAMPTZ(3),
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "message_id" TEXT,
    "posted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "interview_event_spec_id_status_idx" ON "interview_event"("spec_id", "status");

-- CreateIndex
CREATE INDEX "interview_event_interview_id_sequence_idx" ON "interview_event"("interview_id", "sequence");

-- CreateIndex
CREATE INDEX "interview_spec_id_started_at_idx" ON "interview"("spec_id", "started_at");

-- CreateIndex
CREATE INDEX "interview_spec_id_completed_at_idx" ON "interview"("spec_id", "completed_at");

-- CreateIndex
CREATE INDEX "subscription_organization_id_scope_idx" ON "subscription"("organization_id", "scope");

-- CreateIndex
CREATE UNIQUE INDEX "subscription_platform_channel_id_scope_key" ON "subscription"("platform", "channel_id", "scope");

-- CreateIndex
CREATE INDEX "delivery_status_next_attempt_at_idx" ON "delivery"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "delivery_subject_id_idx" ON "delivery"("subject_id");

-- CreateIndex
CREATE UNIQUE INDEX "delivery_kind_subject_id_channel_id_key" ON "delivery"("kind", "subject_id", "channel_id");

-- AddForeignKey
ALTER TABLE "interview" ADD CONSTRAINT "interview_spec_id_fkey" FOREIGN KEY ("spec_id") REFERENCES "spec"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "interview_score" ADD CONSTRAINT "interview_score_interview_id_fkey" FOREIGN KEY ("interview_id") REFERENCES "interview"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subscription" ADD CONSTRAINT "subscription_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery" ADD CONSTRAINT "delivery_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "subscription"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-written: the states each row may be in (the services' state machines), enforced by the database.
ALTER TABLE "interview_event" ADD CONSTRAINT "interview_event_status_known"
  CHECK ("status" IN ('applied', 'stale', 'parked', 'rejected'));
ALTER TABLE "interview" ADD CONSTRAINT "interview_status_known"
  CHECK ("status" IN ('started', 'completed', 'abandoned'));
ALTER TABLE "interview" ADD CONSTRAINT "interview_overall_in_range"
  CHECK ("overall_milli" IS NULL OR "overall_milli" BETWEEN 0 AND 100000);
ALTER TABLE "interview_score" ADD CONSTRAINT "interview_score_in_range"
  CHECK ("score_tenths" BETWEEN 0 AND 1000);
ALTER TABLE "delivery" ADD CONSTRAINT "delivery_status_known"
  CHECK ("status" IN ('pending', 'sent', 'failed', 'paused'));
ALTER TABLE "delivery" ADD CONSTRAINT "delivery_rendered_not_ahead"
  CHECK ("rendered_version" <= "content_version");
ALTER TABLE "subscription" ADD CONSTRAINT "subscription_platform_known"
  CHECK ("platform" IN ('slack', 'teams'));
