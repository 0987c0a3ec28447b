--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: access_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.access_tokens (
    token_hash text NOT NULL,
    key_id text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL
);


--
-- Name: account_controls; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.account_controls (
    account_no text NOT NULL COLLATE pg_catalog."C",
    status text NOT NULL,
    max_transaction_amount bigint,
    daily_spend_limit bigint,
    blocked_merchant_categories text DEFAULT ''::text NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT account_controls_daily_spend_limit_check CHECK ((daily_spend_limit > 0)),
    CONSTRAINT account_controls_max_transaction_amount_check CHECK ((max_transaction_amount > 0)),
    CONSTRAINT account_controls_status_check CHECK ((status = ANY (ARRAY['ACTIVE'::text, 'BLOCKED'::text])))
);


--
-- Name: accounts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.accounts (
    account_no text NOT NULL COLLATE pg_catalog."C",
    currency character(3) NOT NULL,
    exponent smallint NOT NULL,
    posted bigint DEFAULT 0 NOT NULL,
    held bigint DEFAULT 0 NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT accounts_exponent_check CHECK (((exponent >= 0) AND (exponent <= 9))),
    CONSTRAINT accounts_held_check CHECK ((held >= 0)),
    CONSTRAINT ck_accounts_held_range CHECK ((held <= '1000000000000000000'::bigint)),
    CONSTRAINT ck_accounts_posted_range CHECK (((posted >= '-1000000000000000000'::bigint) AND (posted <= '1000000000000000000'::bigint)))
);


--
-- Name: api_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_keys (
    id text NOT NULL,
    name text NOT NULL,
    roles text NOT NULL,
    public_key text NOT NULL,
    private_key text NOT NULL,
    key_hash text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone,
    revoked_at timestamp with time zone,
    last_used_at timestamp with time zone
);


--
-- Name: audit_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_log (
    id bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    key_id text,
    key_name text NOT NULL,
    action text NOT NULL,
    target text NOT NULL,
    before_json text,
    after_json text,
    trace_id text
);


--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.audit_log ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: authorisation_decisions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.authorisation_decisions (
    transaction_id text NOT NULL COLLATE pg_catalog."C",
    version bigint NOT NULL,
    account_no text COLLATE pg_catalog."C",
    result text NOT NULL,
    result_detail text NOT NULL,
    result_message text,
    approved_amount bigint,
    hold_amount bigint NOT NULL,
    amount bigint,
    currency character(3),
    exponent smallint,
    reason text NOT NULL,
    latency_ms double precision NOT NULL,
    timed_out boolean NOT NULL,
    revoked boolean DEFAULT false NOT NULL,
    decided_at timestamp with time zone NOT NULL,
    CONSTRAINT authorisation_decisions_hold_amount_check CHECK ((hold_amount >= 0))
);


--
-- Name: authorisation_standins; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.authorisation_standins (
    transaction_id text NOT NULL COLLATE pg_catalog."C",
    version bigint NOT NULL,
    result text NOT NULL,
    result_detail text NOT NULL,
    reason text NOT NULL,
    answered_at timestamp with time zone NOT NULL,
    resolved_at timestamp with time zone,
    resolution text,
    CONSTRAINT authorisation_standins_resolution_check CHECK ((resolution = ANY (ARRAY['revoked'::text, 'already_agrees'::text, 'decided_later'::text, 'no_decision'::text])))
);


--
-- Name: data_protection_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.data_protection_keys (
    name text NOT NULL,
    xml text NOT NULL
);


--
-- Name: delivery_attempts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.delivery_attempts (
    id bigint NOT NULL,
    delivery_id bigint NOT NULL,
    attempt integer NOT NULL,
    attempted_at timestamp with time zone NOT NULL,
    status_code integer,
    latency_ms double precision NOT NULL,
    error text
);


--
-- Name: delivery_attempts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.delivery_attempts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.delivery_attempts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: hmac_nonces; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.hmac_nonces (
    public_key text NOT NULL,
    nonce text NOT NULL,
    seen_at timestamp with time zone NOT NULL
);


--
-- Name: instruction_links; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.instruction_links (
    transaction_id text NOT NULL,
    order_ref text NOT NULL,
    instruction_ref text NOT NULL,
    metadata text,
    last_status text,
    last_version bigint,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT instruction_links_instruction_ref_check CHECK ((instruction_ref ~ '^[a-zA-Z0-9._-]{1,50}$'::text)),
    CONSTRAINT instruction_links_last_status_check CHECK ((last_status = ANY (ARRAY['PROCESSING'::text, 'SETTLED'::text, 'FAILED'::text, 'VOID'::text]))),
    CONSTRAINT instruction_links_order_ref_check CHECK ((order_ref ~ '^[a-zA-Z0-9._-]{1,50}$'::text))
);


--
-- Name: journal; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.journal (
    id bigint NOT NULL,
    transaction_id text NOT NULL COLLATE pg_catalog."C",
    version bigint NOT NULL,
    account_no text NOT NULL COLLATE pg_catalog."C",
    kind text NOT NULL,
    amount bigint NOT NULL,
    currency character(3) NOT NULL,
    exponent smallint NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT journal_amount_check CHECK ((amount <> 0)),
    CONSTRAINT journal_kind_check CHECK ((kind = ANY (ARRAY['posting'::text, 'hold'::text])))
);


--
-- Name: journal_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.journal ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.journal_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: outbox_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.outbox_events (
    id bigint NOT NULL,
    event_id text NOT NULL COLLATE pg_catalog."C",
    event_type text NOT NULL,
    transaction_id text COLLATE pg_catalog."C",
    version bigint,
    account_no text,
    payload text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    fanned_out boolean DEFAULT false NOT NULL,
    subject text,
    trace_parent text
);


--
-- Name: outbox_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.outbox_events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.outbox_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    id integer NOT NULL,
    name text NOT NULL,
    applied_at text NOT NULL,
    checksum text
);


--
-- Name: transaction_versions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.transaction_versions (
    seq bigint NOT NULL,
    transaction_id text NOT NULL COLLATE pg_catalog."C",
    version bigint NOT NULL,
    outcome text NOT NULL,
    payload_hash bytea NOT NULL,
    flags integer NOT NULL,
    raw_json text,
    received_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_transaction_versions_body CHECK (((raw_json IS NOT NULL) OR (outcome = ANY (ARRAY['duplicate'::text, 'stale'::text, 'conflict'::text])))),
    CONSTRAINT transaction_versions_outcome_check CHECK ((outcome = ANY (ARRAY['applied'::text, 'duplicate'::text, 'stale'::text, 'conflict'::text])))
);


--
-- Name: transaction_versions_seq_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.transaction_versions ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.transaction_versions_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: transactions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.transactions (
    id text NOT NULL COLLATE pg_catalog."C",
    version bigint NOT NULL,
    payload_hash bytea NOT NULL,
    status text NOT NULL,
    result text,
    result_detail text,
    direction text,
    txn_type text,
    scheme_id text,
    account_no text COLLATE pg_catalog."C",
    amount bigint,
    currency character(3),
    exponent smallint,
    effect_account text COLLATE pg_catalog."C",
    effect_currency character(3),
    effect_exponent smallint DEFAULT 0 NOT NULL,
    effect_held bigint DEFAULT 0 NOT NULL,
    effect_posted bigint DEFAULT 0 NOT NULL,
    effect_counter text COLLATE pg_catalog."C",
    flags integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    secure_auth_result text,
    effect_counter_is_account boolean DEFAULT false NOT NULL,
    CONSTRAINT ck_transactions_amount_range CHECK (((amount IS NULL) OR ((amount >= 0) AND (amount <= '1000000000000000'::bigint)))),
    CONSTRAINT ck_transactions_effect_range CHECK (((effect_held <= '1000000000000000'::bigint) AND ((effect_posted >= '-1000000000000000'::bigint) AND (effect_posted <= '1000000000000000'::bigint)))),
    CONSTRAINT transactions_effect_held_check CHECK ((effect_held >= 0)),
    CONSTRAINT transactions_version_check CHECK ((version >= 0))
);


--
-- Name: webhook_deliveries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhook_deliveries (
    id bigint NOT NULL,
    event_id text NOT NULL COLLATE pg_catalog."C",
    endpoint_id text NOT NULL,
    state text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    lease_owner text,
    lease_until timestamp with time zone,
    last_status integer,
    last_error text,
    created_at timestamp with time zone NOT NULL,
    delivered_at timestamp with time zone,
    CONSTRAINT webhook_deliveries_state_check CHECK ((state = ANY (ARRAY['pending'::text, 'delivered'::text, 'dead'::text])))
);


--
-- Name: webhook_deliveries_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.webhook_deliveries ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.webhook_deliveries_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: webhook_endpoints; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhook_endpoints (
    id text NOT NULL,
    url text NOT NULL,
    events text NOT NULL,
    description text,
    secret text NOT NULL,
    previous_secret text,
    previous_secret_expires_at timestamp with time zone,
    status text NOT NULL,
    disabled_reason text,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    kind text DEFAULT 'webhook'::text NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT webhook_endpoints_kind_check CHECK ((kind = ANY (ARRAY['webhook'::text, 'orchestrator'::text]))),
    CONSTRAINT webhook_endpoints_status_check CHECK ((status = ANY (ARRAY['enabled'::text, 'disabled'::text])))
);


--
-- Data for Name: access_tokens; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: account_controls; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: accounts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.accounts VALUES ('ACC-1', 'GBP', 2, 96977, 1011, '2026-12-06 11:20:58.58413+00', '2026-12-06 11:21:13.734904+00');
INSERT INTO public.accounts VALUES ('ACC-2', 'GBP', 2, 96969, 1007, '2026-12-06 11:20:59.079107+00', '2026-12-06 11:21:14.58273+00');
INSERT INTO public.accounts VALUES ('ACC-3', 'GBP', 2, 96961, 1003, '2026-12-06 11:20:59.541593+00', '2026-12-06 11:21:15.415215+00');
INSERT INTO public.accounts VALUES ('ACC-4', 'GBP', 2, 96973, 1019, '2026-12-06 11:21:00.004701+00', '2026-12-06 11:21:15.804337+00');
INSERT INTO public.accounts VALUES ('ACC-0', 'GBP', 2, 96985, 1515, '2026-12-06 11:20:57.853653+00', '2026-12-06 11:21:17.586355+00');


--
-- Data for Name: api_keys; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: audit_log; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: authorisation_decisions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.authorisation_decisions VALUES ('FX-090', 1, 'ACC-0', 'APPROVED', 'SUCCESSFUL', NULL, NULL, 500, 500, 'GBP', 2, 'available 95970 covers amount 500', 2.4082, false, false, '2026-12-06 11:21:17.586355+00');


