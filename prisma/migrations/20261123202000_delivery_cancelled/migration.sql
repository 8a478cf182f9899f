-- A delivery whose channel unsubscribed before it was sent is cancelled, not a dead letter: it needs
-- no retry and no alert.
ALTER TABLE "delivery" DROP CONSTRAINT "delivery_status_known";
ALTER TABLE "delivery" ADD CONSTRAINT "delivery_status_known"
  CHECK ("status" IN ('pending', 'sent', 'failed', 'paused', 'cancelled'));
