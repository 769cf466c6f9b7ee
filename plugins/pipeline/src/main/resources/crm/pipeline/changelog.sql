--liquibase formatted sql

--changeset pipeline:pipeline-1
--comment: stages per subsidiary, opportunities with their stage history and comments, orders with lines, commission rates, settings
CREATE TABLE pipeline_stage (
    id             BIGSERIAL PRIMARY KEY,
    subsidiary     VARCHAR(32)   NOT NULL,
    code           VARCHAR(40)   NOT NULL,
    name           VARCHAR(100)  NOT NULL,
    position       INT           NOT NULL,
    probability    INT           NOT NULL CHECK (probability BETWEEN 0 AND 100),
    outcome        VARCHAR(8)    NOT NULL CHECK (outcome IN ('OPEN', 'WON', 'LOST')),
    active         BOOLEAN       NOT NULL DEFAULT TRUE,
    CONSTRAINT uq_pipeline_stage UNIQUE (subsidiary, code)
);
CREATE TABLE pipeline_opportunity (
    id             BIGSERIAL PRIMARY KEY,
    subsidiary     VARCHAR(32)   NOT NULL,
    customer_id    BIGINT        NOT NULL,
    title          VARCHAR(200)  NOT NULL,
    owner          VARCHAR(64)   NOT NULL,
    amount         NUMERIC(18,2) NOT NULL CHECK (amount >= 0),
    currency       CHAR(3)       NOT NULL,
    expected_close DATE,
    stage_id       BIGINT        NOT NULL REFERENCES pipeline_stage (id),
    probability    INT           NOT NULL CHECK (probability BETWEEN 0 AND 100),
    source         VARCHAR(100),
    next_step      VARCHAR(500),
    status         VARCHAR(8)    NOT NULL CHECK (status IN ('OPEN', 'WON', 'LOST')),
    close_reason   VARCHAR(500),
    closed_at      TIMESTAMPTZ,
    stage_entered_at TIMESTAMPTZ NOT NULL,
    last_activity_at TIMESTAMPTZ NOT NULL,
    created_by     VARCHAR(64)   NOT NULL,
    created_at     TIMESTAMPTZ   NOT NULL,
    updated_at     TIMESTAMPTZ   NOT NULL,
    version        BIGINT        NOT NULL DEFAULT 0,
    archived       BOOLEAN       NOT NULL DEFAULT FALSE
);
CREATE INDEX ix_pipeline_opp_created ON pipeline_opportunity (subsidiary, created_at);
CREATE INDEX ix_pipeline_opp_owner ON pipeline_opportunity (subsidiary, owner, status);
CREATE INDEX ix_pipeline_opp_customer ON pipeline_opportunity (subsidiary, customer_id);
-- one row per stage an opportunity entered; the first row is its creation (from_stage_id NULL)
CREATE TABLE pipeline_stage_history (
    id             BIGSERIAL PRIMARY KEY,
    opportunity_id BIGINT        NOT NULL REFERENCES pipeline_opportunity (id),
    subsidiary     VARCHAR(32)   NOT NULL,
    from_stage_id  BIGINT        REFERENCES pipeline_stage (id),
    to_stage_id    BIGINT        NOT NULL REFERENCES pipeline_stage (id),
    changed_by     VARCHAR(64)   NOT NULL,
    changed_at     TIMESTAMPTZ   NOT NULL
);
CREATE INDEX ix_pipeline_history_opp ON pipeline_stage_history (opportunity_id, changed_at);
CREATE TABLE pipeline_comment (
    id             BIGSERIAL PRIMARY KEY,
    opportunity_id BIGINT        NOT NULL REFERENCES pipeline_opportunity (id),
    subsidiary     VARCHAR(32)   NOT NULL,
    author         VARCHAR(64)   NOT NULL,
    text           TEXT          NOT NULL,
    created_at     TIMESTAMPTZ   NOT NULL
);
CREATE INDEX ix_pipeline_comment_opp ON pipeline_comment (opportunity_id, created_at);
CREATE TABLE pipeline_order (
    id             BIGSERIAL PRIMARY KEY,
    subsidiary     VARCHAR(32)   NOT NULL,
    customer_id    BIGINT        NOT NULL,
    rep            VARCHAR(64)   NOT NULL,
    opportunity_id BIGINT        REFERENCES pipeline_opportunity (id),
    order_date     DATE          NOT NULL,
    currency       CHAR(3)       NOT NULL,
    total          NUMERIC(18,2) NOT NULL CHECK (total >= 0),
    entered_by     VARCHAR(64)   NOT NULL,
    entered_at     TIMESTAMPTZ   NOT NULL
);
CREATE INDEX ix_pipeline_order_rep ON pipeline_order (subsidiary, rep, order_date);
CREATE UNIQUE INDEX uq_pipeline_order_opportunity ON pipeline_order (opportunity_id) WHERE opportunity_id IS NOT NULL;
CREATE TABLE pipeline_order_line (
    id             BIGSERIAL PRIMARY KEY,
    order_id       BIGINT        NOT NULL REFERENCES pipeline_order (id),
    line_no        INT           NOT NULL,
    product_line   VARCHAR(64),
    description    VARCHAR(200)  NOT NULL,
    quantity       NUMERIC(14,3) NOT NULL CHECK (quantity > 0),
    unit_price     NUMERIC(18,2) NOT NULL CHECK (unit_price >= 0),
    amount         NUMERIC(18,2) NOT NULL,
    CONSTRAINT uq_pipeline_order_line UNIQUE (order_id, line_no)
);
-- product_line '' is the subsidiary's default rate
CREATE TABLE pipeline_commission_rate (
    subsidiary     VARCHAR(32)   NOT NULL,
    product_line   VARCHAR(64)   NOT NULL,
    rate           NUMERIC(6,4)  NOT NULL CHECK (rate >= 0 AND rate <= 1),
    PRIMARY KEY (subsidiary, product_line)
);
CREATE TABLE pipeline_settings (
    subsidiary     VARCHAR(32)   PRIMARY KEY,
    stalled_days   INT           NOT NULL DEFAULT 14 CHECK (stalled_days BETWEEN 1 AND 365)
);
--rollback DROP TABLE pipeline_settings; DROP TABLE pipeline_commission_rate; DROP TABLE pipeline_order_line; DROP TABLE pipeline_order; DROP TABLE pipeline_comment; DROP TABLE pipeline_stage_history; DROP TABLE pipeline_opportunity; DROP TABLE pipeline_stage;

