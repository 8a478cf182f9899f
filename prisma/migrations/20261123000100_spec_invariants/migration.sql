-- Invariants schema.prisma cannot express. Prisma's diff does not model functions, triggers or
-- CHECK constraints, so these live in hand-written migrations like this one.

-- A version's weights are whole hundredths between 0 and 100 and total exactly 100 (1.00).
CREATE FUNCTION panelist_weights_balanced(competencies jsonb) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  item jsonb;
  total numeric := 0;
BEGIN
  IF competencies IS NULL OR jsonb_typeof(competencies) <> 'array' OR jsonb_array_length(competencies) = 0 THEN
    RETURN false;
  END IF;
  FOR item IN SELECT value FROM jsonb_array_elements(competencies) LOOP
    IF jsonb_typeof(item -> 'weight') IS DISTINCT FROM 'number' THEN
      RETURN false;
    END IF;
    IF (item ->> 'weight')::numeric NOT BETWEEN 0 AND 100 OR (item ->> 'weight')::numeric <> trunc((item ->> 'weight')::numeric) THEN
      RETURN false;
    END IF;
    total := total + (item ->> 'weight')::numeric;
  END LOOP;
  RETURN total = 100;
END
$$;

ALTER TABLE "spec_version"
  ADD CONSTRAINT "spec_version_weights_total_one" CHECK (panelist_weights_balanced("competencies")),
  ADD CONSTRAINT "spec_version_number_positive" CHECK ("number" >= 1);

-- Versions and the audit log are append-only.
CREATE FUNCTION panelist_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are immutable: add a new row instead', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER "spec_version_immutable" BEFORE UPDATE OR DELETE ON "spec_version"
  FOR EACH ROW EXECUTE FUNCTION panelist_refuse_change();
CREATE TRIGGER "audit_event_append_only" BEFORE UPDATE OR DELETE ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION panelist_refuse_change();

-- A spec's current version only ever advances by one (each change appends exactly one version)...
CREATE FUNCTION panelist_spec_version_advances() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.current_version <> OLD.current_version + 1 THEN
    RAISE EXCEPTION 'spec % may only move from version % to %, not to %', NEW.id, OLD.current_version, OLD.current_version + 1, NEW.current_version
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "spec_version_advances" BEFORE UPDATE OF "current_version" ON "spec"
  FOR EACH ROW WHEN (NEW.current_version IS DISTINCT FROM OLD.current_version)
  EXECUTE FUNCTION panelist_spec_version_advances();

-- ...and always names a version that exists, checked at commit so the spec and its version can be
-- written in either order inside one transaction.
CREATE FUNCTION panelist_spec_current_version_exists() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "spec_version" WHERE "spec_id" = NEW.id AND "number" = NEW.current_version) THEN
    RAISE EXCEPTION 'spec % points at version %, which does not exist', NEW.id, NEW.current_version
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER "spec_current_version_exists" AFTER INSERT OR UPDATE OF "current_version" ON "spec"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION panelist_spec_current_version_exists();
