import DellmPostgres

/// The PostgreSQL schema, as ordered migrations. Applied by `dellm migrate` and by every worker on start.
public enum Schema {
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "core tables", sql: [
            """
            CREATE TABLE users (
                id text PRIMARY KEY,
                runs_nodes boolean NOT NULL DEFAULT false,
                created_at timestamptz NOT NULL DEFAULT now())
            """,
            """
            CREATE TABLE credit_ledger (
                id bigserial PRIMARY KEY,
                user_id text NOT NULL REFERENCES users(id),
                amount numeric(14,4) NOT NULL,
                kind text NOT NULL,
                query_id text,
                subtask_id text,
                attempt integer,
                idempotency_key text NOT NULL UNIQUE,
                created_at timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX credit_ledger_user ON credit_ledger(user_id)",
            """
            CREATE TABLE queries (
                id text PRIMARY KEY,
                user_id text NOT NULL REFERENCES users(id),
                text text NOT NULL,
                status text NOT NULL DEFAULT 'running' CHECK (status IN ('running','answered','failed')),
                answer text,
                error text,
                subtask_count integer NOT NULL DEFAULT 0,
                created_at timestamptz NOT NULL DEFAULT now(),
                finished_at timestamptz)
            """,
            "CREATE INDEX queries_status ON queries(status, created_at)",
            """
            CREATE TABLE subtasks (
                id text PRIMARY KEY,
                query_id text NOT NULL REFERENCES queries(id),
                idx integer NOT NULL,
                type text NOT NULL,
                text text NOT NULL,
                route_rule text,
                status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','verified','failed')),
                answer text,
                error text,
                attempts integer NOT NULL DEFAULT 0,
                updated_at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (query_id, idx))
            """,
            """
            CREATE TABLE nodes (
                id text PRIMARY KEY,
                role text NOT NULL,
                species text NOT NULL DEFAULT 'default',
                trust double precision NOT NULL DEFAULT 0.5,
                verified integer NOT NULL DEFAULT 0,
                correct integer NOT NULL DEFAULT 0,
                first_seen timestamptz NOT NULL DEFAULT now(),
                last_seen timestamptz NOT NULL DEFAULT now())
            """,
            """
            CREATE TABLE attempts (
                subtask_id text NOT NULL REFERENCES subtasks(id),
                attempt integer NOT NULL,
                node_id text NOT NULL,
                answer text,
                votes jsonb NOT NULL DEFAULT '[]',
                confidence double precision,
                tool text,
                error text,
                latency_ms integer,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (subtask_id, attempt))
            """,
            """
            CREATE TABLE verdicts (
                subtask_id text NOT NULL,
                attempt integer NOT NULL,
                node_id text NOT NULL,
                passed boolean NOT NULL,
                reason text NOT NULL,
                verifier text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (subtask_id, attempt),
                FOREIGN KEY (subtask_id, attempt) REFERENCES attempts(subtask_id, attempt))
            """,
            "CREATE INDEX verdicts_node ON verdicts(node_id, created_at DESC)",
        ]),
        Migration(version: 2, name: "economy: node owners, heartbeats, performance matrix", sql: [
            "ALTER TABLE nodes ADD COLUMN owner_user text",
            "ALTER TABLE nodes ADD COLUMN uptime double precision NOT NULL DEFAULT 1",
            """
            CREATE TABLE node_heartbeats (
                node_id text NOT NULL,
                minute timestamptz NOT NULL,
                PRIMARY KEY (node_id, minute))
            """,
            """
            CREATE TABLE perf_matrix (
                task_type text NOT NULL,
                species text NOT NULL,
                attempts integer NOT NULL DEFAULT 0,
                correct integer NOT NULL DEFAULT 0,
                total_ms bigint NOT NULL DEFAULT 0,
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (task_type, species))
            """,
            "CREATE INDEX credit_ledger_query ON credit_ledger(query_id)",
        ]),
        Migration(version: 3, name: "genomes, generations, routed and critical subtasks", sql: [
            """
            CREATE TABLE genomes (
                id text PRIMARY KEY,
                species text NOT NULL,
                generation integer NOT NULL,
                specialization text NOT NULL,
                spec jsonb NOT NULL,
                status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','retired')),
                created_at timestamptz NOT NULL DEFAULT now(),
                retired_at timestamptz)
            """,
            "CREATE INDEX genomes_active ON genomes(specialization) WHERE status = 'active'",
            """
            CREATE TABLE generations (
                number integer PRIMARY KEY,
                kind text NOT NULL CHECK (kind IN ('seed','evolve','rollback')),
                fleet_fitness double precision,
                band text,
                mutation_rate double precision,
                culled jsonb NOT NULL DEFAULT '[]',
                spawned jsonb NOT NULL DEFAULT '[]',
                population jsonb NOT NULL,
                fitness jsonb NOT NULL DEFAULT '{}',
                verdicts_at_start bigint NOT NULL DEFAULT 0,
                note text,
                created_at timestamptz NOT NULL DEFAULT now())
            """,
            "ALTER TABLE subtasks ADD COLUMN genome text",
            "ALTER TABLE subtasks ADD COLUMN mode text NOT NULL DEFAULT 'normal' CHECK (mode IN ('normal','spot','critical'))",
            "CREATE INDEX subtasks_queued_genome ON subtasks(genome) WHERE status = 'queued'",
            "ALTER TABLE attempts ADD COLUMN genome text",
            "ALTER TABLE attempts ADD COLUMN model_calls integer NOT NULL DEFAULT 0",
            // A passed answer that lost a majority vote (spot check, critical query): wrong after all.
            "ALTER TABLE attempts ADD COLUMN outvoted boolean NOT NULL DEFAULT false",
            "CREATE INDEX attempts_genome ON attempts(genome) WHERE genome IS NOT NULL",
            "ALTER TABLE queries ADD COLUMN critical boolean NOT NULL DEFAULT false",
        ]),
        // Trust's window of the last 100 verdicts kept on the node ('1' passed, '0' failed, oldest
        // first), so a verdict moves trust without reading them back; filled from the verdicts so far.
        Migration(version: 4, name: "trust's window of recent verdicts on the node", sql: [
            "ALTER TABLE nodes ADD COLUMN recent_verdicts text NOT NULL DEFAULT ''",
            """
            UPDATE nodes n SET recent_verdicts = coalesce((
                SELECT string_agg(CASE WHEN r.passed THEN '1' ELSE '0' END, '' ORDER BY r.created_at)
                FROM (SELECT passed, created_at FROM verdicts WHERE node_id = n.id ORDER BY created_at DESC LIMIT 100) r), '')
            """,
        ]),
        // A balance is the user's folded sum plus the ledger entries not folded into it yet, so reading it
        // does not grow with the ledger (a node owner earns an entry per verified attempt). Entries are
        // folded under the user's lock, sum and flag in one transaction: each counts exactly once.
        Migration(version: 5, name: "balances folded from the ledger", sql: [
            "ALTER TABLE credit_ledger ADD COLUMN folded boolean NOT NULL DEFAULT false",
            "ALTER TABLE users ADD COLUMN folded_balance numeric(16,4) NOT NULL DEFAULT 0",
            "CREATE INDEX credit_ledger_unfolded ON credit_ledger(user_id) INCLUDE (amount) WHERE NOT folded",
        ]),
        Migration(version: 6, name: "new-user grants counted per hour", sql: [
            "CREATE INDEX credit_ledger_grants ON credit_ledger(created_at) WHERE kind = 'grant'",
        ]),
        Migration(version: 7, name: "a user's running queries, for fair share", sql: [
            "CREATE INDEX queries_user_running ON queries(user_id) INCLUDE (subtask_count) WHERE status = 'running'",
        ]),
        // A pass no check could prove (a fact, code no example tests, a word problem the calculator does
        // not read) is recorded as unproven: shown as such, and not counted for trust, credits or accuracy.
        Migration(version: 8, name: "unproven verdicts", sql: [
            "ALTER TABLE verdicts ADD COLUMN proven boolean NOT NULL DEFAULT true",
            "ALTER TABLE subtasks ADD COLUMN proven boolean",
            "ALTER TABLE perf_matrix ADD COLUMN unproven integer NOT NULL DEFAULT 0",
        ]),
        // A part that uses an earlier part's result (a model answers that one) waits: it is enqueued,
        // with the result put in, when that part is settled, and fails when that part failed.
        Migration(version: 9, name: "parts that wait for an earlier part's result", sql: [
            "ALTER TABLE subtasks ADD COLUMN waits_for integer",
            "ALTER TABLE subtasks DROP CONSTRAINT subtasks_status_check",
            "ALTER TABLE subtasks ADD CONSTRAINT subtasks_status_check CHECK (status IN ('waiting','queued','verified','failed'))",
        ]),
        // Nodes registered by the operator (`ops nodes add`): their owner and types are the registration's,
        // not what a node says; a revoked node's work is no longer read. Tasks a node took and did not
        // hand in before its deadline are counted against it.
        Migration(version: 10, name: "registered nodes and missed tasks", sql: [
            "ALTER TABLE nodes ADD COLUMN registered_at timestamptz",
            "ALTER TABLE nodes ADD COLUMN revoked_at timestamptz",
            "ALTER TABLE nodes ADD COLUMN types text NOT NULL DEFAULT ''",
            "ALTER TABLE nodes ADD COLUMN missed integer NOT NULL DEFAULT 0",
        ]),
        Migration(version: 11, name: "cancelled queries", sql: [
            "ALTER TABLE queries DROP CONSTRAINT queries_status_check",
            "ALTER TABLE queries ADD CONSTRAINT queries_status_check CHECK (status IN ('running','answered','failed','cancelled'))",
        ]),
        // Whose Redis namespace issued a query's tasks: the sweeper issues lost tasks again only for its
        // own fleet's queries, when several namespaces share one database.
        Migration(version: 12, name: "the namespace a query runs in", sql: [
            "ALTER TABLE queries ADD COLUMN namespace text",
        ]),
    ]
}
