--
-- PostgreSQL database dump
--

\restrict YjBfDtc1tfaGECeD0K0H99DYyc3e1nspnsMHcJUaUIJfodQWeKLVmktE0FRdJ3S

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: django_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.django_migrations (
    id bigint NOT NULL,
    app character varying(255) NOT NULL,
    name character varying(255) NOT NULL,
    applied timestamp with time zone NOT NULL
);


--
-- Name: django_migrations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.django_migrations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: django_migrations_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.django_migrations_id_seq OWNED BY public.django_migrations.id;


--
-- Name: helpdesk_agent; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.helpdesk_agent (
    id bigint NOT NULL,
    name character varying(100) NOT NULL,
    team character varying(40) NOT NULL
);


--
-- Name: helpdesk_agent_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.helpdesk_agent_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: helpdesk_agent_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.helpdesk_agent_id_seq OWNED BY public.helpdesk_agent.id;


--
-- Name: helpdesk_article; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.helpdesk_article (
    id bigint NOT NULL,
    title character varying(200) NOT NULL,
    views integer NOT NULL
);


--
-- Name: helpdesk_article_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.helpdesk_article_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: helpdesk_article_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.helpdesk_article_id_seq OWNED BY public.helpdesk_article.id;


--
-- Name: helpdesk_comment; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.helpdesk_comment (
    id bigint NOT NULL,
    body text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    author_id bigint,
    ticket_id bigint NOT NULL
);


--
-- Name: helpdesk_comment_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.helpdesk_comment_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: helpdesk_comment_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.helpdesk_comment_id_seq OWNED BY public.helpdesk_comment.id;


