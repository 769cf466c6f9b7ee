--liquibase formatted sql

--changeset memo:memo-1
--comment: memos on customers, per subsidiary
CREATE TABLE crm_memo (
    id             BIGSERIAL PRIMARY KEY,
    subsidiary     VARCHAR(32)   NOT NULL,
    customer_id    BIGINT        NOT NULL,
    text           TEXT          NOT NULL,
    created_by     VARCHAR(64)   NOT NULL,
    created_at     TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX ix_memo_customer ON crm_memo (subsidiary, customer_id);
CREATE TABLE crm_memo_provisioned (
    subsidiary     VARCHAR(32)   PRIMARY KEY,
    provisioned_at TIMESTAMPTZ   NOT NULL DEFAULT now()
);
--rollback DROP TABLE crm_memo_provisioned; DROP TABLE crm_memo;
