-- AlterTable
ALTER TABLE "delivery" ADD COLUMN     "send_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "channel_pace" (
    "platform" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "tat" TIMESTAMPTZ(3) NOT NULL,
    "blocked_until" TIMESTAMPTZ(3),
    "sent_tat" TIMESTAMPTZ(3),
    "interval_ms" INTEGER NOT NULL DEFAULT 1000,
    "burst" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "channel_pace_pkey" PRIMARY KEY ("platform","channel_id")
);

-- CreateIndex
CREATE INDEX "delivery_channel_id_status_created_at_idx" ON "delivery"("channel_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "delivery_channel_id_send_at_idx" ON "delivery"("channel_id", "send_at");

-- CreateIndex
CREATE INDEX "delivery_send_at_idx" ON "delivery"("send_at");

-- Turns in a channel's rate limit, shared by every replica (hand-written; the schema diff ignores
-- functions). A delivery waits for its turn by being rescheduled to it, never by sleeping in a
-- worker slot. Turns follow the generic cell rate algorithm: one every p_interval_ms, with
-- p_burst turns allowed back to back after a quiet spell.
--
-- panelist_take_turn(delivery, interval, burst) gives the delivery its turn, and in the same
-- breath a turn to every other delivery of its channel that is waiting for one, in the order they
-- were created, so a backlog is scheduled once and leaves in order. A turn lasts until the post or
-- update it was for is recorded, however late its job runs, and is only taken once every earlier
-- turn in the channel has ended, unless that one's post or job has been under way for v_stuck (its
-- process may have died; its job's key names it, as src/store/queue.ts writes it): messages reach the
-- channel in order even when two replicas' jobs run at once. Turns are timed when they are given,
-- but the platform counts posts as they arrive: a due turn also waits until the posts recorded so
-- far (sent_tat, moved by MARK_POSTED and MARK_UPDATED) allow one more, so a turn taken late never
-- makes a burst. Returns the deliveries whose job must run at `run_at`: the others it gave a turn
-- (due = the turn is now), and the target (is_target) with due = send it now.
-- Nothing is returned when the target has nothing left to do.
CREATE FUNCTION panelist_take_turn(p_delivery uuid, p_interval_ms integer, p_burst integer)
RETURNS TABLE (delivery_id uuid, platform text, kind text, run_at timestamptz, due boolean, is_target boolean)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  v_interval CONSTANT interval := make_interval(secs => p_interval_ms / 1000.0);
  v_tolerance CONSTANT interval := make_interval(secs => (greatest(p_burst, 1) - 1) * p_interval_ms / 1000.0);
  -- an earlier turn whose post (or job) has been under way this long may have died with its
  -- process: it no longer holds later turns back
  v_stuck CONSTANT interval := interval '5 seconds';
  -- further back in the line: the chain wakes it (this is only the last resort)
  v_parked CONSTANT interval := interval '10 minutes';
  v_blockers integer;
  v_target record;
  v_turn timestamptz;
  v_not_before timestamptz;
  v_pace channel_pace%ROWTYPE;
  v_now timestamptz;
  v_last_live timestamptz;
  v_tat timestamptz;
  v_given integer;