--
-- Name: helpdesk_customer; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.helpdesk_customer (
    id bigint NOT NULL,
    email character varying(200) NOT NULL,
    name character varying(100) NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: helpdesk_customer_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.helpdesk_customer_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: helpdesk_customer_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.helpdesk_customer_id_seq OWNED BY public.helpdesk_customer.id;


--
-- Name: helpdesk_dailystat; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.helpdesk_dailystat (
    id bigint NOT NULL,
    day date NOT NULL,
    last_resolved_ticket bigint NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    agent_id bigint NOT NULL
);


--
-- Name: helpdesk_dailystat_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.helpdesk_dailystat_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: helpdesk_dailystat_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.helpdesk_dailystat_id_seq OWNED BY public.helpdesk_dailystat.id;


--
-- Name: helpdesk_priority; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.helpdesk_priority (
    id bigint NOT NULL,
    name character varying(20) NOT NULL,
    sla_hours integer NOT NULL
);


--
-- Name: helpdesk_priority_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.helpdesk_priority_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: helpdesk_priority_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.helpdesk_priority_id_seq OWNED BY public.helpdesk_priority.id;


--
-- Name: helpdesk_tag; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.helpdesk_tag (
    id bigint NOT NULL,
    name character varying(50) NOT NULL
);


--
-- Name: helpdesk_tag_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.helpdesk_tag_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: helpdesk_tag_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.helpdesk_tag_id_seq OWNED BY public.helpdesk_tag.id;


--
-- Name: helpdesk_ticket; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.helpdesk_ticket (
    id bigint NOT NULL,
    reference character varying(20) NOT NULL,
    status character varying(20) NOT NULL,
    team character varying(40) NOT NULL,
    opened_on date NOT NULL,
    subject character varying(200) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    agent_id bigint,
    customer_id bigint NOT NULL,
    priority_id bigint NOT NULL
);


--
-- Name: helpdesk_ticket_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.helpdesk_ticket_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: helpdesk_ticket_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.helpdesk_ticket_id_seq OWNED BY public.helpdesk_ticket.id;


--
-- Name: helpdesk_tickettag; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.helpdesk_tickettag (
    id bigint NOT NULL,
    tag_id bigint NOT NULL,
    ticket_id bigint NOT NULL
);


--
-- Name: helpdesk_tickettag_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.helpdesk_tickettag_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: helpdesk_tickettag_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.helpdesk_tickettag_id_seq OWNED BY public.helpdesk_tickettag.id;


--
-- Name: helpdesk_watcher; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.helpdesk_watcher (
    id bigint NOT NULL,
    created_at timestamp with time zone NOT NULL,
    agent_id bigint NOT NULL,
    ticket_id bigint NOT NULL
);


--
-- Name: helpdesk_watcher_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.helpdesk_watcher_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: helpdesk_watcher_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.helpdesk_watcher_id_seq OWNED BY public.helpdesk_watcher.id;


--
-- Name: django_migrations id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.django_migrations ALTER COLUMN id SET DEFAULT nextval('public.django_migrations_id_seq'::regclass);


--
-- Name: helpdesk_agent id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_agent ALTER COLUMN id SET DEFAULT nextval('public.helpdesk_agent_id_seq'::regclass);


--
-- Name: helpdesk_article id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_article ALTER COLUMN id SET DEFAULT nextval('public.helpdesk_article_id_seq'::regclass);


--
-- Name: helpdesk_comment id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_comment ALTER COLUMN id SET DEFAULT nextval('public.helpdesk_comment_id_seq'::regclass);


--
-- Name: helpdesk_customer id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_customer ALTER COLUMN id SET DEFAULT nextval('public.helpdesk_customer_id_seq'::regclass);


--
-- Name: helpdesk_dailystat id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_dailystat ALTER COLUMN id SET DEFAULT nextval('public.helpdesk_dailystat_id_seq'::regclass);


--
-- Name: helpdesk_priority id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_priority ALTER COLUMN id SET DEFAULT nextval('public.helpdesk_priority_id_seq'::regclass);


--
-- Name: helpdesk_tag id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_tag ALTER COLUMN id SET DEFAULT nextval('public.helpdesk_tag_id_seq'::regclass);


--
-- Name: helpdesk_ticket id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_ticket ALTER COLUMN id SET DEFAULT nextval('public.helpdesk_ticket_id_seq'::regclass);


--
-- Name: helpdesk_tickettag id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_tickettag ALTER COLUMN id SET DEFAULT nextval('public.helpdesk_tickettag_id_seq'::regclass);


--
-- Name: helpdesk_watcher id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_watcher ALTER COLUMN id SET DEFAULT nextval('public.helpdesk_watcher_id_seq'::regclass);


--
-- Name: django_migrations django_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.django_migrations
    ADD CONSTRAINT django_migrations_pkey PRIMARY KEY (id);


--
-- Name: helpdesk_agent helpdesk_agent_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_agent
    ADD CONSTRAINT helpdesk_agent_pkey PRIMARY KEY (id);


--
-- Name: helpdesk_article helpdesk_article_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_article
    ADD CONSTRAINT helpdesk_article_pkey PRIMARY KEY (id);


--
-- Name: helpdesk_comment helpdesk_comment_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_comment
    ADD CONSTRAINT helpdesk_comment_pkey PRIMARY KEY (id);


--
-- Name: helpdesk_customer helpdesk_customer_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_customer
    ADD CONSTRAINT helpdesk_customer_pkey PRIMARY KEY (id);


--
-- Name: helpdesk_dailystat helpdesk_dailystat_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_dailystat
    ADD CONSTRAINT helpdesk_dailystat_pkey PRIMARY KEY (id);


--
-- Name: helpdesk_priority helpdesk_priority_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_priority
    ADD CONSTRAINT helpdesk_priority_pkey PRIMARY KEY (id);


--
-- Name: helpdesk_tag helpdesk_tag_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_tag
    ADD CONSTRAINT helpdesk_tag_name_key UNIQUE (name);


--
-- Name: helpdesk_tag helpdesk_tag_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_tag
    ADD CONSTRAINT helpdesk_tag_pkey PRIMARY KEY (id);


--
-- Name: helpdesk_ticket helpdesk_ticket_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_ticket
    ADD CONSTRAINT helpdesk_ticket_pkey PRIMARY KEY (id);


--
-- Name: helpdesk_ticket helpdesk_ticket_reference_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_ticket
    ADD CONSTRAINT helpdesk_ticket_reference_key UNIQUE (reference);


--
-- Name: helpdesk_tickettag helpdesk_tickettag_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_tickettag
    ADD CONSTRAINT helpdesk_tickettag_pkey PRIMARY KEY (id);


--
-- Name: helpdesk_tickettag helpdesk_tickettag_ticket_tag_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_tickettag
    ADD CONSTRAINT helpdesk_tickettag_ticket_tag_uniq UNIQUE (ticket_id, tag_id);


--
-- Name: helpdesk_watcher helpdesk_watcher_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_watcher
    ADD CONSTRAINT helpdesk_watcher_pkey PRIMARY KEY (id);


--
-- Name: helpdesk_comment_author_id_7daefb7e; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX helpdesk_comment_author_id_7daefb7e ON public.helpdesk_comment USING btree (author_id);


--
-- Name: helpdesk_comment_ticket_id_c00da1fb; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX helpdesk_comment_ticket_id_c00da1fb ON public.helpdesk_comment USING btree (ticket_id);


--
-- Name: helpdesk_dailystat_agent_id_17297e27; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX helpdesk_dailystat_agent_id_17297e27 ON public.helpdesk_dailystat USING btree (agent_id);


--
-- Name: helpdesk_tag_name_3651d8cc_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX helpdesk_tag_name_3651d8cc_like ON public.helpdesk_tag USING btree (name varchar_pattern_ops);


--
-- Name: helpdesk_ticket_agent_id_a75e76db; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX helpdesk_ticket_agent_id_a75e76db ON public.helpdesk_ticket USING btree (agent_id);


--
-- Name: helpdesk_ticket_customer_id_69346a04; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX helpdesk_ticket_customer_id_69346a04 ON public.helpdesk_ticket USING btree (customer_id);


--
-- Name: helpdesk_ticket_priority_id_d7660fd0; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX helpdesk_ticket_priority_id_d7660fd0 ON public.helpdesk_ticket USING btree (priority_id);


--
-- Name: helpdesk_ticket_reference_9c37f5ce_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX helpdesk_ticket_reference_9c37f5ce_like ON public.helpdesk_ticket USING btree (reference varchar_pattern_ops);


--
-- Name: helpdesk_tickettag_tag_id_1bcb8764; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX helpdesk_tickettag_tag_id_1bcb8764 ON public.helpdesk_tickettag USING btree (tag_id);


--
-- Name: helpdesk_tickettag_ticket_id_4d124296; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX helpdesk_tickettag_ticket_id_4d124296 ON public.helpdesk_tickettag USING btree (ticket_id);


--
-- Name: helpdesk_watcher_agent_id_3e568e90; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX helpdesk_watcher_agent_id_3e568e90 ON public.helpdesk_watcher USING btree (agent_id);


--
-- Name: helpdesk_watcher_ticket_id_2dd262af; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX helpdesk_watcher_ticket_id_2dd262af ON public.helpdesk_watcher USING btree (ticket_id);


--
-- Name: helpdesk_comment helpdesk_comment_author_id_7daefb7e_fk_helpdesk_agent_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_comment
    ADD CONSTRAINT helpdesk_comment_author_id_7daefb7e_fk_helpdesk_agent_id FOREIGN KEY (author_id) REFERENCES public.helpdesk_agent(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: helpdesk_comment helpdesk_comment_ticket_id_c00da1fb_fk_helpdesk_ticket_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_comment
    ADD CONSTRAINT helpdesk_comment_ticket_id_c00da1fb_fk_helpdesk_ticket_id FOREIGN KEY (ticket_id) REFERENCES public.helpdesk_ticket(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: helpdesk_dailystat helpdesk_dailystat_agent_id_17297e27_fk_helpdesk_agent_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_dailystat
    ADD CONSTRAINT helpdesk_dailystat_agent_id_17297e27_fk_helpdesk_agent_id FOREIGN KEY (agent_id) REFERENCES public.helpdesk_agent(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: helpdesk_ticket helpdesk_ticket_agent_id_a75e76db_fk_helpdesk_agent_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_ticket
    ADD CONSTRAINT helpdesk_ticket_agent_id_a75e76db_fk_helpdesk_agent_id FOREIGN KEY (agent_id) REFERENCES public.helpdesk_agent(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: helpdesk_ticket helpdesk_ticket_customer_id_69346a04_fk_helpdesk_customer_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_ticket
    ADD CONSTRAINT helpdesk_ticket_customer_id_69346a04_fk_helpdesk_customer_id FOREIGN KEY (customer_id) REFERENCES public.helpdesk_customer(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: helpdesk_ticket helpdesk_ticket_priority_id_d7660fd0_fk_helpdesk_priority_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_ticket
    ADD CONSTRAINT helpdesk_ticket_priority_id_d7660fd0_fk_helpdesk_priority_id FOREIGN KEY (priority_id) REFERENCES public.helpdesk_priority(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: helpdesk_tickettag helpdesk_tickettag_tag_id_1bcb8764_fk_helpdesk_tag_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_tickettag
    ADD CONSTRAINT helpdesk_tickettag_tag_id_1bcb8764_fk_helpdesk_tag_id FOREIGN KEY (tag_id) REFERENCES public.helpdesk_tag(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: helpdesk_tickettag helpdesk_tickettag_ticket_id_4d124296_fk_helpdesk_ticket_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_tickettag
    ADD CONSTRAINT helpdesk_tickettag_ticket_id_4d124296_fk_helpdesk_ticket_id FOREIGN KEY (ticket_id) REFERENCES public.helpdesk_ticket(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: helpdesk_watcher helpdesk_watcher_agent_id_3e568e90_fk_helpdesk_agent_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_watcher
    ADD CONSTRAINT helpdesk_watcher_agent_id_3e568e90_fk_helpdesk_agent_id FOREIGN KEY (agent_id) REFERENCES public.helpdesk_agent(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: helpdesk_watcher helpdesk_watcher_ticket_id_2dd262af_fk_helpdesk_ticket_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.helpdesk_watcher
    ADD CONSTRAINT helpdesk_watcher_ticket_id_2dd262af_fk_helpdesk_ticket_id FOREIGN KEY (ticket_id) REFERENCES public.helpdesk_ticket(id) DEFERRABLE INITIALLY DEFERRED;


--
-- PostgreSQL database dump complete
--

\unrestrict YjBfDtc1tfaGECeD0K0H99DYyc3e1nspnsMHcJUaUIJfodQWeKLVmktE0FRdJ3S