--
-- Data for Name: authorisation_standins; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: data_protection_keys; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: delivery_attempts; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: hmac_nonces; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: instruction_links; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: journal; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (1, 'LOAD-0', 1, 'ACC-0', 'posting', 100000, 'GBP', 2, '2026-12-06 11:20:57.853653+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (2, 'LOAD-0', 1, 'scheme:PPS_LOAD:GBP', 'posting', -100000, 'GBP', 2, '2026-12-06 11:20:57.853653+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (3, 'LOAD-1', 1, 'ACC-1', 'posting', 100000, 'GBP', 2, '2026-12-06 11:20:58.58413+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (4, 'LOAD-1', 1, 'scheme:PPS_LOAD:GBP', 'posting', -100000, 'GBP', 2, '2026-12-06 11:20:58.58413+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (5, 'LOAD-2', 1, 'ACC-2', 'posting', 100000, 'GBP', 2, '2026-12-06 11:20:59.079107+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (6, 'LOAD-2', 1, 'scheme:PPS_LOAD:GBP', 'posting', -100000, 'GBP', 2, '2026-12-06 11:20:59.079107+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (7, 'LOAD-3', 1, 'ACC-3', 'posting', 100000, 'GBP', 2, '2026-12-06 11:20:59.541593+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (8, 'LOAD-3', 1, 'scheme:PPS_LOAD:GBP', 'posting', -100000, 'GBP', 2, '2026-12-06 11:20:59.541593+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (9, 'LOAD-4', 1, 'ACC-4', 'posting', 100000, 'GBP', 2, '2026-12-06 11:21:00.004701+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (10, 'LOAD-4', 1, 'scheme:PPS_LOAD:GBP', 'posting', -100000, 'GBP', 2, '2026-12-06 11:21:00.004701+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (11, 'FX-000', 1, 'ACC-0', 'hold', 1000, 'GBP', 2, '2026-12-06 11:21:00.511693+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (12, 'FX-000', 2, 'ACC-0', 'hold', -1000, 'GBP', 2, '2026-12-06 11:21:00.9597+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (13, 'FX-000', 2, 'ACC-0', 'posting', -1000, 'GBP', 2, '2026-12-06 11:21:00.9597+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (14, 'FX-000', 2, 'scheme:MC:GBP', 'posting', 1000, 'GBP', 2, '2026-12-06 11:21:00.9597+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (15, 'FX-001', 1, 'ACC-1', 'hold', 1001, 'GBP', 2, '2026-12-06 11:21:01.424272+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (16, 'FX-001', 2, 'ACC-1', 'hold', -1001, 'GBP', 2, '2026-12-06 11:21:01.847985+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (17, 'FX-001', 2, 'ACC-1', 'posting', -1001, 'GBP', 2, '2026-12-06 11:21:01.847985+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (18, 'FX-001', 2, 'scheme:MC:GBP', 'posting', 1001, 'GBP', 2, '2026-12-06 11:21:01.847985+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (19, 'FX-002', 1, 'ACC-2', 'hold', 1002, 'GBP', 2, '2026-12-06 11:21:02.27089+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (20, 'FX-002', 2, 'ACC-2', 'hold', -1002, 'GBP', 2, '2026-12-06 11:21:02.745163+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (21, 'FX-002', 2, 'ACC-2', 'posting', -1002, 'GBP', 2, '2026-12-06 11:21:02.745163+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (22, 'FX-002', 2, 'scheme:MC:GBP', 'posting', 1002, 'GBP', 2, '2026-12-06 11:21:02.745163+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (23, 'FX-003', 1, 'ACC-3', 'hold', 1003, 'GBP', 2, '2026-12-06 11:21:03.225507+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (24, 'FX-004', 1, 'ACC-4', 'hold', 1004, 'GBP', 2, '2026-12-06 11:21:03.670196+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (25, 'FX-004', 2, 'ACC-4', 'hold', -1004, 'GBP', 2, '2026-12-06 11:21:04.142921+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (26, 'FX-004', 2, 'ACC-4', 'posting', -1004, 'GBP', 2, '2026-12-06 11:21:04.142921+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (27, 'FX-004', 2, 'scheme:MC:GBP', 'posting', 1004, 'GBP', 2, '2026-12-06 11:21:04.142921+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (28, 'FX-005', 1, 'ACC-0', 'hold', 1005, 'GBP', 2, '2026-12-06 11:21:04.638006+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (29, 'FX-005', 2, 'ACC-0', 'hold', -1005, 'GBP', 2, '2026-12-06 11:21:05.110229+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (30, 'FX-005', 2, 'ACC-0', 'posting', -1005, 'GBP', 2, '2026-12-06 11:21:05.110229+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (31, 'FX-005', 2, 'scheme:MC:GBP', 'posting', 1005, 'GBP', 2, '2026-12-06 11:21:05.110229+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (32, 'FX-006', 1, 'ACC-1', 'hold', 1006, 'GBP', 2, '2026-12-06 11:21:05.622563+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (33, 'FX-006', 2, 'ACC-1', 'hold', -1006, 'GBP', 2, '2026-12-06 11:21:06.093091+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (34, 'FX-006', 2, 'ACC-1', 'posting', -1006, 'GBP', 2, '2026-12-06 11:21:06.093091+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (35, 'FX-006', 2, 'scheme:MC:GBP', 'posting', 1006, 'GBP', 2, '2026-12-06 11:21:06.093091+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (36, 'FX-007', 1, 'ACC-2', 'hold', 1007, 'GBP', 2, '2026-12-06 11:21:06.53039+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (37, 'FX-008', 1, 'ACC-3', 'hold', 1008, 'GBP', 2, '2026-12-06 11:21:06.969181+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (38, 'FX-008', 2, 'ACC-3', 'hold', -1008, 'GBP', 2, '2026-12-06 11:21:07.450508+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (39, 'FX-008', 2, 'ACC-3', 'posting', -1008, 'GBP', 2, '2026-12-06 11:21:07.450508+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (40, 'FX-008', 2, 'scheme:MC:GBP', 'posting', 1008, 'GBP', 2, '2026-12-06 11:21:07.450508+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (41, 'FX-009', 1, 'ACC-4', 'hold', 1009, 'GBP', 2, '2026-12-06 11:21:07.893388+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (42, 'FX-009', 2, 'ACC-4', 'hold', -1009, 'GBP', 2, '2026-12-06 11:21:08.366336+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (43, 'FX-009', 2, 'ACC-4', 'posting', -1009, 'GBP', 2, '2026-12-06 11:21:08.366336+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (44, 'FX-009', 2, 'scheme:MC:GBP', 'posting', 1009, 'GBP', 2, '2026-12-06 11:21:08.366336+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (45, 'FX-010', 1, 'ACC-0', 'hold', 1010, 'GBP', 2, '2026-12-06 11:21:08.773896+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (46, 'FX-010', 2, 'ACC-0', 'hold', -1010, 'GBP', 2, '2026-12-06 11:21:09.224186+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (47, 'FX-010', 2, 'ACC-0', 'posting', -1010, 'GBP', 2, '2026-12-06 11:21:09.224186+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (48, 'FX-010', 2, 'scheme:MC:GBP', 'posting', 1010, 'GBP', 2, '2026-12-06 11:21:09.224186+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (49, 'FX-011', 1, 'ACC-1', 'hold', 1011, 'GBP', 2, '2026-12-06 11:21:09.646437+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (50, 'FX-012', 1, 'ACC-2', 'hold', 1012, 'GBP', 2, '2026-12-06 11:21:10.056777+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (51, 'FX-012', 2, 'ACC-2', 'hold', -1012, 'GBP', 2, '2026-12-06 11:21:10.490119+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (52, 'FX-012', 2, 'ACC-2', 'posting', -1012, 'GBP', 2, '2026-12-06 11:21:10.490119+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (53, 'FX-012', 2, 'scheme:MC:GBP', 'posting', 1012, 'GBP', 2, '2026-12-06 11:21:10.490119+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (54, 'FX-013', 1, 'ACC-3', 'hold', 1013, 'GBP', 2, '2026-12-06 11:21:10.953102+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (55, 'FX-013', 2, 'ACC-3', 'hold', -1013, 'GBP', 2, '2026-12-06 11:21:11.388726+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (56, 'FX-013', 2, 'ACC-3', 'posting', -1013, 'GBP', 2, '2026-12-06 11:21:11.388726+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (57, 'FX-013', 2, 'scheme:MC:GBP', 'posting', 1013, 'GBP', 2, '2026-12-06 11:21:11.388726+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (58, 'FX-014', 1, 'ACC-4', 'hold', 1014, 'GBP', 2, '2026-12-06 11:21:11.827128+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (59, 'FX-014', 2, 'ACC-4', 'hold', -1014, 'GBP', 2, '2026-12-06 11:21:12.342854+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (60, 'FX-014', 2, 'ACC-4', 'posting', -1014, 'GBP', 2, '2026-12-06 11:21:12.342854+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (61, 'FX-014', 2, 'scheme:MC:GBP', 'posting', 1014, 'GBP', 2, '2026-12-06 11:21:12.342854+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (62, 'FX-015', 1, 'ACC-0', 'hold', 1015, 'GBP', 2, '2026-12-06 11:21:12.840933+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (63, 'FX-016', 1, 'ACC-1', 'hold', 1016, 'GBP', 2, '2026-12-06 11:21:13.296931+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (64, 'FX-016', 2, 'ACC-1', 'hold', -1016, 'GBP', 2, '2026-12-06 11:21:13.734904+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (65, 'FX-016', 2, 'ACC-1', 'posting', -1016, 'GBP', 2, '2026-12-06 11:21:13.734904+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (66, 'FX-016', 2, 'scheme:MC:GBP', 'posting', 1016, 'GBP', 2, '2026-12-06 11:21:13.734904+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (67, 'FX-017', 1, 'ACC-2', 'hold', 1017, 'GBP', 2, '2026-12-06 11:21:14.166953+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (68, 'FX-017', 2, 'ACC-2', 'hold', -1017, 'GBP', 2, '2026-12-06 11:21:14.58273+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (69, 'FX-017', 2, 'ACC-2', 'posting', -1017, 'GBP', 2, '2026-12-06 11:21:14.58273+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (70, 'FX-017', 2, 'scheme:MC:GBP', 'posting', 1017, 'GBP', 2, '2026-12-06 11:21:14.58273+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (71, 'FX-018', 1, 'ACC-3', 'hold', 1018, 'GBP', 2, '2026-12-06 11:21:15.012486+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (72, 'FX-018', 2, 'ACC-3', 'hold', -1018, 'GBP', 2, '2026-12-06 11:21:15.415215+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (73, 'FX-018', 2, 'ACC-3', 'posting', -1018, 'GBP', 2, '2026-12-06 11:21:15.415215+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (74, 'FX-018', 2, 'scheme:MC:GBP', 'posting', 1018, 'GBP', 2, '2026-12-06 11:21:15.415215+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (75, 'FX-019', 1, 'ACC-4', 'hold', 1019, 'GBP', 2, '2026-12-06 11:21:15.804337+00');
INSERT INTO public.journal OVERRIDING SYSTEM VALUE VALUES (76, 'FX-090', 1, 'ACC-0', 'hold', 500, 'GBP', 2, '2026-12-06 11:21:17.586355+00');


--
-- Data for Name: outbox_events; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (1, 'evt_b68566263ae49b6bc3422ecdb4', 'transaction.updated', 'LOAD-0', 1, 'ACC-0', '{"id":"evt_b68566263ae49b6bc3422ecdb4","type":"transaction.updated","created_at":"2026-12-06T11:20:57.8536531Z","data":{"transaction_id":"LOAD-0","version":1,"status":"COMPLETE","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"CREDIT","txn_type":"LOAD","scheme_id":"PPS_LOAD","account_no":"ACC-0","amount":{"amount":100000,"currency":{"code":"GBP","exponent":2}},"held":0,"posted":100000,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:20:57.853653+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (2, 'evt_f3b8c2fcfc11d49c6133dac406', 'transaction.updated', 'LOAD-1', 1, 'ACC-1', '{"id":"evt_f3b8c2fcfc11d49c6133dac406","type":"transaction.updated","created_at":"2026-12-06T11:20:58.5841306Z","data":{"transaction_id":"LOAD-1","version":1,"status":"COMPLETE","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"CREDIT","txn_type":"LOAD","scheme_id":"PPS_LOAD","account_no":"ACC-1","amount":{"amount":100000,"currency":{"code":"GBP","exponent":2}},"held":0,"posted":100000,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:20:58.58413+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (3, 'evt_9b33ad6f211d2dbf31f81c53ce', 'transaction.updated', 'LOAD-2', 1, 'ACC-2', '{"id":"evt_9b33ad6f211d2dbf31f81c53ce","type":"transaction.updated","created_at":"2026-12-06T11:20:59.0791077Z","data":{"transaction_id":"LOAD-2","version":1,"status":"COMPLETE","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"CREDIT","txn_type":"LOAD","scheme_id":"PPS_LOAD","account_no":"ACC-2","amount":{"amount":100000,"currency":{"code":"GBP","exponent":2}},"held":0,"posted":100000,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:20:59.079107+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (4, 'evt_afb1cef408648dfbf8ae441059', 'transaction.updated', 'LOAD-3', 1, 'ACC-3', '{"id":"evt_afb1cef408648dfbf8ae441059","type":"transaction.updated","created_at":"2026-12-06T11:20:59.5415933Z","data":{"transaction_id":"LOAD-3","version":1,"status":"COMPLETE","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"CREDIT","txn_type":"LOAD","scheme_id":"PPS_LOAD","account_no":"ACC-3","amount":{"amount":100000,"currency":{"code":"GBP","exponent":2}},"held":0,"posted":100000,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:20:59.541593+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (5, 'evt_6a133c7bc34b96ebeb71a088ba', 'transaction.updated', 'LOAD-4', 1, 'ACC-4', '{"id":"evt_6a133c7bc34b96ebeb71a088ba","type":"transaction.updated","created_at":"2026-12-06T11:21:00.0047012Z","data":{"transaction_id":"LOAD-4","version":1,"status":"COMPLETE","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"CREDIT","txn_type":"LOAD","scheme_id":"PPS_LOAD","account_no":"ACC-4","amount":{"amount":100000,"currency":{"code":"GBP","exponent":2}},"held":0,"posted":100000,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:00.004701+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (6, 'evt_2eca0933af2c73d0aa16f55709', 'transaction.updated', 'FX-000', 1, 'ACC-0', '{"id":"evt_2eca0933af2c73d0aa16f55709","type":"transaction.updated","created_at":"2026-12-06T11:21:00.511693Z","data":{"transaction_id":"FX-000","version":1,"status":"AUTHORISED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-0","amount":{"amount":1000,"currency":{"code":"GBP","exponent":2}},"held":1000,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:00.511693+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (7, 'evt_f15c9e0942e5aa371e59006617', 'transaction.updated', 'FX-000', 2, 'ACC-0', '{"id":"evt_f15c9e0942e5aa371e59006617","type":"transaction.updated","created_at":"2026-12-06T11:21:00.9597001Z","data":{"transaction_id":"FX-000","version":2,"status":"COMPLETE","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-0","amount":{"amount":1000,"currency":{"code":"GBP","exponent":2}},"held":0,"posted":-1000,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:00.9597+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (8, 'evt_5017e8a045fbe03091816766bd', 'transaction.updated', 'FX-001', 1, 'ACC-1', '{"id":"evt_5017e8a045fbe03091816766bd","type":"transaction.updated","created_at":"2026-12-06T11:21:01.4242729Z","data":{"transaction_id":"FX-001","version":1,"status":"AUTHORISED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-1","amount":{"amount":1001,"currency":{"code":"GBP","exponent":2}},"held":1001,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:01.424272+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (9, 'evt_934e2b9bbd1de4c5446b776d9f', 'transaction.updated', 'FX-001', 2, 'ACC-1', '{"id":"evt_934e2b9bbd1de4c5446b776d9f","type":"transaction.updated","created_at":"2026-12-06T11:21:01.8479859Z","data":{"transaction_id":"FX-001","version":2,"status":"COMPLETE","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-1","amount":{"amount":1001,"currency":{"code":"GBP","exponent":2}},"held":0,"posted":-1001,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:01.847985+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (10, 'evt_428cb1740abff1c3e9bea3929a', 'transaction.updated', 'FX-002', 1, 'ACC-2', '{"id":"evt_428cb1740abff1c3e9bea3929a","type":"transaction.updated","created_at":"2026-12-06T11:21:02.2708908Z","data":{"transaction_id":"FX-002","version":1,"status":"AUTHORISED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-2","amount":{"amount":1002,"currency":{"code":"GBP","exponent":2}},"held":1002,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:02.27089+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (11, 'evt_ce405dee680363ac234c62aaaf', 'transaction.updated', 'FX-002', 2, 'ACC-2', '{"id":"evt_ce405dee680363ac234c62aaaf","type":"transaction.updated","created_at":"2026-12-06T11:21:02.7451636Z","data":{"transaction_id":"FX-002","version":2,"status":"COMPLETE","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-2","amount":{"amount":1002,"currency":{"code":"GBP","exponent":2}},"held":0,"posted":-1002,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:02.745163+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (12, 'evt_a311c7ba06c300b8a9412950d8', 'transaction.updated', 'FX-003', 1, 'ACC-3', '{"id":"evt_a311c7ba06c300b8a9412950d8","type":"transaction.updated","created_at":"2026-12-06T11:21:03.2255074Z","data":{"transaction_id":"FX-003","version":1,"status":"AUTHORISED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-3","amount":{"amount":1003,"currency":{"code":"GBP","exponent":2}},"held":1003,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:03.225507+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (13, 'evt_1972ca593107c116b2626e09f3', 'transaction.updated', 'FX-004', 1, 'ACC-4', '{"id":"evt_1972ca593107c116b2626e09f3","type":"transaction.updated","created_at":"2026-12-06T11:21:03.6701962Z","data":{"transaction_id":"FX-004","version":1,"status":"AUTHORISED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-4","amount":{"amount":1004,"currency":{"code":"GBP","exponent":2}},"held":1004,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:03.670196+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (14, 'evt_c19a766ed3e00dc84278bd3995', 'transaction.updated', 'FX-004', 2, 'ACC-4', '{"id":"evt_c19a766ed3e00dc84278bd3995","type":"transaction.updated","created_at":"2026-12-06T11:21:04.1429211Z","data":{"transaction_id":"FX-004","version":2,"status":"COMPLETE","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-4","amount":{"amount":1004,"currency":{"code":"GBP","exponent":2}},"held":0,"posted":-1004,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:04.142921+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (19, 'evt_1c2267a79d473bf2bb684e8489', 'transaction.updated', 'FX-007', 1, 'ACC-2', '{"id":"evt_1c2267a79d473bf2bb684e8489","type":"transaction.updated","created_at":"2026-12-06T11:21:06.5303902Z","data":{"transaction_id":"FX-007","version":1,"status":"AUTHORISED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-2","amount":{"amount":1007,"currency":{"code":"GBP","exponent":2}},"held":1007,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:06.53039+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (24, 'evt_d4afb4ffcc2bf8e50a7b1bb865', 'transaction.updated', 'FX-010', 1, 'ACC-0', '{"id":"evt_d4afb4ffcc2bf8e50a7b1bb865","type":"transaction.updated","created_at":"2026-12-06T11:21:08.7738966Z","data":{"transaction_id":"FX-010","version":1,"status":"AUTHORISED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-0","amount":{"amount":1010,"currency":{"code":"GBP","exponent":2}},"held":1010,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:08.773896+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (25, 'evt_9aeb9e121172fb314ff8063db1', 'transaction.updated', 'FX-010', 2, 'ACC-0', '{"id":"evt_9aeb9e121172fb314ff8063db1","type":"transaction.updated","created_at":"2026-12-06T11:21:09.2241864Z","data":{"transaction_id":"FX-010","version":2,"status":"COMPLETE","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-0","amount":{"amount":1010,"currency":{"code":"GBP","exponent":2}},"held":0,"posted":-1010,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:09.224186+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (29, 'evt_fe90800165de3654c75d380058', 'transaction.updated', 'FX-013', 1, 'ACC-3', '{"id":"evt_fe90800165de3654c75d380058","type":"transaction.updated","created_at":"2026-12-06T11:21:10.9531022Z","data":{"transaction_id":"FX-013","version":1,"status":"AUTHORISED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-3","amount":{"amount":1013,"currency":{"code":"GBP","exponent":2}},"held":1013,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:10.953102+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (30, 'evt_1f227a1a745f35fb5f720f080a', 'transaction.updated', 'FX-013', 2, 'ACC-3', '{"id":"evt_1f227a1a745f35fb5f720f080a","type":"transaction.updated","created_at":"2026-12-06T11:21:11.3887265Z","data":{"transaction_id":"FX-013","version":2,"status":"COMPLETE","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-3","amount":{"amount":1013,"currency":{"code":"GBP","exponent":2}},"held":0,"posted":-1013,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:11.388726+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (33, 'evt_385fe74ee92dbd9c60df352ba8', 'transaction.updated', 'FX-015', 1, 'ACC-0', '{"id":"evt_385fe74ee92dbd9c60df352ba8","type":"transaction.updated","created_at":"2026-12-06T11:21:12.8409334Z","data":{"transaction_id":"FX-015","version":1,"status":"AUTHORISED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-0","amount":{"amount":1015,"currency":{"code":"GBP","exponent":2}},"held":1015,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:12.840933+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (34, 'evt_6a85e50667fb1150c74192c935', 'transaction.updated', 'FX-016', 1, 'ACC-1', '{"id":"evt_6a85e50667fb1150c74192c935","type":"transaction.updated","created_at":"2026-12-06T11:21:13.2969312Z","data":{"transaction_id":"FX-016","version":1,"status":"AUTHORISED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-1","amount":{"amount":1016,"currency":{"code":"GBP","exponent":2}},"held":1016,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:13.296931+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (38, 'evt_7d9b70b1e2d25afea90e39c729', 'transaction.updated', 'FX-018', 1, 'ACC-3', '{"id":"evt_7d9b70b1e2d25afea90e39c729","type":"transaction.updated","created_at":"2026-12-06T11:21:15.0124861Z","data":{"transaction_id":"FX-018","version":1,"status":"AUTHORISED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-3","amount":{"amount":1018,"currency":{"code":"GBP","exponent":2}},"held":1018,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:15.012486+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (39, 'evt_67db09857c442223ff59f9227f', 'transaction.updated', 'FX-018', 2, 'ACC-3', '{"id":"evt_67db09857c442223ff59f9227f","type":"transaction.updated","created_at":"2026-12-06T11:21:15.4152157Z","data":{"transaction_id":"FX-018","version":2,"status":"COMPLETE","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-3","amount":{"amount":1018,"currency":{"code":"GBP","exponent":2}},"held":0,"posted":-1018,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:15.415215+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (41, 'evt_991a4abd7961059177ea63ae9c', 'authorisation.decided', 'FX-090', 1, 'ACC-0', '{"id":"evt_991a4abd7961059177ea63ae9c","type":"authorisation.decided","created_at":"2026-12-06T11:21:17.5863553Z","data":{"transaction_id":"FX-090","version":1,"account_no":"ACC-0","result":"APPROVED","result_detail":"SUCCESSFUL","result_message":null,"amount":{"amount":500,"currency":{"code":"GBP","exponent":2}},"approved_amount":null,"hold_amount":500,"reason":"available 95970 covers amount 500","timed_out":false,"revoked":false,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:17.586355+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (15, 'evt_77c6ccddf59a9e5a09d6279176', 'transaction.updated', 'FX-005', 1, 'ACC-0', '{"id":"evt_77c6ccddf59a9e5a09d6279176","type":"transaction.updated","created_at":"2026-12-06T11:21:04.6380068Z","data":{"transaction_id":"FX-005","version":1,"status":"AUTHORISED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-0","amount":{"amount":1005,"currency":{"code":"GBP","exponent":2}},"held":1005,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:04.638006+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (16, 'evt_cd14f789208bcc3d7d5f112520', 'transaction.updated', 'FX-005', 2, 'ACC-0', '{"id":"evt_cd14f789208bcc3d7d5f112520","type":"transaction.updated","created_at":"2026-12-06T11:21:05.1102293Z","data":{"transaction_id":"FX-005","version":2,"status":"COMPLETE","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-0","amount":{"amount":1005,"currency":{"code":"GBP","exponent":2}},"held":0,"posted":-1005,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:05.110229+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (20, 'evt_51f5a5fd32d1650a55d4728394', 'transaction.updated', 'FX-008', 1, 'ACC-3', '{"id":"evt_51f5a5fd32d1650a55d4728394","type":"transaction.updated","created_at":"2026-12-06T11:21:06.9691817Z","data":{"transaction_id":"FX-008","version":1,"status":"AUTHORISED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-3","amount":{"amount":1008,"currency":{"code":"GBP","exponent":2}},"held":1008,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:06.969181+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (21, 'evt_87eaf56733ce9678f8bfbaa48d', 'transaction.updated', 'FX-008', 2, 'ACC-3', '{"id":"evt_87eaf56733ce9678f8bfbaa48d","type":"transaction.updated","created_at":"2026-12-06T11:21:07.4505082Z","data":{"transaction_id":"FX-008","version":2,"status":"COMPLETE","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-3","amount":{"amount":1008,"currency":{"code":"GBP","exponent":2}},"held":0,"posted":-1008,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:07.450508+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (26, 'evt_2cff6bfc33149d2b8a6eaea74c', 'transaction.updated', 'FX-011', 1, 'ACC-1', '{"id":"evt_2cff6bfc33149d2b8a6eaea74c","type":"transaction.updated","created_at":"2026-12-06T11:21:09.6464371Z","data":{"transaction_id":"FX-011","version":1,"status":"AUTHORISED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-1","amount":{"amount":1011,"currency":{"code":"GBP","exponent":2}},"held":1011,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:09.646437+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (31, 'evt_d1f0e846b9efffb41d085dc5cf', 'transaction.updated', 'FX-014', 1, 'ACC-4', '{"id":"evt_d1f0e846b9efffb41d085dc5cf","type":"transaction.updated","created_at":"2026-12-06T11:21:11.8271286Z","data":{"transaction_id":"FX-014","version":1,"status":"AUTHORISED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-4","amount":{"amount":1014,"currency":{"code":"GBP","exponent":2}},"held":1014,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:11.827128+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (35, 'evt_b48606141b74342d3703bfc302', 'transaction.updated', 'FX-016', 2, 'ACC-1', '{"id":"evt_b48606141b74342d3703bfc302","type":"transaction.updated","created_at":"2026-12-06T11:21:13.7349044Z","data":{"transaction_id":"FX-016","version":2,"status":"COMPLETE","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-1","amount":{"amount":1016,"currency":{"code":"GBP","exponent":2}},"held":0,"posted":-1016,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:13.734904+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (36, 'evt_b19a396a791d6bab75b27c4105', 'transaction.updated', 'FX-017', 1, 'ACC-2', '{"id":"evt_b19a396a791d6bab75b27c4105","type":"transaction.updated","created_at":"2026-12-06T11:21:14.166953Z","data":{"transaction_id":"FX-017","version":1,"status":"AUTHORISED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-2","amount":{"amount":1017,"currency":{"code":"GBP","exponent":2}},"held":1017,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:14.166953+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (40, 'evt_51e0239be83c14bd2b7337d554', 'transaction.updated', 'FX-019', 1, 'ACC-4', '{"id":"evt_51e0239be83c14bd2b7337d554","type":"transaction.updated","created_at":"2026-12-06T11:21:15.8043375Z","data":{"transaction_id":"FX-019","version":1,"status":"AUTHORISED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-4","amount":{"amount":1019,"currency":{"code":"GBP","exponent":2}},"held":1019,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:15.804337+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (17, 'evt_0c5b9492ca93f5a13883ae8f70', 'transaction.updated', 'FX-006', 1, 'ACC-1', '{"id":"evt_0c5b9492ca93f5a13883ae8f70","type":"transaction.updated","created_at":"2026-12-06T11:21:05.6225635Z","data":{"transaction_id":"FX-006","version":1,"status":"AUTHORISED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-1","amount":{"amount":1006,"currency":{"code":"GBP","exponent":2}},"held":1006,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:05.622563+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (18, 'evt_08121aff41da50adc0c60b2e00', 'transaction.updated', 'FX-006', 2, 'ACC-1', '{"id":"evt_08121aff41da50adc0c60b2e00","type":"transaction.updated","created_at":"2026-12-06T11:21:06.0930917Z","data":{"transaction_id":"FX-006","version":2,"status":"COMPLETE","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-1","amount":{"amount":1006,"currency":{"code":"GBP","exponent":2}},"held":0,"posted":-1006,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:06.093091+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (22, 'evt_a7d773923e9a5e09d75bafad70', 'transaction.updated', 'FX-009', 1, 'ACC-4', '{"id":"evt_a7d773923e9a5e09d75bafad70","type":"transaction.updated","created_at":"2026-12-06T11:21:07.8933888Z","data":{"transaction_id":"FX-009","version":1,"status":"AUTHORISED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-4","amount":{"amount":1009,"currency":{"code":"GBP","exponent":2}},"held":1009,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:07.893388+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (23, 'evt_dc50a6c9a911a637b98a003269', 'transaction.updated', 'FX-009', 2, 'ACC-4', '{"id":"evt_dc50a6c9a911a637b98a003269","type":"transaction.updated","created_at":"2026-12-06T11:21:08.3663362Z","data":{"transaction_id":"FX-009","version":2,"status":"COMPLETE","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-4","amount":{"amount":1009,"currency":{"code":"GBP","exponent":2}},"held":0,"posted":-1009,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:08.366336+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (27, 'evt_92325cc80c55cc558339a2738b', 'transaction.updated', 'FX-012', 1, 'ACC-2', '{"id":"evt_92325cc80c55cc558339a2738b","type":"transaction.updated","created_at":"2026-12-06T11:21:10.0567774Z","data":{"transaction_id":"FX-012","version":1,"status":"AUTHORISED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-2","amount":{"amount":1012,"currency":{"code":"GBP","exponent":2}},"held":1012,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:10.056777+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (28, 'evt_df61cf7d27a44ae38c67b1019e', 'transaction.updated', 'FX-012', 2, 'ACC-2', '{"id":"evt_df61cf7d27a44ae38c67b1019e","type":"transaction.updated","created_at":"2026-12-06T11:21:10.4901193Z","data":{"transaction_id":"FX-012","version":2,"status":"COMPLETE","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-2","amount":{"amount":1012,"currency":{"code":"GBP","exponent":2}},"held":0,"posted":-1012,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:10.490119+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (32, 'evt_c57aa39ae50dd7f98eae5d3c60', 'transaction.updated', 'FX-014', 2, 'ACC-4', '{"id":"evt_c57aa39ae50dd7f98eae5d3c60","type":"transaction.updated","created_at":"2026-12-06T11:21:12.3428542Z","data":{"transaction_id":"FX-014","version":2,"status":"COMPLETE","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-4","amount":{"amount":1014,"currency":{"code":"GBP","exponent":2}},"held":0,"posted":-1014,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:12.342854+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (37, 'evt_9430015eab33680fda742a21bb', 'transaction.updated', 'FX-017', 2, 'ACC-2', '{"id":"evt_9430015eab33680fda742a21bb","type":"transaction.updated","created_at":"2026-12-06T11:21:14.5827309Z","data":{"transaction_id":"FX-017","version":2,"status":"COMPLETE","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-2","amount":{"amount":1017,"currency":{"code":"GBP","exponent":2}},"held":0,"posted":-1017,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:14.58273+00', false, NULL, NULL);
INSERT INTO public.outbox_events OVERRIDING SYSTEM VALUE VALUES (42, 'evt_4e8735d3dbaf7cdd3a80c927e4', 'transaction.updated', 'FX-090', 1, 'ACC-0', '{"id":"evt_4e8735d3dbaf7cdd3a80c927e4","type":"transaction.updated","created_at":"2026-12-06T11:21:17.5863553Z","data":{"transaction_id":"FX-090","version":1,"status":"AUTHORISATION_REQUESTED","result":"APPROVED","result_detail":"SUCCESSFUL","direction":"DEBIT","txn_type":"REDEMPTION","scheme_id":"MC","account_no":"ACC-0","amount":{"amount":500,"currency":{"code":"GBP","exponent":2}},"held":500,"posted":0,"flags":[],"secure_auth":null,"order_ref":null,"instruction_ref":null,"metadata":null}}', '2026-12-06 11:21:17.586355+00', false, NULL, NULL);


--
-- Data for Name: schema_migrations; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.schema_migrations VALUES (1, '001_ledger', '2026-12-06T11:20:56.6560261+00:00', '34bdfbf7c352c56bebe0b4c371e38832942edf2a0aaffa0e86213162ac81acc7');
INSERT INTO public.schema_migrations VALUES (2, '002_authorisation', '2026-12-06T11:20:56.6859273+00:00', '72ed3fcce116c0a76715f30258a37755fee59ada62a89104a767457eda81ccb6');
INSERT INTO public.schema_migrations VALUES (3, '003_outbox', '2026-12-06T11:20:56.7008965+00:00', '120485b05bedde9a4e74366566748adb4c121402af6901aff73342276c329819');
INSERT INTO public.schema_migrations VALUES (4, '004_instruction_links', '2026-12-06T11:20:56.7058773+00:00', 'bc440c9d5e6d97cd6ba6fcaecf13116b3d7d5cf5a0bdd6c42c156d9b4b5c3bf0');
INSERT INTO public.schema_migrations VALUES (5, '005_edge_limits', '2026-12-06T11:20:56.7108955+00:00', '157a1ba2e06530665d78aa10365cd16c236a65076fee090a17144bf2e61ecee4');
INSERT INTO public.schema_migrations VALUES (6, '006_daily_spend', '2026-12-06T11:20:56.7129128+00:00', '160211abccca674d0fef0592fe0f216a3a2e563d1a1461a75bb15f8aa35bc683');
INSERT INTO public.schema_migrations VALUES (7, '007_secure_auth', '2026-12-06T11:20:56.7142128+00:00', 'bd31cbd9ed9156919cedec17140e3cf5afa1bcd9c1134677aa284dbb76a2499c');
INSERT INTO public.schema_migrations VALUES (8, '008_transfers', '2026-12-06T11:20:56.7159109+00:00', 'fa256f203557c87383e7818fd1bb1be4fe5b41e00186872fd1210f9533238833');
INSERT INTO public.schema_migrations VALUES (9, '009_operators', '2026-12-06T11:20:56.7290920+00:00', '0128b1eb7aabd7e0efb4298ef27e364e86d264d26f493604910266f57d3cfdb0');
INSERT INTO public.schema_migrations VALUES (10, '010_instruction_single_flight', '2026-12-06T11:20:56.7334224+00:00', 'a672f8f25bb1be04fe9735499db9c45b7282c57c4c4058d0d16c6a3aa1f888aa');
INSERT INTO public.schema_migrations VALUES (11, '011_fair_claims', '2026-12-06T11:20:56.7358051+00:00', '1efbcb9dc93c6f0bac0c3b42012c3011e4764ec58b156cba63954c4db8830bc4');
INSERT INTO public.schema_migrations VALUES (12, '012_trace_context', '2026-12-06T11:20:56.7380710+00:00', '3445d9042a4a76fc209ea48786a64943d603544e41313ed8f9830919e416bc53');
INSERT INTO public.schema_migrations VALUES (13, '013_one_effect_index', '2026-12-06T11:20:56.7402413+00:00', '0b91235ed949509973d1efa6b9cdada9efd3923e12b21f88793de599df4d9fd3');
INSERT INTO public.schema_migrations VALUES (14, '014_byte_order_keys', '2026-12-06T11:20:56.7742977+00:00', 'a42f52f998c712850cdd4e295deb1a0b7f657be1ca05eced143ff6e0abc91b59');


--
-- Data for Name: transaction_versions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (1, 'LOAD-0', 1, 'applied', '\xa0efabd3b98705f01d66ddc0702fa7570721d5566d7f743a28c6448d78a547e4', 0, '{"id": "LOAD-0", "version": 1, "scheme_id": "PPS_LOAD", "txn_lifecycle_status": "COMPLETE", "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}, "payee": {"account": {"account_no": "ACC-0"}}, "txn_type": {"code": "LOAD", "direction": "CREDIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"cardholder_final_amount": {"amount": 100000, "currency": {"code": "GBP", "exponent": 2}}}}}', '2026-12-06 11:20:57.833838+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (2, 'LOAD-1', 1, 'applied', '\xf44d68b46697c4d55965b2bec598f3ae02882c486ded43e777dcd400c48bda02', 0, '{"id": "LOAD-1", "version": 1, "scheme_id": "PPS_LOAD", "txn_lifecycle_status": "COMPLETE", "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}, "payee": {"account": {"account_no": "ACC-1"}}, "txn_type": {"code": "LOAD", "direction": "CREDIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"cardholder_final_amount": {"amount": 100000, "currency": {"code": "GBP", "exponent": 2}}}}}', '2026-12-06 11:20:58.583591+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (3, 'LOAD-2', 1, 'applied', '\x3056f75ec0c6c23c97d08b818cd3db454dcf1ad37ed8d2d0428c4987f90854a3', 0, '{"id": "LOAD-2", "version": 1, "scheme_id": "PPS_LOAD", "txn_lifecycle_status": "COMPLETE", "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}, "payee": {"account": {"account_no": "ACC-2"}}, "txn_type": {"code": "LOAD", "direction": "CREDIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"cardholder_final_amount": {"amount": 100000, "currency": {"code": "GBP", "exponent": 2}}}}}', '2026-12-06 11:20:59.078768+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (4, 'LOAD-3', 1, 'applied', '\x17bd0e34dc7c27b6b9011015e9dacbaf860035dac8d8afb4f6c6c0fefa7fd7cf', 0, '{"id": "LOAD-3", "version": 1, "scheme_id": "PPS_LOAD", "txn_lifecycle_status": "COMPLETE", "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}, "payee": {"account": {"account_no": "ACC-3"}}, "txn_type": {"code": "LOAD", "direction": "CREDIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"cardholder_final_amount": {"amount": 100000, "currency": {"code": "GBP", "exponent": 2}}}}}', '2026-12-06 11:20:59.541299+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (5, 'LOAD-4', 1, 'applied', '\xb44151048e842fb1924b6c7f9468163d79c5517a04e2f7b57cd3b3dee4723315', 0, '{"id": "LOAD-4", "version": 1, "scheme_id": "PPS_LOAD", "txn_lifecycle_status": "COMPLETE", "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}, "payee": {"account": {"account_no": "ACC-4"}}, "txn_type": {"code": "LOAD", "direction": "CREDIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"cardholder_final_amount": {"amount": 100000, "currency": {"code": "GBP", "exponent": 2}}}}}', '2026-12-06 11:21:00.00432+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (6, 'FX-000', 1, 'applied', '\x66581f66231152363f60a8579257d9ceaee3e03d92834cca34b6da2e9536ab8d', 0, '{
  "id": "FX-000",
  "version": 1,
  "scheme_id": "MC",
  "product_class_id": "PC1",
  "created_date_time": "2026-12-01T10:00:00Z",
  "txn_lifecycle_status": "AUTHORISED",
  "payer": {
    "account": {
      "account_no": "ACC-0"
    },
    "card": {
      "serial_no": "3902076592",
      "masked_pan": "411111******1111"
    }
  },
  "payee": {
    "acceptor": {
      "name": "Shop",
      "category_auth": "5812"
    }
  },
  "txn_type": {
    "code": "REDEMPTION",
    "direction": "DEBIT",
    "reversal": false,
    "financial": true
  },
  "authorisation": {
    "txn_amounts": {
      "requested_amount": {
        "amount": 1000,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      },
      "cardholder_amount": {
        "amount": 1000,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      },
      "cardholder_final_amount": {
        "amount": 1000,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      }
    }
  },
  "txn_result": {
    "result": "APPROVED",
    "result_detail": "SUCCESSFUL"
  }
}', '2026-12-06 11:21:00.510512+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (7, 'FX-000', 2, 'applied', '\xa23acd6bd4f8ab95959d58138172d4937daf778e43c1dc8ba36d8d1bd758571e', 0, '{"id": "FX-000", "version": 2, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "COMPLETE", "payer": {"account": {"account_no": "ACC-0"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1000, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1000, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1000, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL", "result_message": "ok"}}', '2026-12-06 11:21:00.959412+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (8, 'FX-001', 1, 'applied', '\x84a8b830180cf192b7d88108ec26158f735e9672d0d5cb3fe1237acccbf10cba', 0, '{"id": "FX-001", "version": 1, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "AUTHORISED", "payer": {"account": {"account_no": "ACC-1"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1001, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1001, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1001, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:01.423996+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (9, 'FX-001', 2, 'applied', '\x99d3a34dc48fd649bd3b10210a16c278b7ea5fedd60a045775d4fff31ae4a22f', 0, '{"id": "FX-001", "version": 2, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "COMPLETE", "payer": {"account": {"account_no": "ACC-1"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1001, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1001, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1001, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:01.847702+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (10, 'FX-002', 1, 'applied', '\x4049bd58581cf9b19b7ec88e7ff9d8dea2b83e2651228092a4bdba10c69c2330', 0, '{"id": "FX-002", "version": 1, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "AUTHORISED", "payer": {"account": {"account_no": "ACC-2"}, "card": {"serial_no": "3902076592", "masked_pan": "378282*****0005"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1002, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1002, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1002, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:02.270528+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (11, 'FX-002', 2, 'applied', '\xa7126bd9ae19b8cc2b8ef8da9b459c9a726d49b2867427cb3f9ba923edf6a7be', 0, '{"id": "FX-002", "version": 2, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "COMPLETE", "payer": {"account": {"account_no": "ACC-2"}, "card": {"serial_no": "3902076592", "masked_pan": "378282*****0005"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1002, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1002, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1002, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:02.744798+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (12, 'FX-003', 1, 'applied', '\x0969bea4bd23300f24936c9f46fd0b6d2eae3a2a2e25a16fc0cbc638547133fe', 0, '{
  "id": "FX-003",
  "version": 1,
  "scheme_id": "MC",
  "product_class_id": "PC1",
  "created_date_time": "2026-12-01T10:00:00Z",
  "txn_lifecycle_status": "AUTHORISED",
  "payer": {
    "account": {
      "account_no": "ACC-3"
    },
    "card": {
      "serial_no": "3902076592",
      "masked_pan": "411111******1111"
    }
  },
  "payee": {
    "acceptor": {
      "name": "Shop",
      "category_auth": "5812"
    }
  },
  "txn_type": {
    "code": "REDEMPTION",
    "direction": "DEBIT",
    "reversal": false,
    "financial": true
  },
  "authorisation": {
    "txn_amounts": {
      "requested_amount": {
        "amount": 1003,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      },
      "cardholder_amount": {
        "amount": 1003,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      },
      "cardholder_final_amount": {
        "amount": 1003,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      }
    }
  },
  "txn_result": {
    "result": "APPROVED",
    "result_detail": "SUCCESSFUL"
  }
}', '2026-12-06 11:21:03.22523+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (17, 'FX-006', 1, 'applied', '\x6f86a8dadf096e9950683b3300497f6622066bb44295471b8aadb6a05a581692', 0, '{
  "id": "FX-006",
  "version": 1,
  "scheme_id": "MC",
  "product_class_id": "PC1",
  "created_date_time": "2026-12-01T10:00:00Z",
  "txn_lifecycle_status": "AUTHORISED",
  "payer": {
    "account": {
      "account_no": "ACC-1"
    },
    "card": {
      "serial_no": "3902076592",
      "masked_pan": "378282*****0005"
    }
  },
  "payee": {
    "acceptor": {
      "name": "Shop",
      "category_auth": "5812"
    }
  },
  "txn_type": {
    "code": "REDEMPTION",
    "direction": "DEBIT",
    "reversal": false,
    "financial": true
  },
  "authorisation": {
    "txn_amounts": {
      "requested_amount": {
        "amount": 1006,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      },
      "cardholder_amount": {
        "amount": 1006,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      },
      "cardholder_final_amount": {
        "amount": 1006,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      }
    }
  },
  "txn_result": {
    "result": "APPROVED",
    "result_detail": "SUCCESSFUL"
  }
}', '2026-12-06 11:21:05.622246+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (18, 'FX-006', 2, 'applied', '\xf2ff71bc61e5c9e3c984a564ce952fd5269adeb16c7ff1f8bcc70e9dce257b85', 0, '{"id": "FX-006", "version": 2, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "COMPLETE", "payer": {"account": {"account_no": "ACC-1"}, "card": {"serial_no": "3902076592", "masked_pan": "378282*****0005"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1006, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1006, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1006, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:06.092832+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (22, 'FX-009', 1, 'applied', '\xa979b50b6ac2b6a9ebb798344d44de6ca09c081785693c215a8b624835b9ab2d', 0, '{
  "id": "FX-009",
  "version": 1,
  "scheme_id": "MC",
  "product_class_id": "PC1",
  "created_date_time": "2026-12-01T10:00:00Z",
  "txn_lifecycle_status": "AUTHORISED",
  "payer": {
    "account": {
      "account_no": "ACC-4"
    },
    "card": {
      "serial_no": "3902076592",
      "masked_pan": "411111******1111"
    }
  },
  "payee": {
    "acceptor": {
      "name": "Shop",
      "category_auth": "5812"
    }
  },
  "txn_type": {
    "code": "REDEMPTION",
    "direction": "DEBIT",
    "reversal": false,
    "financial": true
  },
  "authorisation": {
    "txn_amounts": {
      "requested_amount": {
        "amount": 1009,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      },
      "cardholder_amount": {
        "amount": 1009,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      },
      "cardholder_final_amount": {
        "amount": 1009,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      }
    }
  },
  "txn_result": {
    "result": "APPROVED",
    "result_detail": "SUCCESSFUL"
  }
}', '2026-12-06 11:21:07.893176+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (23, 'FX-009', 2, 'applied', '\x095d2d242e0c5a8223f39e623034bc60cf45cc8d7316a722455ae3d9091e7b7d', 0, '{"id": "FX-009", "version": 2, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "COMPLETE", "payer": {"account": {"account_no": "ACC-4"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1009, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1009, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1009, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:08.365995+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (27, 'FX-012', 1, 'applied', '\x0814d71430096be19f084981f0a840fcf3879e4ff82c81464bb22f81f8074158', 0, '{
  "id": "FX-012",
  "version": 1,
  "scheme_id": "MC",
  "product_class_id": "PC1",
  "created_date_time": "2026-12-01T10:00:00Z",
  "txn_lifecycle_status": "AUTHORISED",
  "payer": {
    "account": {
      "account_no": "ACC-2"
    },
    "card": {
      "serial_no": "3902076592",
      "masked_pan": "411111******1111"
    }
  },
  "payee": {
    "acceptor": {
      "name": "Shop",
      "category_auth": "5812"
    }
  },
  "txn_type": {
    "code": "REDEMPTION",
    "direction": "DEBIT",
    "reversal": false,
    "financial": true
  },
  "authorisation": {
    "txn_amounts": {
      "requested_amount": {
        "amount": 1012,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      },
      "cardholder_amount": {
        "amount": 1012,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      },
      "cardholder_final_amount": {
        "amount": 1012,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      }
    }
  },
  "txn_result": {
    "result": "APPROVED",
    "result_detail": "SUCCESSFUL"
  }
}', '2026-12-06 11:21:10.056545+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (13, 'FX-004', 1, 'applied', '\xaeb64475628d9b8985d8513f3c51e511df79bbec0bce656cd702f4349cfb10a8', 0, '{"id": "FX-004", "version": 1, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "AUTHORISED", "payer": {"account": {"account_no": "ACC-4"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1004, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1004, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1004, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:03.669942+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (14, 'FX-004', 2, 'applied', '\xbbcfc71a66dbf43e01e062a7fe85707a549033c47062804453b4307b3f71647b', 0, '{"id": "FX-004", "version": 2, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "COMPLETE", "payer": {"account": {"account_no": "ACC-4"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1004, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1004, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1004, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:04.142468+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (19, 'FX-007', 1, 'applied', '\x880dde779f0d24a06fe1f04e8692cbfe50af6e9e8a372298583b757bb66a1d25', 0, '{"id": "FX-007", "version": 1, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "AUTHORISED", "payer": {"account": {"account_no": "ACC-2"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1007, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1007, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1007, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:06.530203+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (24, 'FX-010', 1, 'applied', '\x66e544de3637badc49fd0d33642a7383fa3194840df283c4f5e0cba9e594ea6c', 0, '{"id": "FX-010", "version": 1, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "AUTHORISED", "payer": {"account": {"account_no": "ACC-0"}, "card": {"serial_no": "3902076592", "masked_pan": "378282*****0005"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1010, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1010, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1010, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:08.772755+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (25, 'FX-010', 2, 'applied', '\x96c9ec4bdcdb3185c541c191f6065bee1d1e08e84ea7453b8a5c74738f8b3203', 0, '{"id": "FX-010", "version": 2, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "COMPLETE", "payer": {"account": {"account_no": "ACC-0"}, "card": {"serial_no": "3902076592", "masked_pan": "378282*****0005"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1010, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1010, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1010, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL", "result_message": "ok"}}', '2026-12-06 11:21:09.223883+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (29, 'FX-013', 1, 'applied', '\x7fdaaa628c4b2a94bcd6072543314ca1ca6a17a88f78ba52806e564cd55765b8', 0, '{"id": "FX-013", "version": 1, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "AUTHORISED", "payer": {"account": {"account_no": "ACC-3"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1013, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1013, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1013, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:10.952823+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (30, 'FX-013', 2, 'applied', '\x8d8de1f33c56c38f81322d220b116b38790737ec32b186df467bb4276a12dedb', 0, '{"id": "FX-013", "version": 2, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "COMPLETE", "payer": {"account": {"account_no": "ACC-3"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1013, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1013, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1013, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:11.388432+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (33, 'FX-015', 1, 'applied', '\x015b3584a460a68265fd3ec814d83e8935ec8ac9ed4eb5ad2b871bb6d5bb634d', 0, '{
  "id": "FX-015",
  "version": 1,
  "scheme_id": "MC",
  "product_class_id": "PC1",
  "created_date_time": "2026-12-01T10:00:00Z",
  "txn_lifecycle_status": "AUTHORISED",
  "payer": {
    "account": {
      "account_no": "ACC-0"
    },
    "card": {
      "serial_no": "3902076592",
      "masked_pan": "411111******1111"
    }
  },
  "payee": {
    "acceptor": {
      "name": "Shop",
      "category_auth": "5812"
    }
  },
  "txn_type": {
    "code": "REDEMPTION",
    "direction": "DEBIT",
    "reversal": false,
    "financial": true
  },
  "authorisation": {
    "txn_amounts": {
      "requested_amount": {
        "amount": 1015,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      },
      "cardholder_amount": {
        "amount": 1015,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      },
      "cardholder_final_amount": {
        "amount": 1015,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      }
    }
  },
  "txn_result": {
    "result": "APPROVED",
    "result_detail": "SUCCESSFUL"
  }
}', '2026-12-06 11:21:12.840728+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (15, 'FX-005', 1, 'applied', '\xbce255759c455fb4a347b9932a60be686db0ab23849cdc6ac3b08f87428ce6e9', 0, '{"id": "FX-005", "version": 1, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "AUTHORISED", "payer": {"account": {"account_no": "ACC-0"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1005, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1005, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1005, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:04.637547+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (16, 'FX-005', 2, 'applied', '\x9604c2b31c803ff905f217fc889bdb060c7cbbb677ed2b7de1e93f74a453f2ca', 0, '{"id": "FX-005", "version": 2, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "COMPLETE", "payer": {"account": {"account_no": "ACC-0"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1005, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1005, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1005, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL", "result_message": "ok"}}', '2026-12-06 11:21:05.10983+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (20, 'FX-008', 1, 'applied', '\x269ccf792b866d1041bfc6cfcadf717251c4217365d8f723b20cc290c43bceb1', 0, '{"id": "FX-008", "version": 1, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "AUTHORISED", "payer": {"account": {"account_no": "ACC-3"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1008, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1008, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1008, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:06.968799+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (21, 'FX-008', 2, 'applied', '\xcfc7e3d504160f6839f0f11cd055629312e25f98e18fc90f3e33a91b74f3edad', 0, '{"id": "FX-008", "version": 2, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "COMPLETE", "payer": {"account": {"account_no": "ACC-3"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1008, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1008, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1008, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:07.450239+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (26, 'FX-011', 1, 'applied', '\xc3b7219363dfb37feb4fe126fdd13c0a79a3ce7d57bd27ac8e2f1bf382ef24b8', 0, '{"id": "FX-011", "version": 1, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "AUTHORISED", "payer": {"account": {"account_no": "ACC-1"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1011, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1011, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1011, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:09.646246+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (31, 'FX-014', 1, 'applied', '\xfdfba305b04b7800f355fe582b4349b977f44c83b2c48443f921420eddca40b0', 0, '{"id": "FX-014", "version": 1, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "AUTHORISED", "payer": {"account": {"account_no": "ACC-4"}, "card": {"serial_no": "3902076592", "masked_pan": "378282*****0005"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1014, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1014, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1014, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:11.826746+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (35, 'FX-016', 2, 'applied', '\xf51d563275933fc257e6511f4dd5b11aff6762eeb9c0ad6419738eb80eaa995c', 0, '{"id": "FX-016", "version": 2, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "COMPLETE", "payer": {"account": {"account_no": "ACC-1"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1016, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1016, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1016, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:13.734726+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (36, 'FX-017', 1, 'applied', '\xddbe31f025785f9ac5be5376319f8b3eb2425bdf6568f2372482461bf8354a89', 0, '{"id": "FX-017", "version": 1, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "AUTHORISED", "payer": {"account": {"account_no": "ACC-2"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1017, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1017, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1017, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:14.16683+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (28, 'FX-012', 2, 'applied', '\x176991c64991c27bb003c521cebeff4fb5a15ccdf424e3c7e7a4356a37ec7504', 0, '{"id": "FX-012", "version": 2, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "COMPLETE", "payer": {"account": {"account_no": "ACC-2"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1012, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1012, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1012, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:10.48984+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (32, 'FX-014', 2, 'applied', '\xedf204258aa67d1de15c88a7d90f925d40dec245b21e5fddca2411cd9d43886e', 0, '{"id": "FX-014", "version": 2, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "COMPLETE", "payer": {"account": {"account_no": "ACC-4"}, "card": {"serial_no": "3902076592", "masked_pan": "378282*****0005"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1014, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1014, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1014, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:12.342573+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (37, 'FX-017', 2, 'applied', '\x8582b32e3349cad924ff4b83d6674f1ec248c130a1cd503e5314f18d05bd23ff', 0, '{"id": "FX-017", "version": 2, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "COMPLETE", "payer": {"account": {"account_no": "ACC-2"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1017, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1017, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1017, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:14.582546+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (42, 'FX-003', 1, 'conflict', '\xe032f928989b61665745832e62ebd9bd319cf7327a3f57f22afdbe714d96045a', 0, '{"id": "FX-003", "version": 1, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "AUTHORISED", "payer": {"account": {"account_no": "ACC-3"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 9999, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 9999, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 9999, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:16.637526+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (43, 'FX-001', 1, 'stale', '\x05c61b330ecbc32743d1b88efc059b86a82766a70ba8dea22f881d77077ef9d0', 0, NULL, '2026-12-06 11:21:17.137169+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (34, 'FX-016', 1, 'applied', '\x714e4766742fe66f75c5e256d4f8e23341d552241699d4f7e97eb7c2e162ed7c', 0, '{"id": "FX-016", "version": 1, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "AUTHORISED", "payer": {"account": {"account_no": "ACC-1"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1016, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1016, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1016, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:13.296685+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (38, 'FX-018', 1, 'applied', '\xb2fbb5dd2aa459ae24d51c3f0cd06dce3f6cc50d06658805ebe80ac5d2402c58', 0, '{
  "id": "FX-018",
  "version": 1,
  "scheme_id": "MC",
  "product_class_id": "PC1",
  "created_date_time": "2026-12-01T10:00:00Z",
  "txn_lifecycle_status": "AUTHORISED",
  "payer": {
    "account": {
      "account_no": "ACC-3"
    },
    "card": {
      "serial_no": "3902076592",
      "masked_pan": "378282*****0005"
    }
  },
  "payee": {
    "acceptor": {
      "name": "Shop",
      "category_auth": "5812"
    }
  },
  "txn_type": {
    "code": "REDEMPTION",
    "direction": "DEBIT",
    "reversal": false,
    "financial": true
  },
  "authorisation": {
    "txn_amounts": {
      "requested_amount": {
        "amount": 1018,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      },
      "cardholder_amount": {
        "amount": 1018,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      },
      "cardholder_final_amount": {
        "amount": 1018,
        "currency": {
          "code": "GBP",
          "exponent": 2
        }
      }
    }
  },
  "txn_result": {
    "result": "APPROVED",
    "result_detail": "SUCCESSFUL"
  }
}', '2026-12-06 11:21:15.012287+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (39, 'FX-018', 2, 'applied', '\xc174767796ae4342e004f6e7161e6efb3c841f8b8a43b0187522f075a9a6ebdd', 0, '{"id": "FX-018", "version": 2, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "COMPLETE", "payer": {"account": {"account_no": "ACC-3"}, "card": {"serial_no": "3902076592", "masked_pan": "378282*****0005"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1018, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1018, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1018, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:15.415016+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (44, 'FX-090', 1, 'applied', '\x8398c911e948bd857e2ff467054defcf4246fa39d2fd5c9f6fc2fc4fe49c813e', 0, '{"id": "FX-090", "version": 1, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "AUTHORISATION_REQUESTED", "payer": {"account": {"account_no": "ACC-0"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 500, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 500, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 500, "currency": {"code": "GBP", "exponent": 2}}}}}', '2026-12-06 11:21:17.583947+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (40, 'FX-019', 1, 'applied', '\x0cb5338d1deaa4126fb65f423935d8e847f1f0f37e4563e3230a5bf871038d68', 0, '{"id": "FX-019", "version": 1, "scheme_id": "MC", "product_class_id": "PC1", "created_date_time": "2026-12-01T10:00:00Z", "txn_lifecycle_status": "AUTHORISED", "payer": {"account": {"account_no": "ACC-4"}, "card": {"serial_no": "3902076592", "masked_pan": "411111******1111"}}, "payee": {"acceptor": {"name": "Shop", "category_auth": "5812"}}, "txn_type": {"code": "REDEMPTION", "direction": "DEBIT", "reversal": false, "financial": true}, "authorisation": {"txn_amounts": {"requested_amount": {"amount": 1019, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_amount": {"amount": 1019, "currency": {"code": "GBP", "exponent": 2}}, "cardholder_final_amount": {"amount": 1019, "currency": {"code": "GBP", "exponent": 2}}}}, "txn_result": {"result": "APPROVED", "result_detail": "SUCCESSFUL"}}', '2026-12-06 11:21:15.804111+00');
INSERT INTO public.transaction_versions OVERRIDING SYSTEM VALUE VALUES (41, 'FX-002', 2, 'duplicate', '\xa7126bd9ae19b8cc2b8ef8da9b459c9a726d49b2867427cb3f9ba923edf6a7be', 0, NULL, '2026-12-06 11:21:16.236607+00');


--
-- Data for Name: transactions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.transactions VALUES ('LOAD-0', 1, '\xa0efabd3b98705f01d66ddc0702fa7570721d5566d7f743a28c6448d78a547e4', 'COMPLETE', 'APPROVED', 'SUCCESSFUL', 'CREDIT', 'LOAD', 'PPS_LOAD', 'ACC-0', 100000, 'GBP', 2, 'ACC-0', 'GBP', 2, 0, 100000, 'scheme:PPS_LOAD:GBP', 0, '2026-12-06 11:20:57.853653+00', '2026-12-06 11:20:57.853653+00', NULL, false);
INSERT INTO public.transactions VALUES ('LOAD-1', 1, '\xf44d68b46697c4d55965b2bec598f3ae02882c486ded43e777dcd400c48bda02', 'COMPLETE', 'APPROVED', 'SUCCESSFUL', 'CREDIT', 'LOAD', 'PPS_LOAD', 'ACC-1', 100000, 'GBP', 2, 'ACC-1', 'GBP', 2, 0, 100000, 'scheme:PPS_LOAD:GBP', 0, '2026-12-06 11:20:58.58413+00', '2026-12-06 11:20:58.58413+00', NULL, false);
INSERT INTO public.transactions VALUES ('LOAD-2', 1, '\x3056f75ec0c6c23c97d08b818cd3db454dcf1ad37ed8d2d0428c4987f90854a3', 'COMPLETE', 'APPROVED', 'SUCCESSFUL', 'CREDIT', 'LOAD', 'PPS_LOAD', 'ACC-2', 100000, 'GBP', 2, 'ACC-2', 'GBP', 2, 0, 100000, 'scheme:PPS_LOAD:GBP', 0, '2026-12-06 11:20:59.079107+00', '2026-12-06 11:20:59.079107+00', NULL, false);
INSERT INTO public.transactions VALUES ('LOAD-3', 1, '\x17bd0e34dc7c27b6b9011015e9dacbaf860035dac8d8afb4f6c6c0fefa7fd7cf', 'COMPLETE', 'APPROVED', 'SUCCESSFUL', 'CREDIT', 'LOAD', 'PPS_LOAD', 'ACC-3', 100000, 'GBP', 2, 'ACC-3', 'GBP', 2, 0, 100000, 'scheme:PPS_LOAD:GBP', 0, '2026-12-06 11:20:59.541593+00', '2026-12-06 11:20:59.541593+00', NULL, false);
INSERT INTO public.transactions VALUES ('LOAD-4', 1, '\xb44151048e842fb1924b6c7f9468163d79c5517a04e2f7b57cd3b3dee4723315', 'COMPLETE', 'APPROVED', 'SUCCESSFUL', 'CREDIT', 'LOAD', 'PPS_LOAD', 'ACC-4', 100000, 'GBP', 2, 'ACC-4', 'GBP', 2, 0, 100000, 'scheme:PPS_LOAD:GBP', 0, '2026-12-06 11:21:00.004701+00', '2026-12-06 11:21:00.004701+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-000', 2, '\xa23acd6bd4f8ab95959d58138172d4937daf778e43c1dc8ba36d8d1bd758571e', 'COMPLETE', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-0', 1000, 'GBP', 2, 'ACC-0', 'GBP', 2, 0, -1000, 'scheme:MC:GBP', 0, '2026-12-06 11:21:00.511693+00', '2026-12-06 11:21:00.9597+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-001', 2, '\x99d3a34dc48fd649bd3b10210a16c278b7ea5fedd60a045775d4fff31ae4a22f', 'COMPLETE', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-1', 1001, 'GBP', 2, 'ACC-1', 'GBP', 2, 0, -1001, 'scheme:MC:GBP', 0, '2026-12-06 11:21:01.424272+00', '2026-12-06 11:21:01.847985+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-002', 2, '\xa7126bd9ae19b8cc2b8ef8da9b459c9a726d49b2867427cb3f9ba923edf6a7be', 'COMPLETE', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-2', 1002, 'GBP', 2, 'ACC-2', 'GBP', 2, 0, -1002, 'scheme:MC:GBP', 0, '2026-12-06 11:21:02.27089+00', '2026-12-06 11:21:02.745163+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-003', 1, '\x0969bea4bd23300f24936c9f46fd0b6d2eae3a2a2e25a16fc0cbc638547133fe', 'AUTHORISED', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-3', 1003, 'GBP', 2, 'ACC-3', 'GBP', 2, 1003, 0, NULL, 0, '2026-12-06 11:21:03.225507+00', '2026-12-06 11:21:03.225507+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-004', 2, '\xbbcfc71a66dbf43e01e062a7fe85707a549033c47062804453b4307b3f71647b', 'COMPLETE', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-4', 1004, 'GBP', 2, 'ACC-4', 'GBP', 2, 0, -1004, 'scheme:MC:GBP', 0, '2026-12-06 11:21:03.670196+00', '2026-12-06 11:21:04.142921+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-005', 2, '\x9604c2b31c803ff905f217fc889bdb060c7cbbb677ed2b7de1e93f74a453f2ca', 'COMPLETE', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-0', 1005, 'GBP', 2, 'ACC-0', 'GBP', 2, 0, -1005, 'scheme:MC:GBP', 0, '2026-12-06 11:21:04.638006+00', '2026-12-06 11:21:05.110229+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-006', 2, '\xf2ff71bc61e5c9e3c984a564ce952fd5269adeb16c7ff1f8bcc70e9dce257b85', 'COMPLETE', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-1', 1006, 'GBP', 2, 'ACC-1', 'GBP', 2, 0, -1006, 'scheme:MC:GBP', 0, '2026-12-06 11:21:05.622563+00', '2026-12-06 11:21:06.093091+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-007', 1, '\x880dde779f0d24a06fe1f04e8692cbfe50af6e9e8a372298583b757bb66a1d25', 'AUTHORISED', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-2', 1007, 'GBP', 2, 'ACC-2', 'GBP', 2, 1007, 0, NULL, 0, '2026-12-06 11:21:06.53039+00', '2026-12-06 11:21:06.53039+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-008', 2, '\xcfc7e3d504160f6839f0f11cd055629312e25f98e18fc90f3e33a91b74f3edad', 'COMPLETE', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-3', 1008, 'GBP', 2, 'ACC-3', 'GBP', 2, 0, -1008, 'scheme:MC:GBP', 0, '2026-12-06 11:21:06.969181+00', '2026-12-06 11:21:07.450508+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-009', 2, '\x095d2d242e0c5a8223f39e623034bc60cf45cc8d7316a722455ae3d9091e7b7d', 'COMPLETE', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-4', 1009, 'GBP', 2, 'ACC-4', 'GBP', 2, 0, -1009, 'scheme:MC:GBP', 0, '2026-12-06 11:21:07.893388+00', '2026-12-06 11:21:08.366336+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-010', 2, '\x96c9ec4bdcdb3185c541c191f6065bee1d1e08e84ea7453b8a5c74738f8b3203', 'COMPLETE', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-0', 1010, 'GBP', 2, 'ACC-0', 'GBP', 2, 0, -1010, 'scheme:MC:GBP', 0, '2026-12-06 11:21:08.773896+00', '2026-12-06 11:21:09.224186+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-011', 1, '\xc3b7219363dfb37feb4fe126fdd13c0a79a3ce7d57bd27ac8e2f1bf382ef24b8', 'AUTHORISED', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-1', 1011, 'GBP', 2, 'ACC-1', 'GBP', 2, 1011, 0, NULL, 0, '2026-12-06 11:21:09.646437+00', '2026-12-06 11:21:09.646437+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-012', 2, '\x176991c64991c27bb003c521cebeff4fb5a15ccdf424e3c7e7a4356a37ec7504', 'COMPLETE', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-2', 1012, 'GBP', 2, 'ACC-2', 'GBP', 2, 0, -1012, 'scheme:MC:GBP', 0, '2026-12-06 11:21:10.056777+00', '2026-12-06 11:21:10.490119+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-013', 2, '\x8d8de1f33c56c38f81322d220b116b38790737ec32b186df467bb4276a12dedb', 'COMPLETE', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-3', 1013, 'GBP', 2, 'ACC-3', 'GBP', 2, 0, -1013, 'scheme:MC:GBP', 0, '2026-12-06 11:21:10.953102+00', '2026-12-06 11:21:11.388726+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-014', 2, '\xedf204258aa67d1de15c88a7d90f925d40dec245b21e5fddca2411cd9d43886e', 'COMPLETE', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-4', 1014, 'GBP', 2, 'ACC-4', 'GBP', 2, 0, -1014, 'scheme:MC:GBP', 0, '2026-12-06 11:21:11.827128+00', '2026-12-06 11:21:12.342854+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-015', 1, '\x015b3584a460a68265fd3ec814d83e8935ec8ac9ed4eb5ad2b871bb6d5bb634d', 'AUTHORISED', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-0', 1015, 'GBP', 2, 'ACC-0', 'GBP', 2, 1015, 0, NULL, 0, '2026-12-06 11:21:12.840933+00', '2026-12-06 11:21:12.840933+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-016', 2, '\xf51d563275933fc257e6511f4dd5b11aff6762eeb9c0ad6419738eb80eaa995c', 'COMPLETE', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-1', 1016, 'GBP', 2, 'ACC-1', 'GBP', 2, 0, -1016, 'scheme:MC:GBP', 0, '2026-12-06 11:21:13.296931+00', '2026-12-06 11:21:13.734904+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-017', 2, '\x8582b32e3349cad924ff4b83d6674f1ec248c130a1cd503e5314f18d05bd23ff', 'COMPLETE', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-2', 1017, 'GBP', 2, 'ACC-2', 'GBP', 2, 0, -1017, 'scheme:MC:GBP', 0, '2026-12-06 11:21:14.166953+00', '2026-12-06 11:21:14.58273+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-018', 2, '\xc174767796ae4342e004f6e7161e6efb3c841f8b8a43b0187522f075a9a6ebdd', 'COMPLETE', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-3', 1018, 'GBP', 2, 'ACC-3', 'GBP', 2, 0, -1018, 'scheme:MC:GBP', 0, '2026-12-06 11:21:15.012486+00', '2026-12-06 11:21:15.415215+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-019', 1, '\x0cb5338d1deaa4126fb65f423935d8e847f1f0f37e4563e3230a5bf871038d68', 'AUTHORISED', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-4', 1019, 'GBP', 2, 'ACC-4', 'GBP', 2, 1019, 0, NULL, 0, '2026-12-06 11:21:15.804337+00', '2026-12-06 11:21:15.804337+00', NULL, false);
INSERT INTO public.transactions VALUES ('FX-090', 1, '\x8398c911e948bd857e2ff467054defcf4246fa39d2fd5c9f6fc2fc4fe49c813e', 'AUTHORISATION_REQUESTED', 'APPROVED', 'SUCCESSFUL', 'DEBIT', 'REDEMPTION', 'MC', 'ACC-0', 500, 'GBP', 2, 'ACC-0', 'GBP', 2, 500, 0, NULL, 0, '2026-12-06 11:21:17.586355+00', '2026-12-06 11:21:17.586355+00', NULL, false);


--
-- Data for Name: webhook_deliveries; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: webhook_endpoints; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.webhook_endpoints VALUES ('orchestrator', '', '', 'Payments Orchestrator instruction status updates', '', NULL, NULL, 'enabled', NULL, '1970-01-01 00:00:00+00', '1970-01-01 00:00:00+00', 'orchestrator', NULL);


--
-- Name: audit_log_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.audit_log_id_seq', 1, false);


--
-- Name: delivery_attempts_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.delivery_attempts_id_seq', 1, false);


--
-- Name: journal_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.journal_id_seq', 76, true);


--
-- Name: outbox_events_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.outbox_events_id_seq', 42, true);


--
-- Name: transaction_versions_seq_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.transaction_versions_seq_seq', 44, true);


--
-- Name: webhook_deliveries_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.webhook_deliveries_id_seq', 1, false);


--
-- Name: access_tokens access_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.access_tokens
    ADD CONSTRAINT access_tokens_pkey PRIMARY KEY (token_hash);


--
-- Name: account_controls account_controls_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.account_controls
    ADD CONSTRAINT account_controls_pkey PRIMARY KEY (account_no);


--
-- Name: accounts accounts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.accounts
    ADD CONSTRAINT accounts_pkey PRIMARY KEY (account_no);


--
-- Name: api_keys api_keys_key_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT api_keys_key_hash_key UNIQUE (key_hash);


--
-- Name: api_keys api_keys_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT api_keys_pkey PRIMARY KEY (id);


--
-- Name: api_keys api_keys_public_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT api_keys_public_key_key UNIQUE (public_key);


--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);


--
-- Name: authorisation_decisions authorisation_decisions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.authorisation_decisions
    ADD CONSTRAINT authorisation_decisions_pkey PRIMARY KEY (transaction_id, version);


--
-- Name: authorisation_standins authorisation_standins_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.authorisation_standins
    ADD CONSTRAINT authorisation_standins_pkey PRIMARY KEY (transaction_id, version);


--
-- Name: data_protection_keys data_protection_keys_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.data_protection_keys
    ADD CONSTRAINT data_protection_keys_pkey PRIMARY KEY (name);


--
-- Name: delivery_attempts delivery_attempts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.delivery_attempts
    ADD CONSTRAINT delivery_attempts_pkey PRIMARY KEY (id);


--
-- Name: hmac_nonces hmac_nonces_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hmac_nonces
    ADD CONSTRAINT hmac_nonces_pkey PRIMARY KEY (public_key, nonce);


--
-- Name: instruction_links instruction_links_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.instruction_links
    ADD CONSTRAINT instruction_links_pkey PRIMARY KEY (transaction_id);


--
-- Name: journal journal_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.journal
    ADD CONSTRAINT journal_pkey PRIMARY KEY (id);


--
-- Name: outbox_events outbox_events_event_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox_events
    ADD CONSTRAINT outbox_events_event_id_key UNIQUE (event_id);


--
-- Name: outbox_events outbox_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox_events
    ADD CONSTRAINT outbox_events_pkey PRIMARY KEY (id);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (id);


--
-- Name: transaction_versions transaction_versions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.transaction_versions
    ADD CONSTRAINT transaction_versions_pkey PRIMARY KEY (seq);


--
-- Name: transactions transactions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.transactions
    ADD CONSTRAINT transactions_pkey PRIMARY KEY (id);


--
-- Name: webhook_deliveries webhook_deliveries_event_id_endpoint_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_event_id_endpoint_id_key UNIQUE (event_id, endpoint_id);


--
-- Name: webhook_deliveries webhook_deliveries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (id);


--
-- Name: webhook_endpoints webhook_endpoints_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_endpoints
    ADD CONSTRAINT webhook_endpoints_pkey PRIMARY KEY (id);


--
-- Name: ix_access_tokens_key; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_access_tokens_key ON public.access_tokens USING btree (key_id);


--
-- Name: ix_audit_log_target; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_audit_log_target ON public.audit_log USING btree (target, id);


--
-- Name: ix_authorisation_decisions_account; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_authorisation_decisions_account ON public.authorisation_decisions USING btree (account_no, decided_at);


--
-- Name: ix_authorisation_standins_open; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_authorisation_standins_open ON public.authorisation_standins USING btree (answered_at) WHERE (resolved_at IS NULL);


--
-- Name: ix_delivery_attempts_delivery; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_delivery_attempts_delivery ON public.delivery_attempts USING btree (delivery_id, id);


--
-- Name: ix_hmac_nonces_seen; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_hmac_nonces_seen ON public.hmac_nonces USING btree (seen_at);


--
-- Name: ix_journal_account; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_journal_account ON public.journal USING btree (account_no, id);


--
-- Name: ix_outbox_events_pending; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outbox_events_pending ON public.outbox_events USING btree (id) WHERE (NOT fanned_out);


--
-- Name: ix_outbox_events_subject; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outbox_events_subject ON public.outbox_events USING btree (subject) WHERE (subject IS NOT NULL);


--
-- Name: ix_outbox_events_transaction; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outbox_events_transaction ON public.outbox_events USING btree (transaction_id, event_type);


--
-- Name: ix_transaction_versions_transaction; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_transaction_versions_transaction ON public.transaction_versions USING btree (transaction_id, seq);


--
-- Name: ix_transactions_effect_account_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_transactions_effect_account_created ON public.transactions USING btree (effect_account, created_at) WHERE ((effect_held <> 0) OR (effect_posted <> 0));


--
-- Name: ix_transactions_effect_counter; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_transactions_effect_counter ON public.transactions USING btree (effect_counter) WHERE effect_counter_is_account;


--
-- Name: ix_webhook_deliveries_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_webhook_deliveries_due ON public.webhook_deliveries USING btree (next_attempt_at) WHERE (state = 'pending'::text);


--
-- Name: ix_webhook_deliveries_endpoint_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_webhook_deliveries_endpoint_due ON public.webhook_deliveries USING btree (endpoint_id, next_attempt_at, id) WHERE (state = 'pending'::text);


--
-- Name: ix_webhook_deliveries_lease_owner; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_webhook_deliveries_lease_owner ON public.webhook_deliveries USING btree (lease_owner) WHERE (lease_owner IS NOT NULL);


--
-- Name: ix_webhook_deliveries_state; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_webhook_deliveries_state ON public.webhook_deliveries USING btree (state, id);


--
-- Name: ux_transaction_versions_applied; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ux_transaction_versions_applied ON public.transaction_versions USING btree (transaction_id, version) WHERE (outcome = 'applied'::text);


--
-- Name: access_tokens access_tokens_key_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.access_tokens
    ADD CONSTRAINT access_tokens_key_id_fkey FOREIGN KEY (key_id) REFERENCES public.api_keys(id);


--
-- Name: delivery_attempts delivery_attempts_delivery_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.delivery_attempts
    ADD CONSTRAINT delivery_attempts_delivery_id_fkey FOREIGN KEY (delivery_id) REFERENCES public.webhook_deliveries(id) ON DELETE CASCADE;


--
-- Name: webhook_deliveries webhook_deliveries_endpoint_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_endpoint_id_fkey FOREIGN KEY (endpoint_id) REFERENCES public.webhook_endpoints(id) ON DELETE CASCADE;


--
-- Name: webhook_deliveries webhook_deliveries_event_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.outbox_events(event_id);


--
-- PostgreSQL database dump complete
--