BEGIN
  FOR pass IN 1..2 LOOP
    SELECT d.id, d.platform, d.kind, d.channel_id, d.send_at, d.created_at INTO v_target FROM delivery d
    WHERE d.id = p_delivery AND d.status NOT IN ('failed', 'paused', 'cancelled')
      AND (d.message_id IS NULL OR d.rendered_version < d.content_version);
    IF NOT FOUND THEN RETURN; END IF;
    v_now := date_trunc('milliseconds', clock_timestamp());
    v_turn := v_target.send_at;
    EXIT WHEN v_turn IS NOT NULL;
    IF pass = 1 THEN
      -- One giver of turns per channel at a time, across replicas; the second pass looks again
      -- under the lock, since the run that held it may have given this delivery its turn.
      INSERT INTO channel_pace AS p (platform, channel_id, tat, interval_ms, burst)
      VALUES (v_target.platform, v_target.channel_id, date_trunc('milliseconds', clock_timestamp()), p_interval_ms, p_burst)
      ON CONFLICT (platform, channel_id) DO UPDATE SET interval_ms = EXCLUDED.interval_ms, burst = EXCLUDED.burst
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
    -- whole milliseconds, as the columns store them, so a turn that is now compares as now
    v_tat := date_trunc('milliseconds', v_tat);

    RETURN QUERY
    WITH waiting AS (
      SELECT d.id, row_number() OVER (ORDER BY d.created_at, d.id) AS k
      FROM delivery d
      WHERE d.channel_id = v_target.channel_id AND d.platform = v_target.platform
        AND (d.id = p_delivery OR (d.status = 'pending' AND d.message_id IS NULL AND d.next_attempt_at <= v_now))
        AND d.send_at IS NULL
    ),
    given AS (
      UPDATE delivery d
      SET send_at = greatest(v_now, v_tat + (w.k - 1) * v_interval - v_tolerance),
          next_attempt_at = greatest(v_now, v_tat + (w.k - 1) * v_interval - v_tolerance)
      FROM waiting w
      WHERE d.id = w.id
      RETURNING d.id, d.platform, d.kind, d.send_at
    )
    SELECT g.id, g.platform, g.kind, g.send_at, g.send_at <= v_now, false FROM given g WHERE g.id <> p_delivery;
    GET DIAGNOSTICS v_given = ROW_COUNT;
    UPDATE channel_pace p SET tat = v_tat + (v_given + 1) * v_interval
    WHERE p.platform = v_target.platform AND p.channel_id = v_target.channel_id;
    SELECT d.send_at INTO v_turn FROM delivery d WHERE d.id = p_delivery;
  END LOOP;

  IF v_turn > v_now THEN
    UPDATE delivery d SET next_attempt_at = v_turn
    WHERE d.id = p_delivery AND d.next_attempt_at IS DISTINCT FROM v_turn;
    RETURN QUERY SELECT v_target.id, v_target.platform, v_target.kind, v_turn, false, true;
    RETURN;
  END IF;
  -- The channel's posts as they were recorded (and any 429) may ask for a little longer.
  SELECT greatest(p.sent_tat - v_tolerance, p.blocked_until) INTO v_not_before FROM channel_pace p
  WHERE p.platform = v_target.platform AND p.channel_id = v_target.channel_id;
  IF v_not_before > v_now THEN
    RETURN QUERY SELECT v_target.id, v_target.platform, v_target.kind, v_not_before, false, true;
    RETURN;
  ELSE
    SELECT count(*) INTO v_blockers FROM (
      SELECT 1 FROM delivery d
      WHERE d.channel_id = v_target.channel_id AND d.platform = v_target.platform AND d.id <> p_delivery
        AND d.status IN ('pending', 'sent') AND d.send_at IS NOT NULL
        AND (d.send_at, d.created_at, d.id) < (v_turn, v_target.created_at, v_target.id)
        AND CASE WHEN d.lease_until > v_now THEN d.updated_at > v_now - v_stuck
                 ELSE EXISTS (SELECT 1 FROM graphile_worker.jobs j WHERE j.key = 'delivery:' || d.id::text
                                AND (j.locked_at IS NULL OR j.locked_at > v_now - v_stuck)) END
      LIMIT 2) b;
  END IF;
  IF v_blockers > 0 THEN
    -- Each earlier turn wakes the next when it ends (src/store/delivery-sql.ts, endingTheTurn), so
    -- a backlog costs one wake-up per message. Only the turn right behind the running one comes
    -- back on its own after v_stuck, in case that one never ends (its process died); the rest
    -- wait for the chain, or for the sweeper (wakeStalledChannels) should it break.
    RETURN QUERY SELECT v_target.id, v_target.platform, v_target.kind,
      v_now + CASE WHEN v_blockers = 1 THEN v_stuck ELSE v_parked END, false, true;
  ELSE
    RETURN QUERY SELECT v_target.id, v_target.platform, v_target.kind, v_turn, true, true;
  END IF;
END;
$$;

-- panelist_hold_channel(delivery, for, interval, burst): the platform answered 429 with
-- Retry-After. No turn in the channel before then; the refused delivery goes first when it ends,
-- and every turn already given moves back by the same amount, so order and spacing hold. Returns
-- the deliveries whose turn moved (the refused one included) and their turns (run_at), for their
-- jobs to move too. The refused delivery keeps its place as the channel's earliest turn.
CREATE FUNCTION panelist_hold_channel(p_delivery uuid, p_for_ms integer, p_interval_ms integer, p_burst integer)
RETURNS TABLE (delivery_id uuid, platform text, kind text, run_at timestamptz)
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
  RETURNING d.id, d.platform, d.kind, d.send_at;

  SELECT max(d.send_at) INTO v_last FROM delivery d
  WHERE d.channel_id = v_target.channel_id AND d.platform = v_target.platform AND d.send_at IS NOT NULL
    AND d.status IN ('pending', 'sent');
  UPDATE channel_pace p
  SET blocked_until = greatest(p.blocked_until, v_until),
      tat = greatest(p.tat + v_shift, coalesce(v_last, v_until) + v_interval + v_tolerance)
  WHERE p.platform = v_target.platform AND p.channel_id = v_target.channel_id;
END;
$$;