--changeset pipeline:pipeline-2
--comment: stalled-opportunity reminders: when the reminder job last reminded the owner of a stall (NULL = never; a stall is new again once last_activity_at is later than it), and an index for the stalled list and the job
ALTER TABLE pipeline_opportunity ADD COLUMN stalled_reminded_at TIMESTAMPTZ;
CREATE INDEX ix_pipeline_opp_stalled ON pipeline_opportunity (subsidiary, last_activity_at) WHERE status = 'OPEN' AND NOT archived;
--rollback DROP INDEX ix_pipeline_opp_stalled; ALTER TABLE pipeline_opportunity DROP COLUMN stalled_reminded_at;

--changeset pipeline:pipeline-3 splitStatements:false
--comment: funnel analysis (FunnelService), which must answer for a subsidiary and a quarter of 1,000,000 opportunities within 200 ms (bench/README.md, "Pipeline funnel"). (1) Each stage-history row carries derived columns kept by triggers: its opportunity's creation time (so the history of a cohort is one index range, not a lookup per opportunity) and the stay it ends (stage and time of the opportunity's previous row, so stays are one index range, not a lookup per row). The triggers recompute them whenever an opportunity's history or creation time changes, so they stay correct under every write. (2) Covering indexes, so that each figure is an index-only range scan: the cohort, open now, closed within a period, the cohort's stages, the stays ended within a period.
ALTER TABLE pipeline_stage_history
    ADD COLUMN opportunity_created_at TIMESTAMPTZ,
    ADD COLUMN stay_stage_id BIGINT,
    ADD COLUMN stay_started_at TIMESTAMPTZ;
COMMENT ON COLUMN pipeline_stage_history.opportunity_created_at IS 'derived (trigger): created_at of the opportunity';
COMMENT ON COLUMN pipeline_stage_history.stay_stage_id IS 'derived (trigger): the stage whose stay this row ends, i.e. to_stage_id of the opportunity''s previous row; NULL for the first row (the creation)';
COMMENT ON COLUMN pipeline_stage_history.stay_started_at IS 'derived (trigger): when that stay began, i.e. changed_at of the previous row; NULL for the first row';

UPDATE pipeline_stage_history h
   SET opportunity_created_at = d.created_at, stay_stage_id = d.prev_stage, stay_started_at = d.prev_at
  FROM (SELECT x.id, o.created_at, lag(x.to_stage_id) OVER w AS prev_stage, lag(x.changed_at) OVER w AS prev_at
          FROM pipeline_stage_history x JOIN pipeline_opportunity o ON o.id = x.opportunity_id
        WINDOW w AS (PARTITION BY x.opportunity_id ORDER BY x.changed_at, x.id)) d
 WHERE h.id = d.id;

CREATE FUNCTION pipeline_history_derive(p_opportunity BIGINT) RETURNS void LANGUAGE sql AS $$
    UPDATE pipeline_stage_history h
       SET opportunity_created_at = d.created_at, stay_stage_id = d.prev_stage, stay_started_at = d.prev_at
      FROM (SELECT x.id, o.created_at, lag(x.to_stage_id) OVER w AS prev_stage, lag(x.changed_at) OVER w AS prev_at
              FROM pipeline_stage_history x JOIN pipeline_opportunity o ON o.id = x.opportunity_id
             WHERE x.opportunity_id = p_opportunity
            WINDOW w AS (ORDER BY x.changed_at, x.id)) d
     WHERE h.id = d.id
       AND (h.opportunity_created_at IS DISTINCT FROM d.created_at OR h.stay_stage_id IS DISTINCT FROM d.prev_stage
            OR h.stay_started_at IS DISTINCT FROM d.prev_at);
