-- AlterTable
ALTER TABLE "delivery" ADD COLUMN     "waiting_for_chart" TEXT;

-- CreateIndex
CREATE INDEX "delivery_waiting_for_chart_idx" ON "delivery"("waiting_for_chart");
