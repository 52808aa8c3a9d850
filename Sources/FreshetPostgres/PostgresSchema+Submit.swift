extension PostgresSchema {
    /// Storing a request and taking a job slot as server-side functions (decision 0008 §4): each
    /// takes its connection's request lock (`pg_advisory_xact_lock(hashtext('freshet.runs.' ||
    /// connection))`, the lock `PostgresStore.lockRequests` takes) and decides and writes in one
    /// call, so the lock is held for the server's work only, never across round trips. Every statement in a function reads a
    /// fresh snapshot (READ COMMITTED), so it sees what earlier lock holders committed.
    static let submitFunctions = [
        // Milliseconds since 1970 (as PostgresTimestamp keeps them) as a TIMESTAMPTZ, NULL stays NULL.
        """
        CREATE FUNCTION freshet_ms(p_ms BIGINT) RETURNS TIMESTAMPTZ LANGUAGE sql IMMUTABLE AS $$
            SELECT CASE WHEN p_ms IS NULL THEN NULL ELSE TIMESTAMPTZ 'epoch' + p_ms * INTERVAL '1 millisecond' END
        $$
        """,
        """
        CREATE FUNCTION freshet_submit(
            p_connection TEXT, p_key TEXT, p_fingerprint TEXT, p_created_ms BIGINT, p_joining BOOLEAN, p_slot_limit INTEGER, p_runs JSONB)
        RETURNS TABLE (submitted_id TEXT, submitted_as TEXT) LANGUAGE plpgsql AS $$
        DECLARE
            v_low TEXT := p_key || '#';
            v_high TEXT := p_key || '$';
            v_free INTEGER := 0;
            v_entry JSONB;
            v_row JSONB;
            v_key TEXT;
            v_id TEXT;
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtext('freshet.runs.' || p_connection));
            IF p_key IS NOT NULL AND (
                EXISTS (SELECT 1 FROM request_keys k WHERE k.connection_id = p_connection AND k.idempotency_key = p_key)
                OR EXISTS (SELECT 1 FROM runs r WHERE r.connection_id = p_connection
                    AND (r.idempotency_key = p_key OR (r.idempotency_key >= v_low AND r.idempotency_key < v_high)))
                OR EXISTS (SELECT 1 FROM run_keys k WHERE k.connection_id = p_connection
                    AND (k.idempotency_key = p_key OR (k.idempotency_key >= v_low AND k.idempotency_key < v_high))))
            THEN
                submitted_id := NULL;
                submitted_as := 'existing';
                RETURN NEXT;
                RETURN;
            END IF;
            IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_runs) e WHERE e.value ? 'started') THEN
                v_free := p_slot_limit - (SELECT count(*) FROM runs r WHERE r.connection_id = p_connection AND r.holds_job_slot);
            END IF;
            FOR v_entry IN SELECT e.value FROM jsonb_array_elements(p_runs) WITH ORDINALITY e ORDER BY e.ordinality LOOP
                v_key := v_entry->'plain'->>'idempotency_key';
                v_id := NULL;
                IF v_key IS NOT NULL THEN
                    SELECT k.run_id INTO v_id FROM run_keys k WHERE k.connection_id = p_connection AND k.idempotency_key = v_key;
                    IF v_id IS NULL THEN
                        SELECT r.id INTO v_id FROM runs r WHERE r.connection_id = p_connection AND r.idempotency_key = v_key;
                    END IF;
                    IF v_id IS NOT NULL THEN
                        submitted_id := v_id;
                        submitted_as := 'existingIdempotencyKey';
                        RETURN NEXT;
                        CONTINUE;
                    END IF;
                END IF;
                IF p_joining THEN
                    SELECT r.id INTO v_id FROM runs r
                    WHERE r.connection_id = p_connection AND r.content_type = v_entry->'plain'->>'content_type'
                        AND r.item_id = v_entry->'plain'->>'item_id' AND r.state IN ('accepted', 'triggering', 'waiting')
                    ORDER BY r.created_at, r.id LIMIT 1;
                    IF v_id IS NOT NULL THEN
                        IF v_key IS NOT NULL THEN
                            INSERT INTO run_keys (connection_id, idempotency_key, run_id) VALUES (p_connection, v_key, v_id)
                            ON CONFLICT DO NOTHING;
                        END IF;
                        submitted_id := v_id;
                        submitted_as := 'joinedActive';
                        RETURN NEXT;
                        CONTINUE;
                    END IF;
                END IF;
                IF v_free > 0 AND v_entry ? 'started' THEN
                    v_row := v_entry->'started';
                    v_free := v_free - 1;
                ELSE
                    v_row := v_entry->'plain';
                END IF;
                INSERT INTO runs (id, connection_id, target, content_type, item_id, item_name, project_name, actor, idempotency_key,
                    state, job_id, attempts, notes, cancel_requested, created_at, updated_at, deadline, retry_max_attempts,
                    retry_delay, version, lease_holder, lease_until, holds_job_slot)
                VALUES (v_row->>'id', v_row->>'connection_id', v_row->>'target', v_row->>'content_type', v_row->>'item_id',
                    v_row->>'item_name', v_row->>'project_name', v_row->>'actor', v_row->>'idempotency_key', v_row->>'state',
                    v_row->>'job_id', v_row->>'attempts', v_row->>'notes', (v_row->>'cancel_requested')::BOOLEAN,
                    freshet_ms((v_row->>'created_ms')::BIGINT), freshet_ms((v_row->>'updated_ms')::BIGINT),
                    freshet_ms((v_row->>'deadline_ms')::BIGINT), (v_row->>'retry_max_attempts')::INTEGER,
                    (v_row->>'retry_delay')::DOUBLE PRECISION, 0, v_row->>'lease_holder', freshet_ms((v_row->>'lease_until_ms')::BIGINT),
                    (v_row->>'holds_job_slot')::BOOLEAN);
                submitted_id := v_row->>'id';
                submitted_as := 'created';
                RETURN NEXT;
            END LOOP;
            IF p_key IS NOT NULL THEN
                INSERT INTO request_keys (connection_id, idempotency_key, fingerprint, created_at)
                VALUES (p_connection, p_key, p_fingerprint, freshet_ms(p_created_ms));
            END IF;
        END
        $$
        """,
        """
        CREATE FUNCTION freshet_take_job_slot(p_run TEXT, p_connection TEXT, p_limit INTEGER) RETURNS BOOLEAN LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtext('freshet.runs.' || p_connection));
            UPDATE runs SET holds_job_slot = TRUE
            WHERE id = p_run AND NOT holds_job_slot AND state IN ('accepted', 'triggering', 'waiting')
                AND (SELECT count(*) FROM runs r WHERE r.connection_id = p_connection AND r.holds_job_slot) < p_limit;
            IF FOUND THEN
                RETURN TRUE;
            END IF;
            RETURN COALESCE((SELECT r.holds_job_slot FROM runs r WHERE r.id = p_run), FALSE);
        END
        $$
        """,
    ]
}
