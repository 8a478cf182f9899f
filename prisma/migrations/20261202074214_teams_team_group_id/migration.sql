-- AlterTable
ALTER TABLE "teams_conversation" ADD COLUMN     "team_aad_group_id" TEXT;
