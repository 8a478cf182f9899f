-- CreateTable
CREATE TABLE "organization" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slack_workspace" (
    "team_id" TEXT NOT NULL,
    "organization_id" UUID NOT NULL,
    "name" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slack_workspace_pkey" PRIMARY KEY ("team_id")
);

-- CreateTable
CREATE TABLE "slack_installation" (
    "installation_key" TEXT NOT NULL,
    "team_id" TEXT,
    "enterprise_id" TEXT,
    "bot_user_id" TEXT,
    "encrypted" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slack_installation_pkey" PRIMARY KEY ("installation_key")
);

-- CreateTable
CREATE TABLE "spec" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "current_version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "spec_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "spec_version" (
    "id" UUID NOT NULL,
    "spec_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "level" TEXT,
    "external_version" TEXT,
    "competencies" JSONB NOT NULL,
    "must_haves" JSONB NOT NULL,
    "interview_questions" JSONB NOT NULL,
    "behavioral_round" JSONB NOT NULL,
    "content_hash" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "note" TEXT,
    "reverted_from" INTEGER,
    "author_platform" TEXT NOT NULL,
    "author_id" TEXT NOT NULL,
    "author_name" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "spec_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "spec_grant" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "platform" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "granted_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "spec_grant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "organization_id" UUID NOT NULL,
    "actor_platform" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "spec_id" UUID,
    "before_version" INTEGER,
    "after_version" INTEGER,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "organization_slug_key" ON "organization"("slug");

-- CreateIndex
CREATE INDEX "slack_workspace_organization_id_idx" ON "slack_workspace"("organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "spec_organization_id_slug_key" ON "spec"("organization_id", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "spec_version_spec_id_number_key" ON "spec_version"("spec_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "spec_grant_organization_id_platform_user_id_scope_key" ON "spec_grant"("organization_id", "platform", "user_id", "scope");

-- CreateIndex
CREATE INDEX "audit_event_organization_id_created_at_idx" ON "audit_event"("organization_id", "created_at");

-- CreateIndex
CREATE INDEX "audit_event_spec_id_created_at_idx" ON "audit_event"("spec_id", "created_at");

-- AddForeignKey
ALTER TABLE "slack_workspace" ADD CONSTRAINT "slack_workspace_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "spec" ADD CONSTRAINT "spec_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "spec_version" ADD CONSTRAINT "spec_version_spec_id_fkey" FOREIGN KEY ("spec_id") REFERENCES "spec"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "spec_grant" ADD CONSTRAINT "spec_grant_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
