-- AlterTable
ALTER TABLE "delivery" ADD COLUMN     "lease_until" TIMESTAMPTZ(3);
