--liquibase formatted sql

--changeset crm:core-1 labels:core
--comment: subsidiaries, users, customers, contacts, activities
CREATE TABLE crm_subsidiary (
    id          BIGSERIAL PRIMARY KEY,
    code        VARCHAR(32)  NOT NULL,
    name        VARCHAR(200) NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT uq_subsidiary_code UNIQUE (code)
);

CREATE TABLE crm_user (
    id                  BIGSERIAL PRIMARY KEY,
    login               VARCHAR(64)  NOT NULL,
    display_name        VARCHAR(200) NOT NULL,
    password_hash       VARCHAR(255) NOT NULL,
    home_subsidiary_id  BIGINT REFERENCES crm_subsidiary (id),
    enabled             BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    version             BIGINT       NOT NULL DEFAULT 1,
    CONSTRAINT uq_user_login UNIQUE (login)
);

CREATE TABLE crm_user_subsidiary (
    user_id        BIGINT NOT NULL REFERENCES crm_user (id),
    subsidiary_id  BIGINT NOT NULL REFERENCES crm_subsidiary (id),
    PRIMARY KEY (user_id, subsidiary_id)
);

CREATE TABLE crm_user_role (
    user_id  BIGINT      NOT NULL REFERENCES crm_user (id),
    role     VARCHAR(64) NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE crm_customer (
    id             BIGSERIAL PRIMARY KEY,
    subsidiary_id  BIGINT       NOT NULL REFERENCES crm_subsidiary (id),
    name           VARCHAR(200) NOT NULL,
    phone          VARCHAR(40),
    email          VARCHAR(254),
    occupation     VARCHAR(100),
    birth_year     INTEGER,
    address        VARCHAR(500),
    notes          TEXT,
    owner_id       BIGINT       NOT NULL REFERENCES crm_user (id),
    entered_by_id  BIGINT       NOT NULL REFERENCES crm_user (id),
    created_at     TIMESTAMPTZ  NOT NULL,
    updated_at     TIMESTAMPTZ  NOT NULL,
    version        BIGINT       NOT NULL,
    archived       BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX ix_customer_sub_name ON crm_customer (subsidiary_id, lower(name));
CREATE INDEX ix_customer_sub_phone ON crm_customer (subsidiary_id, phone);
CREATE INDEX ix_customer_sub_owner ON crm_customer (subsidiary_id, owner_id);

CREATE TABLE crm_contact (
    id             BIGSERIAL PRIMARY KEY,
    subsidiary_id  BIGINT       NOT NULL REFERENCES crm_subsidiary (id),
    customer_id    BIGINT       NOT NULL REFERENCES crm_customer (id),
    name           VARCHAR(200) NOT NULL,
    job_title      VARCHAR(100),
    phone          VARCHAR(40),
    email          VARCHAR(254),
    notes          TEXT,
    created_at     TIMESTAMPTZ  NOT NULL,
    updated_at     TIMESTAMPTZ  NOT NULL,
    version        BIGINT       NOT NULL,
    archived       BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX ix_contact_customer ON crm_contact (customer_id);

CREATE TABLE crm_activity (
    id             BIGSERIAL PRIMARY KEY,
    subsidiary_id  BIGINT       NOT NULL REFERENCES crm_subsidiary (id),
    customer_id    BIGINT       NOT NULL REFERENCES crm_customer (id),
    type           VARCHAR(20)  NOT NULL,
    subject        VARCHAR(200) NOT NULL,
    notes          TEXT,
    occurred_at    TIMESTAMPTZ  NOT NULL,
    recorded_at    TIMESTAMPTZ  NOT NULL,
    owner_id       BIGINT       NOT NULL REFERENCES crm_user (id),
    entered_by_id  BIGINT       NOT NULL REFERENCES crm_user (id),
    due_at         TIMESTAMPTZ,
    done           BOOLEAN      NOT NULL DEFAULT FALSE,
    done_at        TIMESTAMPTZ,
    created_at     TIMESTAMPTZ  NOT NULL,
    updated_at     TIMESTAMPTZ  NOT NULL,
    version        BIGINT       NOT NULL,
    archived       BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX ix_activity_customer ON crm_activity (customer_id, occurred_at DESC);
CREATE INDEX ix_activity_open_due ON crm_activity (owner_id, due_at) WHERE due_at IS NOT NULL AND NOT done AND NOT archived;
--rollback DROP TABLE crm_activity; DROP TABLE crm_contact; DROP TABLE crm_customer; DROP TABLE crm_user_role; DROP TABLE crm_user_subsidiary; DROP TABLE crm_user; DROP TABLE crm_subsidiary;

--changeset crm:core-2 labels:core
--comment: each subsidiary's time zone decides what "today" means for its reminders
ALTER TABLE crm_subsidiary ADD COLUMN time_zone VARCHAR(64) NOT NULL DEFAULT 'UTC';
--rollback ALTER TABLE crm_subsidiary DROP COLUMN time_zone;

--changeset crm:core-3 labels:core
--comment: per-subsidiary module states (phased roll-out) and their history
CREATE TABLE crm_module_state (
    id             BIGSERIAL PRIMARY KEY,
    subsidiary_id  BIGINT       NOT NULL REFERENCES crm_subsidiary (id),
    module         VARCHAR(40)  NOT NULL,
    state          VARCHAR(10)  NOT NULL,
    pilot_users    TEXT         NOT NULL DEFAULT '',
    from_date      DATE,
    changed_by     VARCHAR(64)  NOT NULL,
    changed_at     TIMESTAMPTZ  NOT NULL,
    CONSTRAINT uq_module_state UNIQUE (subsidiary_id, module)
);
CREATE TABLE crm_module_state_history (
    id             BIGSERIAL PRIMARY KEY,
    subsidiary_id  BIGINT       NOT NULL REFERENCES crm_subsidiary (id),
    module         VARCHAR(40)  NOT NULL,
    from_state     VARCHAR(10)  NOT NULL,
    to_state       VARCHAR(10)  NOT NULL,
    pilot_users    TEXT         NOT NULL DEFAULT '',
    from_date      DATE,
    changed_by     VARCHAR(64)  NOT NULL,
    changed_at     TIMESTAMPTZ  NOT NULL
);
CREATE INDEX ix_module_history ON crm_module_state_history (subsidiary_id, module, changed_at DESC);
--rollback DROP TABLE crm_module_state_history; DROP TABLE crm_module_state;

--changeset crm:core-4 labels:core
--comment: who installed, upgraded or removed which plugin, and how it went
CREATE TABLE crm_plugin_action (
    id             BIGSERIAL PRIMARY KEY,
    action         VARCHAR(16)   NOT NULL,
    feature        VARCHAR(100)  NOT NULL,
    from_version   VARCHAR(64),
    to_version     VARCHAR(64),
    outcome        VARCHAR(16)   NOT NULL,
    detail         TEXT          NOT NULL DEFAULT '',
    performed_by   VARCHAR(64)   NOT NULL,
    performed_at   TIMESTAMPTZ   NOT NULL
);
CREATE INDEX ix_plugin_action_time ON crm_plugin_action (performed_at DESC);
--rollback DROP TABLE crm_plugin_action;

--changeset crm:core-5 labels:core
--comment: every change of a customer's owner, so that the customer's history survives reps who leave
CREATE TABLE crm_customer_owner_history (
    id             BIGSERIAL PRIMARY KEY,
    customer_id    BIGINT        NOT NULL REFERENCES crm_customer (id),
    subsidiary_id  BIGINT        NOT NULL REFERENCES crm_subsidiary (id),
    from_owner     VARCHAR(64)   NOT NULL,
    to_owner       VARCHAR(64)   NOT NULL,
    reason         VARCHAR(500)  NOT NULL DEFAULT '',
    changed_by     VARCHAR(64)   NOT NULL,
    changed_at     TIMESTAMPTZ   NOT NULL
);
CREATE INDEX ix_customer_owner_history ON crm_customer_owner_history (customer_id, changed_at);
--rollback DROP TABLE crm_customer_owner_history;

--changeset crm:core-6 labels:core
--comment: a customer belongs to one rep: look-ups of the exclusivity keys (phone digits, e-mail) among a subsidiary's live customers
CREATE INDEX ix_customer_sub_phone_key ON crm_customer (subsidiary_id, regexp_replace(phone, '[^0-9]', '', 'g'))
    WHERE phone IS NOT NULL AND NOT archived;
CREATE INDEX ix_customer_sub_email_key ON crm_customer (subsidiary_id, lower(email))
    WHERE email IS NOT NULL AND NOT archived;
--rollback DROP INDEX ix_customer_sub_email_key; DROP INDEX ix_customer_sub_phone_key;

--changeset crm:core-7 labels:core
--comment: who changed what, when, in which subsidiary: written in the transaction of each write; never changed through the API
CREATE TABLE crm_audit (
    id             BIGSERIAL PRIMARY KEY,
    subsidiary_id  BIGINT        REFERENCES crm_subsidiary (id),
    entity         VARCHAR(40)   NOT NULL,
    entity_id      VARCHAR(64)   NOT NULL,
    action         VARCHAR(20)   NOT NULL,
    changes        TEXT          NOT NULL,
    actor          VARCHAR(64)   NOT NULL,
    at             TIMESTAMPTZ   NOT NULL
);
CREATE INDEX ix_audit_entity ON crm_audit (entity, entity_id, at);
CREATE INDEX ix_audit_subsidiary_time ON crm_audit (subsidiary_id, at);
--rollback DROP TABLE crm_audit;

--changeset crm:core-8 labels:core
--comment: API tokens for integrations: stored as SHA-256 of the secret, shown once, revocable
CREATE TABLE crm_api_token (
    id             BIGSERIAL PRIMARY KEY,
    user_id        BIGINT        NOT NULL REFERENCES crm_user (id),
    name           VARCHAR(100)  NOT NULL,
    prefix         VARCHAR(16)   NOT NULL UNIQUE,
    secret_hash    VARCHAR(64)   NOT NULL,
    created_at     TIMESTAMPTZ   NOT NULL,
    last_used_at   TIMESTAMPTZ,
    revoked_at     TIMESTAMPTZ
);
CREATE INDEX ix_api_token_user ON crm_api_token (user_id);
--rollback DROP TABLE crm_api_token;

--changeset crm:core-9 labels:core
--comment: sales teams: a user belongs to at most one team of their home subsidiary (funnels and visibility by team)
ALTER TABLE crm_user ADD COLUMN team VARCHAR(64);
CREATE INDEX ix_user_home_team ON crm_user (home_subsidiary_id, team) WHERE team IS NOT NULL;
--rollback DROP INDEX ix_user_home_team; ALTER TABLE crm_user DROP COLUMN team;

--changeset crm:core-10 labels:core
--comment: electronic approval: requests of a subsidiary with ordered review steps, each decided by a holder of a position
CREATE TABLE crm_approval (
    id                 BIGSERIAL PRIMARY KEY,
    subsidiary_id      BIGINT         NOT NULL REFERENCES crm_subsidiary (id),
    type               VARCHAR(40)    NOT NULL,
    subject_type       VARCHAR(40)    NOT NULL,
    subject_id         VARCHAR(64)    NOT NULL,
    summary            VARCHAR(2000)  NOT NULL,
    status             VARCHAR(16)    NOT NULL,
    current_step       INTEGER,
    current_step_role  VARCHAR(64),
    submitted_by_id    BIGINT         NOT NULL REFERENCES crm_user (id),
    closed_at          TIMESTAMPTZ,
    created_at         TIMESTAMPTZ    NOT NULL,
    updated_at         TIMESTAMPTZ    NOT NULL,
    version            BIGINT         NOT NULL,
    CONSTRAINT ck_approval_current CHECK ((status = 'PENDING') = (current_step IS NOT NULL AND current_step_role IS NOT NULL))
);
CREATE TABLE crm_approval_step (
    id                 BIGSERIAL PRIMARY KEY,
    approval_id        BIGINT         NOT NULL REFERENCES crm_approval (id),
    position           INTEGER        NOT NULL,
    role               VARCHAR(64)    NOT NULL,
    status             VARCHAR(16)    NOT NULL,
    decided_by_id      BIGINT         REFERENCES crm_user (id),
    decided_at         TIMESTAMPTZ,
    comment            VARCHAR(2000),
    CONSTRAINT uq_approval_step UNIQUE (approval_id, position)
);
-- the reviewers' queues: pending requests of a subsidiary waiting for a role, oldest first
CREATE INDEX ix_approval_pending ON crm_approval (subsidiary_id, current_step_role, created_at) WHERE status = 'PENDING';
CREATE INDEX ix_approval_submitter ON crm_approval (subsidiary_id, submitted_by_id, created_at DESC);
CREATE INDEX ix_approval_subject ON crm_approval (subsidiary_id, subject_type, subject_id);
CREATE INDEX ix_approval_sub_type ON crm_approval (subsidiary_id, type, created_at DESC);
--rollback DROP TABLE crm_approval_step; DROP TABLE crm_approval;
--changeset crm:core-11 labels:core
--comment: sales assistants work for reps: they see the reps' customers and enter records on their behalf
CREATE TABLE crm_user_assistant (
    assistant_id   BIGINT NOT NULL REFERENCES crm_user (id),
    rep_id         BIGINT NOT NULL REFERENCES crm_user (id),
    PRIMARY KEY (assistant_id, rep_id),
    CHECK (assistant_id <> rep_id)
);
CREATE INDEX ix_user_assistant_rep ON crm_user_assistant (rep_id);
--rollback DROP TABLE crm_user_assistant;
--changeset crm:core-12 labels:core
--comment: a subsidiary's adjustments of the rights positions hold over resource types (the defaults ship in code)
CREATE TABLE crm_right_grant (
    id              BIGSERIAL PRIMARY KEY,
    subsidiary_id   BIGINT        NOT NULL REFERENCES crm_subsidiary (id),
    resource_type   VARCHAR(81)   NOT NULL,
    position        VARCHAR(64)   NOT NULL,
    rights          VARCHAR(64)   NOT NULL,
    changed_by      VARCHAR(64)   NOT NULL,
    changed_at      TIMESTAMPTZ   NOT NULL,
    CONSTRAINT uq_right_grant UNIQUE (subsidiary_id, resource_type, position)
);
--rollback DROP TABLE crm_right_grant;
--changeset crm:core-13 labels:core
--comment: audit ids of grants are "<resource type>/<position>", up to 98 characters
ALTER TABLE crm_audit ALTER COLUMN entity_id TYPE VARCHAR(128);
--rollback ALTER TABLE crm_audit ALTER COLUMN entity_id TYPE VARCHAR(64);
--changeset crm:core-14 labels:core
--comment: a subsidiary chooses whether its sales reps see their own customers only or also their sales team's
ALTER TABLE crm_subsidiary ADD COLUMN record_visibility VARCHAR(8) NOT NULL DEFAULT 'OWN'
    CONSTRAINT ck_subsidiary_record_visibility CHECK (record_visibility IN ('OWN', 'TEAM'));
--rollback ALTER TABLE crm_subsidiary DROP COLUMN record_visibility;