$$;
COMMENT ON FUNCTION pipeline_history_derive(BIGINT) IS 'recomputes the derived columns of one opportunity''s stage history (writes only the rows that differ)';

CREATE FUNCTION pipeline_history_before_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT o.created_at INTO NEW.opportunity_created_at
      FROM pipeline_opportunity o WHERE o.id = NEW.opportunity_id FOR NO KEY UPDATE;
    SELECT h.to_stage_id, h.changed_at INTO NEW.stay_stage_id, NEW.stay_started_at
      FROM pipeline_stage_history h
     WHERE h.opportunity_id = NEW.opportunity_id AND h.changed_at <= NEW.changed_at
       AND (h.changed_at < NEW.changed_at OR h.id < NEW.id)
     ORDER BY h.changed_at DESC, h.id DESC LIMIT 1;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION pipeline_history_before_insert() IS 'derives a new stage-history row''s columns; locks the opportunity (as the services do) so that writers of one history take turns';

CREATE FUNCTION pipeline_history_after_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF EXISTS (SELECT 1 FROM pipeline_stage_history h
                    WHERE h.opportunity_id = NEW.opportunity_id AND h.changed_at >= NEW.changed_at
                      AND (h.changed_at > NEW.changed_at OR h.id > NEW.id)) THEN
            PERFORM pipeline_history_derive(NEW.opportunity_id);
        END IF;
        RETURN NULL;
    END IF;
    PERFORM pipeline_history_derive(OLD.opportunity_id);
    IF TG_OP = 'UPDATE' AND NEW.opportunity_id <> OLD.opportunity_id THEN
        PERFORM pipeline_history_derive(NEW.opportunity_id);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION pipeline_history_after_change() IS 'keeps the derived columns right when a row is inserted before later ones, or rows are changed or deleted';

CREATE FUNCTION pipeline_opportunity_created_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE pipeline_stage_history SET opportunity_created_at = NEW.created_at
     WHERE opportunity_id = NEW.id AND opportunity_created_at IS DISTINCT FROM NEW.created_at;
    RETURN NULL;
END
$$;

CREATE TRIGGER pipeline_history_derive_insert BEFORE INSERT ON pipeline_stage_history
    FOR EACH ROW EXECUTE FUNCTION pipeline_history_before_insert();
CREATE TRIGGER pipeline_history_derive_change
    AFTER INSERT OR DELETE OR UPDATE OF opportunity_id, changed_at, to_stage_id, opportunity_created_at, stay_stage_id,
        stay_started_at ON pipeline_stage_history
    FOR EACH ROW EXECUTE FUNCTION pipeline_history_after_change();
CREATE TRIGGER pipeline_opportunity_derive_history AFTER UPDATE OF created_at ON pipeline_opportunity
    FOR EACH ROW WHEN (NEW.created_at IS DISTINCT FROM OLD.created_at)
    EXECUTE FUNCTION pipeline_opportunity_created_changed();

CREATE INDEX ix_pipeline_opp_funnel_cohort ON pipeline_opportunity (subsidiary, created_at)
    INCLUDE (id, owner, status, amount, currency) WHERE NOT archived;
CREATE INDEX ix_pipeline_opp_funnel_open ON pipeline_opportunity (subsidiary, stage_id)
    INCLUDE (owner, amount, currency, probability) WHERE status = 'OPEN' AND NOT archived;
CREATE INDEX ix_pipeline_opp_funnel_closed ON pipeline_opportunity (subsidiary, closed_at)
    INCLUDE (owner, status, amount, currency) WHERE closed_at IS NOT NULL AND NOT archived;
CREATE INDEX ix_pipeline_history_funnel_cohort ON pipeline_stage_history (subsidiary, opportunity_created_at)
    INCLUDE (opportunity_id, to_stage_id);
CREATE INDEX ix_pipeline_history_funnel_stay ON pipeline_stage_history (subsidiary, changed_at)
    INCLUDE (opportunity_id, stay_stage_id, stay_started_at) WHERE stay_started_at IS NOT NULL;
--rollback DROP TRIGGER pipeline_opportunity_derive_history ON pipeline_opportunity; DROP TRIGGER pipeline_history_derive_change ON pipeline_stage_history; DROP TRIGGER pipeline_history_derive_insert ON pipeline_stage_history; DROP FUNCTION pipeline_opportunity_created_changed(); DROP FUNCTION pipeline_history_after_change(); DROP FUNCTION pipeline_history_before_insert(); DROP FUNCTION pipeline_history_derive(BIGINT); DROP INDEX ix_pipeline_history_funnel_stay; DROP INDEX ix_pipeline_history_funnel_cohort; DROP INDEX ix_pipeline_opp_funnel_closed; DROP INDEX ix_pipeline_opp_funnel_open; DROP INDEX ix_pipeline_opp_funnel_cohort; ALTER TABLE pipeline_stage_history DROP COLUMN stay_started_at, DROP COLUMN stay_stage_id, DROP COLUMN opportunity_created_at;
