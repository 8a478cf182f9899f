-- AlterTable
ALTER TABLE "delivery" ADD COLUMN     "send_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "channel_pace" (
    "platform" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "tat" TIMESTAMPTZ(3) NOT NULL,
    "blocked_until" TIMESTAMPTZ(3),

    CONSTRAINT "channel_pace_pkey" PRIMARY KEY ("platform","channel_id")
);

-- CreateIndex
CREATE INDEX "delivery_channel_id_status_created_at_idx" ON "delivery"("channel_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "delivery_channel_id_send_at_idx" ON "delivery"("channel_id", "send_at");

-- Turns in a channel's rate limit, shared by every replica (hand-written; the schema diff ignores
-- functions). A delivery waits for its turn by being rescheduled to it, never by sleeping in a
-- worker slot. Turns follow the generic cell rate algorithm: one every p_interval_ms, with
-- p_burst turns allowed back to back after a quiet spell.
--
-- panelist_take_turn(delivery, interval, burst) gives the delivery its turn, and in the same
-- breath a turn to every other delivery of its channel that is waiting for one, in the order they
-- were created, so a backlog is scheduled once and leaves in order. A turn lasts until the post or
-- update it was for is recorded (or it is more than v_grace old), and a turn is only taken once
-- every earlier turn in the channel has ended (or is v_wait_behind past: its process may have died
-- mid-post): messages reach the channel in order even when two replicas' jobs run at once. Returns the deliveries whose job must run at `run_at`: the others
-- it gave a turn (due = the turn is now), and the target (is_target) with due = send it now.
-- Nothing is returned when the target has nothing left to do.
CREATE FUNCTION panelist_take_turn(p_delivery uuid, p_interval_ms integer, p_burst integer)
RETURNS TABLE (delivery_id uuid, platform text, run_at timestamptz, due boolean, is_target boolean)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  -- a turn passed this long ago is still taken (a job picked up late); older, a new one is given
  v_grace CONSTANT interval := interval '10 seconds';
  v_interval CONSTANT interval := make_interval(secs => p_interval_ms / 1000.0);
  v_tolerance CONSTANT interval := make_interval(secs => (greatest(p_burst, 1) - 1) * p_interval_ms / 1000.0);
  -- an earlier turn holds later ones back this long at most (its post may have died with its process)
  v_wait_behind CONSTANT interval := interval '5 seconds';
  -- behind an earlier turn still under way: look again this soon
  v_behind CONSTANT interval := make_interval(secs => least(p_interval_ms / 2, 250) / 1000.0);
  v_target record;
  v_turn timestamptz;
  v_pace channel_pace%ROWTYPE;
  v_now timestamptz;
  v_last_live timestamptz;
  v_tat timestamptz;
  v_given integer;
BEGIN
  FOR pass IN 1..2 LOOP
    SELECT d.id, d.platform, d.channel_id, d.send_at, d.created_at INTO v_target FROM delivery d
    WHERE d.id = p_delivery AND d.status NOT IN ('failed', 'paused', 'cancelled')
      AND (d.message_id IS NULL OR d.rendered_version < d.content_version);
    IF NOT FOUND THEN RETURN; END IF;
    v_now := date_trunc('milliseconds', clock_timestamp());
    v_turn := v_target.send_at;
    EXIT WHEN v_turn IS NOT NULL AND v_turn >= v_now - v_grace;
    IF pass = 1 THEN
      -- One giver of turns per channel at a time, across replicas; the second pass looks again
      -- under the lock, since the run that held it may have given this delivery its turn.
      INSERT INTO channel_pace AS p (platform, channel_id, tat) VALUES (v_target.platform, v_target.channel_id, clock_timestamp())
      ON CONFLICT (platform, channel_id) DO UPDATE SET tat = p.tat
      RETURNING * INTO v_pace;
      CONTINUE;
    END IF;

    -- Turns given to deliveries that no longer wait (unsubscribed, paused) must not hold the
    -- channel back: the next turn comes no later than one interval after the last turn still live.
    SELECT max(d.send_at) INTO v_last_live FROM delivery d
    WHERE d.channel_id = v_target.channel_id AND d.platform = v_target.platform
      AND d.send_at > v_now AND d.status IN ('pending', 'sent');
    v_tat := greatest(least(v_pace.tat, greatest(v_now, coalesce(v_last_live, v_now)) + v_interval + v_tolerance), v_now);
    IF v_pace.blocked_until IS NOT NULL THEN
      v_tat := greatest(v_tat, v_pace.blocked_until + v_tolerance);
    END IF;

    RETURN QUERY
    WITH waiting AS (
      SELECT d.id, row_number() OVER (ORDER BY d.created_at, d.id) AS k
      FROM delivery d
      WHERE d.channel_id = v_target.channel_id AND d.platform = v_target.platform
        AND (d.id = p_delivery OR (d.status = 'pending' AND d.message_id IS NULL AND d.next_attempt_at <= v_now))
        AND (d.send_at IS NULL OR d.send_at < v_now - v_grace)
    ),
    given AS (
      UPDATE delivery d
      SET send_at = greatest(v_now, v_tat + (w.k - 1) * v_interval - v_tolerance),
          next_attempt_at = greatest(v_now, v_tat + (w.k - 1) * v_interval - v_tolerance)
      FROM waiting w
      WHERE d.id = w.id
      RETURNING d.id, d.platform, d.send_at
    )
    SELECT g.id, g.platform, g.send_at, g.send_at <= v_now, false FROM given g WHERE g.id <> p_delivery;
    GET DIAGNOSTICS v_given = ROW_COUNT;
    UPDATE channel_pace p SET tat = v_tat + (v_given + 1) * v_interval
    WHERE p.platform = v_target.platform AND p.channel_id = v_target.channel_id;
    SELECT d.send_at INTO v_turn FROM delivery d WHERE d.id = p_delivery;
  END LOOP;

  IF v_turn > v_now THEN
    UPDATE delivery d SET next_attempt_at = v_turn
    WHERE d.id = p_delivery AND d.next_attempt_at IS DISTINCT FROM v_turn;
    RETURN QUERY SELECT v_target.id, v_target.platform, v_turn, false, true;
  ELSIF EXISTS (
    SELECT 1 FROM delivery d
    WHERE d.channel_id = v_target.channel_id AND d.platform = v_target.platform AND d.id <> p_delivery
      AND d.send_at >= v_now - v_wait_behind AND d.status IN ('pending', 'sent')
      AND (d.send_at, d.created_at, d.id) < (v_turn, v_target.created_at, v_target.id)
  ) THEN
    RETURN QUERY SELECT v_target.id, v_target.platform, v_now + v_behind, false, true;
  ELSE
    RETURN QUERY SELECT v_target.id, v_target.platform, v_turn, true, true;
  END IF;
