-- CreateTable
CREATE TABLE "teams_conversation" (
    "conversation_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "service_url" TEXT NOT NULL,
    "conversation_type" TEXT NOT NULL,
    "team_id" TEXT,
    "name" TEXT,
    "bot_id" TEXT NOT NULL,
    "user_aad_id" TEXT,
    "installed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "teams_conversation_pkey" PRIMARY KEY ("conversation_id")
);

-- CreateTable
CREATE TABLE "teams_sent_activity" (
    "delivery_id" TEXT NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "activity_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "teams_sent_activity_pkey" PRIMARY KEY ("delivery_id")
);

-- CreateIndex
CREATE INDEX "teams_conversation_team_id_idx" ON "teams_conversation"("team_id");

-- CreateIndex
CREATE INDEX "teams_conversation_user_aad_id_idx" ON "teams_conversation"("user_aad_id");
