-- AlterTable
ALTER TABLE "delivery" ADD COLUMN     "ops_alerted_at" TIMESTAMPTZ(3);