END;
$$;

-- panelist_hold_channel(delivery, for, interval, burst): the platform answered 429 with
-- Retry-After. No turn in the channel before then; the refused delivery goes first when it ends,
-- and every turn already given moves back by the same amount, so order and spacing hold. Returns
-- the deliveries whose turn moved (the refused one included) and their turns (run_at), for their
-- jobs to move too. The refused delivery keeps its place as the channel's earliest turn.
CREATE FUNCTION panelist_hold_channel(p_delivery uuid, p_for_ms integer, p_interval_ms integer, p_burst integer)
RETURNS TABLE (delivery_id uuid, platform text, run_at timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  v_interval CONSTANT interval := make_interval(secs => p_interval_ms / 1000.0);
  v_tolerance CONSTANT interval := make_interval(secs => (greatest(p_burst, 1) - 1) * p_interval_ms / 1000.0);
  v_target record;
  v_until timestamptz;
  v_first timestamptz;
  v_shift interval;
  v_last timestamptz;
BEGIN
  SELECT d.id, d.platform, d.channel_id INTO v_target FROM delivery d WHERE d.id = p_delivery;
  IF NOT FOUND THEN RETURN; END IF;
  INSERT INTO channel_pace AS p (platform, channel_id, tat) VALUES (v_target.platform, v_target.channel_id, clock_timestamp())
  ON CONFLICT (platform, channel_id) DO UPDATE SET tat = p.tat;
  v_until := clock_timestamp() + make_interval(secs => p_for_ms / 1000.0);

  SELECT min(d.send_at) INTO v_first FROM delivery d
  WHERE d.channel_id = v_target.channel_id AND d.platform = v_target.platform AND d.id <> p_delivery
    AND d.send_at IS NOT NULL AND d.status IN ('pending', 'sent');
  v_shift := greatest(interval '0', coalesce(v_until + v_interval - v_first, interval '0'));

  RETURN QUERY
  UPDATE delivery d
  SET send_at = CASE WHEN d.id = p_delivery THEN v_until ELSE d.send_at + v_shift END,
      next_attempt_at = CASE WHEN d.id = p_delivery THEN v_until ELSE d.send_at + v_shift END
  WHERE d.channel_id = v_target.channel_id AND d.platform = v_target.platform
    AND (d.id = p_delivery OR (d.send_at IS NOT NULL AND d.status IN ('pending', 'sent')))
  RETURNING d.id, d.platform, d.send_at;

  SELECT max(d.send_at) INTO v_last FROM delivery d
  WHERE d.channel_id = v_target.channel_id AND d.platform = v_target.platform AND d.send_at IS NOT NULL
    AND d.status IN ('pending', 'sent');
  UPDATE channel_pace p
  SET blocked_until = greatest(p.blocked_until, v_until),
      tat = greatest(p.tat + v_shift, coalesce(v_last, v_until) + v_interval + v_tolerance)
  WHERE p.platform = v_target.platform AND p.channel_id = v_target.channel_id;
END;
$$;
