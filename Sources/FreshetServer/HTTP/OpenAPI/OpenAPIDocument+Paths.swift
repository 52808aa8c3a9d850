extension OpenAPIDocument {
    /// The document's head and the paths of connections, runs, audit and tokens.
    static let paths = #"""
        openapi: 3.1.0
        info:
          title: Freshet API
          version: 1.0.0
          description: |
            Freshet keeps Tableau extracts in step with data pipelines. Every /api/v1 route except this
            document needs `Authorization: Bearer fsh_…` (an API token). Errors are RFC 9457 problem
            documents (application/problem+json). See docs/api.md.
        servers:
          - url: /
        security:
          - bearer: []
        tags:
          - name: operations
          - name: connections
          - name: runs
          - name: audit
          - name: tokens
          - name: access
          - name: users
          - name: content
          - name: passthrough
          - name: freshness
          - name: alerts
        paths:
          /health:
            get:
              tags: [operations]
              summary: The process is up.
              security: []
              responses:
                "200":
                  description: Up.
                  content:
                    application/json:
                      schema: { $ref: "#/components/schemas/Health" }
          /hooks/tableau/{connection}/{secret}:
            post:
              tags: [operations]
              summary: Tableau's webhook deliveries (registered by serve --public-url); the path's secret authenticates them.
              description: A delivery of a data source or workbook refresh that succeeded or failed wakes the runs waiting on its item, which confirm the outcome with Tableau. Tableau signs nothing; a wrong secret or connection is a 404.
              security: []
              parameters:
                - { name: connection, in: path, required: true, schema: { type: string } }
                - { name: secret, in: path, required: true, schema: { type: string } }
              requestBody:
                content:
                  application/json:
                    schema: { type: object, properties: { event_type: { type: string }, resource: { type: string }, resource_luid: { type: string }, resource_name: { type: string }, site_luid: { type: string }, created_at: { type: string } } }
              responses:
                "200": { description: Received (a hint; nothing else is answered). }
                "404": { description: Unknown connection or wrong secret. }
          /ready:
            get:
              tags: [operations]
              summary: The database is reachable and migrated.
              security: []
              responses:
                "200":
                  description: Ready.
                  content:
                    application/json:
                      schema: { $ref: "#/components/schemas/Health" }
                "503": { $ref: "#/components/responses/Problem" }
          /metrics:
            get:
              tags: [operations]
              summary: Metrics in Prometheus' text format.
              security: []
              responses:
                "200":
                  description: Metrics.
                  content:
                    text/plain:
                      schema: { type: string }
          /api/v1/openapi.yaml:
            get:
              tags: [operations]
              summary: This document.
              security: []
              responses:
                "200":
                  description: The OpenAPI document.
                  content:
                    application/yaml:
                      schema: { type: string }
          /api/v1/connections:
            get:
              tags: [connections]
              summary: List connections (secrets masked). Scope read.
              responses:
                "200":
                  description: Connections by name.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [connections]
                        properties:
                          connections:
                            type: array
                            items: { $ref: "#/components/schemas/Connection" }
                default: { $ref: "#/components/responses/Problem" }
            post:
              tags: [connections]
              summary: Add a connection. Scope connections:admin.
              requestBody:
                required: true
                content:
                  application/json:
                    schema: { $ref: "#/components/schemas/ConnectionCreate" }
              responses:
                "201":
                  description: Added.
                  content:
                    application/json:
                      schema: { $ref: "#/components/schemas/Connection" }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/connections/{connection}:
            parameters:
              - { $ref: "#/components/parameters/Connection" }
            get:
              tags: [connections]
              summary: One connection (secret masked). Scope read.
              responses:
                "200":
                  description: The connection.
                  content:
                    application/json:
                      schema: { $ref: "#/components/schemas/Connection" }
                default: { $ref: "#/components/responses/Problem" }
            patch:
              tags: [connections]
              summary: Edit a connection with the CLI's semantics. Scope connections:admin.
              description: |
                Absent or blank serverUrl and patName keep the stored values; a secret is replaced only
                when a new one is given; siteContentUrl, when present, is always saved ("" switches to
                the Default site).
              requestBody:
                required: true
                content:
                  application/json:
                    schema: { $ref: "#/components/schemas/ConnectionEdit" }
              responses:
                "200":
                  description: The edited connection.
                  content:
                    application/json:
                      schema: { $ref: "#/components/schemas/Connection" }
                default: { $ref: "#/components/responses/Problem" }
            delete:
              tags: [connections]
              summary: Remove a connection. Scope connections:admin.
              responses:
                "204": { description: Removed. }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/connections/{connection}/check:
            parameters:
              - { $ref: "#/components/parameters/Connection" }
            post:
              tags: [connections]
              summary: Run the five health checks. Scope connections:admin.
              responses:
                "200":
                  description: The checks' results (passed is false when any failed).
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [connection, passed, results]
                        properties:
                          connection: { type: string }
                          passed: { type: boolean }
                          results:
                            type: array
                            items: { $ref: "#/components/schemas/HealthCheckResult" }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/runs:
            post:
              tags: [runs]
              summary: Refresh workbooks and data sources now. Scope refresh; every item must be in the allow-list.
              description: |
                Each workbook or data source the targets resolve to becomes a durable run. A request for an item
                whose refresh is queued or running joins that run; a repeated idempotency key (body or
                Idempotency-Key header) returns the same runs. waitSeconds (0-60) holds the answer until every run
                has ended or the time is up: 200 when all ended, 202 while any still runs.
              parameters:
                - { name: Idempotency-Key, in: header, description: "Same as the body's idempotencyKey (400 when both differ).", schema: { type: string } }
              requestBody:
                required: true
                content:
                  application/json:
                    schema: { $ref: "#/components/schemas/RunsCreate" }
              responses:
                "200":
                  description: Every run has ended.
                  content:
                    application/json:
                      schema: { $ref: "#/components/schemas/RunsAnswer" }
                "202":
                  description: Accepted; some runs are still going.
                  content:
                    application/json:
                      schema: { $ref: "#/components/schemas/RunsAnswer" }
                default: { $ref: "#/components/responses/Problem" }
            get:
              tags: [runs]
              summary: Runs, newest first. Scope read (every run) or refresh (the runs of content in the token's allow-list).
              parameters:
                - { name: connection, in: query, description: Connection name or id, schema: { type: string } }
                - { name: state, in: query, description: "One or more states, comma-separated or repeated", schema: { type: string } }
                - { name: limit, in: query, schema: { type: integer, minimum: 1, maximum: 1000, default: 50 } }
                - { name: cursor, in: query, description: nextCursor of the previous page, schema: { type: string } }
              responses:
                "200":
                  description: One page of runs.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [runs]
                        properties:
                          runs:
                            type: array
                            items: { $ref: "#/components/schemas/Run" }
                          nextCursor: { type: [string, "null"] }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/runs/{run}:
            parameters:
              - { $ref: "#/components/parameters/Run" }
            get:
              tags: [runs]
              summary: One run. Scope read, or refresh with the run's content in the token's allow-list; waitSeconds (0-60) long-polls until it ends.
              parameters:
                - { name: waitSeconds, in: query, schema: { type: integer, minimum: 0, maximum: 60, default: 0 } }
              responses:
                "200":
                  description: The run as it stands (finished tells whether it ended).
                  content:
                    application/json:
                      schema: { $ref: "#/components/schemas/Run" }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/runs/{run}/cancel:
            parameters:
              - { $ref: "#/components/parameters/Run" }
            post:
              tags: [runs]
              summary: Cancel a run and its Tableau job. Scope refresh; the run's item must be in the allow-list.
              responses:
                "200":
                  description: The run has ended (cancelled, or it had ended already).
                  content:
                    application/json:
                      schema: { $ref: "#/components/schemas/Run" }
                "202":
                  description: Cancel requested; Tableau is cancelling the job.
                  content:
                    application/json:
                      schema: { $ref: "#/components/schemas/Run" }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/audit:
            get:
              tags: [audit]
              summary: The audit log, newest first. Scope audit:read.
              parameters:
                - { name: actor, in: query, schema: { type: string } }
                - { name: action, in: query, description: An action, or a prefix ending in ".", schema: { type: string } }
                - { name: target, in: query, schema: { type: string } }
                - { name: outcome, in: query, schema: { type: string, enum: [success, failure] } }
                - { name: since, in: query, schema: { type: string, format: date-time } }
                - { name: until, in: query, schema: { type: string, format: date-time } }
                - { name: limit, in: query, schema: { type: integer, minimum: 1, maximum: 1000, default: 100 } }
                - { name: cursor, in: query, description: nextCursor of the previous page, schema: { type: string } }
              responses:
                "200":
                  description: One page of events.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [events]
                        properties:
                          events:
                            type: array
                            items: { $ref: "#/components/schemas/AuditEvent" }
                          nextCursor: { type: [string, "null"] }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/tokens:
            get:
              tags: [tokens]
              summary: List API tokens (never their text). Admin token.
              responses:
                "200":
                  description: Tokens by name.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [tokens]
                        properties:
                          tokens:
                            type: array
                            items: { $ref: "#/components/schemas/Token" }
                default: { $ref: "#/components/responses/Problem" }
            post:
              tags: [tokens]
              summary: Create an API token; its text is in this answer only. Admin token.
              requestBody:
                required: true
                content:
                  application/json:
                    schema: { $ref: "#/components/schemas/TokenCreate" }
              responses:
                "201":
                  description: Created.
                  content:
                    application/json:
                      schema:
                        allOf:
                          - { $ref: "#/components/schemas/Token" }
                          - type: object
                            required: [token]
                            properties:
                              token: { type: string, description: "fsh_…, shown once" }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/tokens/{token}:
            delete:
              tags: [tokens]
              summary: Revoke an API token. Admin token.
              parameters:
                - { name: token, in: path, required: true, description: Token id or name, schema: { type: string } }
              responses:
                "200":
                  description: The revoked token.
                  content:
                    application/json:
                      schema: { $ref: "#/components/schemas/Token" }
                default: { $ref: "#/components/responses/Problem" }
        """#
}
