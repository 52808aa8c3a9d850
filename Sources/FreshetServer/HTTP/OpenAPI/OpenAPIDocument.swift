/// The OpenAPI 3.1 document of everything the server serves, at `GET /api/v1/openapi.yaml`.
/// Kept true by `OpenAPIDocumentTests` (every route documented, every documented route served).
public enum OpenAPIDocument {
    public static let yaml = #"""
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
              summary: Run the four health checks. Scope connections:admin.
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
              summary: Runs, newest first. Scope read or refresh.
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
              summary: One run. Scope read or refresh; waitSeconds (0-60) long-polls until it ends.
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
          # Access management, users, content and pass-through (issue 7): docs/api.md "Access, users, content, pass-through".
          /api/v1/access-events:
            post:
              tags: [access]
              summary: Deliver a granted or revoked access event. Scope users:admin, or a signature.
              description: |
                Authenticated by a users:admin token, or without a token by X-Freshet-Timestamp and
                X-Freshet-Signature (HMAC-SHA256 of "<timestamp>.<exact body>" with the shared secret;
                timestamps older than 5 minutes or more than 60 seconds ahead are refused). Idempotent by
                eventId: a repeated id answers the first outcome with repeated true. 200 applied or unchanged;
                409 pending (another delivery is handling the id); 422 refused (the rule's message); 503 failed
                (Tableau unreachable, 429 or 5xx; send the same id again to retry).
              security:
                - bearer: []
                - signature: []
              parameters:
                - { name: X-Freshet-Timestamp, in: header, description: Unix seconds (signed deliveries), schema: { type: string } }
              requestBody:
                required: true
                content:
                  application/json:
                    schema: { $ref: "#/components/schemas/AccessEventCreate" }
              responses:
                "200":
                  description: Applied or unchanged (or the first outcome of a repeated id).
                  content:
                    application/json:
                      schema: { $ref: "#/components/schemas/AccessEvent" }
                "409": { $ref: "#/components/responses/AccessEventProblem" }
                "422": { $ref: "#/components/responses/AccessEventProblem" }
                "503": { $ref: "#/components/responses/AccessEventProblem" }
                default: { $ref: "#/components/responses/Problem" }
            get:
              tags: [access]
              summary: Recorded access events, newest first. Scope users:admin.
              parameters:
                - { name: connection, in: query, description: Connection name or id, schema: { type: string } }
                - { name: user, in: query, schema: { type: string } }
                - { name: limit, in: query, schema: { type: integer, minimum: 1, maximum: 1000, default: 100 } }
              responses:
                "200":
                  description: The events.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [events]
                        properties:
                          events:
                            type: array
                            items: { $ref: "#/components/schemas/AccessEvent" }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/connections/{connection}/users:
            parameters:
              - { $ref: "#/components/parameters/Connection" }
            get:
              tags: [users]
              summary: One page of the site's users (Tableau's paging). Scope read; needs an administrator PAT.
              parameters:
                - { name: name, in: query, schema: { type: string } }
                - { name: email, in: query, schema: { type: string } }
                - { name: siteRole, in: query, schema: { type: string } }
                - { name: pageNumber, in: query, schema: { type: integer, minimum: 1, default: 1 } }
                - { name: pageSize, in: query, schema: { type: integer, minimum: 1, maximum: 1000, default: 100 } }
              responses:
                "200":
                  description: One page of users.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [users, paging]
                        properties:
                          users:
                            type: array
                            items: { $ref: "#/components/schemas/SiteUser" }
                          paging: { $ref: "#/components/schemas/Paging" }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/connections/{connection}/users/{user}:
            parameters:
              - { $ref: "#/components/parameters/Connection" }
              - { $ref: "#/components/parameters/User" }
            get:
              tags: [users]
              summary: The user with this Tableau username or email (404 when not on the site). Scope read.
              responses:
                "200":
                  description: The user.
                  content:
                    application/json:
                      schema: { $ref: "#/components/schemas/SiteUser" }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/connections/{connection}/users/{user}/site-role:
            parameters:
              - { $ref: "#/components/parameters/Connection" }
              - { $ref: "#/components/parameters/User" }
            put:
              tags: [users]
              summary: Set the user's site role (a grantable role or Unlicensed). Scope users:admin.
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      required: [siteRole]
                      properties:
                        siteRole:
                          type: string
                          enum: [Viewer, Explorer, ExplorerCanPublish, Creator, SiteAdministratorExplorer, SiteAdministratorCreator, Unlicensed]
              responses:
                "200":
                  description: The change (changed is false when the user already had the role).
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [user, previousRole, changed]
                        properties:
                          user: { $ref: "#/components/schemas/SiteUser" }
                          previousRole: { type: string }
                          changed: { type: boolean }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/connections/{connection}/content/collections:
            parameters:
              - { $ref: "#/components/parameters/Connection" }
            get:
              tags: [content]
              summary: One page of the site's collections (1-based pages). Scope read.
              parameters:
                - { name: pageNumber, in: query, schema: { type: integer, minimum: 1, default: 1 } }
                - { name: pageSize, in: query, schema: { type: integer, minimum: 1, maximum: 1000, default: 100 } }
              responses:
                "200":
                  description: One page of collections.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [collections, paging]
                        properties:
                          collections:
                            type: array
                            items:
                              type: object
                              required: [id, name, description]
                              properties:
                                id: { type: string }
                                name: { type: string }
                                description: { type: string }
                                visibility: { type: string }
                                totalItemCount: { type: integer }
                          paging: { $ref: "#/components/schemas/Paging" }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/connections/{connection}/content/search:
            parameters:
              - { $ref: "#/components/parameters/Connection" }
            get:
              tags: [content]
              summary: Content search (0-based pages, as Tableau counts them). Scope read.
              parameters:
                - { name: q, in: query, description: Search terms (empty finds everything), schema: { type: string } }
                - { name: types, in: query, description: "workbook, datasource, project, view, flow…; comma-separated or repeated", schema: { type: string } }
                - { name: page, in: query, schema: { type: integer, minimum: 0, default: 0 } }
                - { name: limit, in: query, schema: { type: integer, minimum: 1, maximum: 2000, default: 10 } }
              responses:
                "200":
                  description: One page of hits.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [hits, pageIndex, limit, total, hasNext]
                        properties:
                          hits:
                            type: array
                            items:
                              type: object
                              required: [type, id, title]
                              properties:
                                type: { type: string }
                                id: { type: string }
                                title: { type: string }
                                projectName: { type: string }
                                ownerName: { type: string }
                                hitsTotal: { type: integer }
                          pageIndex: { type: integer }
                          limit: { type: integer }
                          total: { type: integer }
                          hasNext: { type: boolean }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/connections/{connection}/content/workbooks/{id}/usage:
            parameters:
              - { $ref: "#/components/parameters/Connection" }
              - { $ref: "#/components/parameters/ContentId" }
            get:
              tags: [content]
              summary: Usage statistics of a workbook. Scope read.
              responses:
                "200":
                  description: The counters.
                  content:
                    application/json:
                      schema: { $ref: "#/components/schemas/ContentUsage" }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/connections/{connection}/content/datasources/{id}/usage:
            parameters:
              - { $ref: "#/components/parameters/Connection" }
              - { $ref: "#/components/parameters/ContentId" }
            get:
              tags: [content]
              summary: Usage statistics of a data source. Scope read.
              responses:
                "200":
                  description: The counters.
                  content:
                    application/json:
                      schema: { $ref: "#/components/schemas/ContentUsage" }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/connections/{connection}/server-info:
            parameters:
              - { $ref: "#/components/parameters/Connection" }
            get:
              tags: [content]
              summary: Tableau's product and REST API versions. Scope read.
              responses:
                "200":
                  description: Server info.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [productVersion, build, restApiVersion]
                        properties:
                          productVersion: { type: string }
                          build: { type: string }
                          restApiVersion: { type: string }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/connections/{connection}/session:
            parameters:
              - { $ref: "#/components/parameters/Connection" }
            get:
              tags: [content]
              summary: Who and where the connection's session is (never its token). Scope read.
              responses:
                "200":
                  description: The session.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [siteId, siteName, siteContentUrl, userId, userName, siteRole]
                        properties:
                          siteId: { type: string }
                          siteName: { type: string }
                          siteContentUrl: { type: string }
                          userId: { type: string }
                          userName: { type: string }
                          siteRole: { type: string }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/connections/{connection}/tableau:
            parameters:
              - { $ref: "#/components/parameters/Connection" }
            post:
              tags: [passthrough]
              summary: Any Tableau REST call through the connection's session. Scope tableau:passthrough.
              description: |
                path is versioned (/api/3.24/… or /api/{v}/…), relative to the versioned API (sites/{site}/users,
                serverinfo), versionless (/api/-/…) or /api/metadata/graphql; {site} is the session's site id.
                Sign-in, sign-out, site switching, full URLs and .. segments are refused (422). Tableau's error
                statuses are 502 problems whose tableau member has Tableau's status, code and words. Audited as
                tableau.passthrough with the method and path.
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      required: [method, path]
                      properties:
                        method: { type: string, enum: [GET, POST, PUT, PATCH, DELETE] }
                        path: { type: string }
                        query: { type: object, additionalProperties: { type: string } }
                        body: { description: "JSON sent as application/json, or a string (application/xml when it starts with <, else text/plain)" }
                        contentType: { type: string }
              responses:
                "200":
                  description: Tableau's answer.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [status, contentType, body]
                        properties:
                          status: { type: integer }
                          contentType: { type: [string, "null"] }
                          body: { description: JSON when Tableau answered JSON, else a string; null when empty }
                default: { $ref: "#/components/responses/Problem" }
          # End of issue 7's paths.
        components:
          securitySchemes:
            bearer:
              type: http
              scheme: bearer
              description: An API token (fsh_…) from `freshet token create` or POST /api/v1/tokens.
            signature:
              type: apiKey
              in: header
              name: X-Freshet-Signature
              description: "POST /api/v1/access-events only: sha256=<hex HMAC-SHA256 of timestamp.body>, with X-Freshet-Timestamp (docs/access.md)."
          parameters:
            Connection:
              name: connection
              in: path
              required: true
              description: Connection name or id.
              schema: { type: string }
            Run:
              name: run
              in: path
              required: true
              description: Run id.
              schema: { type: string }
            User:
              name: user
              in: path
              required: true
              description: Tableau username or email.
              schema: { type: string }
            ContentId:
              name: id
              in: path
              required: true
              description: Tableau's id of the workbook or data source.
              schema: { type: string }
          responses:
            Problem:
              description: An RFC 9457 problem document.
              content:
                application/problem+json:
                  schema: { $ref: "#/components/schemas/Problem" }
            AccessEventProblem:
              description: A problem document with the recorded event in its event member.
              content:
                application/problem+json:
                  schema:
                    allOf:
                      - { $ref: "#/components/schemas/Problem" }
                      - type: object
                        required: [event]
                        properties:
                          event: { $ref: "#/components/schemas/AccessEvent" }
          schemas:
            Problem:
              type: object
              required: [type, title, status, detail]
              properties:
                type: { type: string, description: "urn:freshet:problem:<kind>" }
                title: { type: string }
                status: { type: integer }
                detail: { type: string }
                instance: { type: string }
                field: { type: string, description: The request field or query parameter at fault. }
                missingScope: { type: string, description: For 403, the scope the token lacks. }
                tableau:
                  type: object
                  description: Tableau's own error, when Tableau is the cause.
                  properties:
                    httpStatus: { type: integer }
                    code: { type: string }
                    summary: { type: string }
                    detail: { type: string }
            Health:
              type: object
              required: [status]
              properties:
                status: { type: string, enum: [up, ready] }
                schemaVersion: { type: string }
            Connection:
              type: object
              required: [id, name, displayName, serverURL, siteContentUrl, authKind, secretMasked, createdAt, updatedAt]
              properties:
                id: { type: string }
                name: { type: string }
                displayName: { type: string }
                serverURL: { type: string }
                siteContentUrl: { type: string }
                authKind: { type: string, enum: [Personal Access Token, connected app] }
                patName: { type: string }
                clientId: { type: string }
                secretId: { type: string }
                username: { type: string }
                scopes: { type: array, items: { type: string } }
                secretMasked: { type: string, description: Bullets plus the secret's last 4 characters. }
                apiVersionPin: { type: string }
                createdAt: { type: string, format: date-time }
                updatedAt: { type: string, format: date-time }
            ConnectedApp:
              type: object
              additionalProperties: false
              properties:
                clientId: { type: string }
                secretId: { type: string }
                secretValue: { type: string, writeOnly: true }
                username: { type: string }
                scopes: { type: array, items: { type: string } }
            ConnectionCreate:
              type: object
              additionalProperties: false
              required: [name]
              properties:
                name: { type: string }
                serverUrl: { type: string }
                siteContentUrl: { type: string }
                allowInsecureHttp: { type: boolean }
                apiVersion: { type: string }
                patName: { type: string }
                patSecret: { type: string, writeOnly: true }
                connectedApp: { $ref: "#/components/schemas/ConnectedApp" }
            ConnectionEdit:
              type: object
              additionalProperties: false
              properties:
                serverUrl: { type: string }
                siteContentUrl: { type: string }
                allowInsecureHttp: { type: boolean }
                apiVersion: { type: string }
                patName: { type: string }
                patSecret: { type: string, writeOnly: true }
                connectedApp: { $ref: "#/components/schemas/ConnectedApp" }
            HealthCheckResult:
              type: object
              required: [check, passed, message]
              properties:
                check: { type: string, enum: [apiConnection, sessionAndSite, contentAccess, userManagementScope] }
                passed: { type: boolean }
                message: { type: string }
                tableauError: { type: string }
            RunTarget:
              type: object
              additionalProperties: false
              description: Exactly one field.
              properties:
                datasource: { type: string, description: "Name, Project/Name or id" }
                workbook: { type: string, description: "Name, Project/Name or id" }
                project: { type: string, description: Every item with an extract in the project }
                table: { type: string, description: "database.schema.table: everything downstream" }
            RunsCreate:
              type: object
              additionalProperties: false
              required: [connection, targets]
              properties:
                connection: { type: string, description: Connection name or id }
                targets:
                  type: array
                  minItems: 1
                  items: { $ref: "#/components/schemas/RunTarget" }
                idempotencyKey: { type: string, minLength: 1, maxLength: 200 }
                timeoutSeconds: { type: integer, minimum: 1, maximum: 604800 }
                attempts: { type: integer, minimum: 1, maximum: 10, default: 1 }
                waitSeconds: { type: integer, minimum: 0, maximum: 60, default: 0 }
            RunsAnswer:
              type: object
              required: [runs, liveItems, state, finished]
              properties:
                runs:
                  type: array
                  items: { $ref: "#/components/schemas/Run" }
                liveItems:
                  type: array
                  items: { $ref: "#/components/schemas/LiveItem" }
                state: { type: string, enum: [running, succeeded, failed, timedOut, cancelled, unreachable] }
                finished: { type: boolean }
            LiveItem:
              type: object
              required: [itemType, itemId, itemName, reason]
              properties:
                itemType: { type: string, enum: [workbook, datasource] }
                itemId: { type: string }
                itemName: { type: string }
                project: { type: string }
                reason: { type: string }
            Run:
              type: object
              required: [id, connectionId, target, itemType, itemId, itemName, state, finished, cancelRequested, actor, createdAt, updatedAt, attempts]
              properties:
                id: { type: string }
                connectionId: { type: string }
                target: { type: string }
                itemType: { type: string, enum: [workbook, datasource] }
                itemId: { type: string }
                itemName: { type: string }
                state: { type: string, enum: [accepted, triggering, waiting, succeeded, failed, cancelled, timedOut] }
                finished: { type: boolean }
                jobId: { type: string }
                notes: { type: string, description: "Tableau's notes on a failure, or why the run ended" }
                cancelRequested: { type: boolean }
                actor: { type: string }
                idempotencyKey: { type: string }
                createdAt: { type: string, format: date-time }
                updatedAt: { type: string, format: date-time }
                deadline: { type: string, format: date-time }
                attempts:
                  type: array
                  items:
                    type: object
                    required: [number, joinedExisting, outcome]
                    properties:
                      number: { type: integer }
                      jobId: { type: string }
                      joinedExisting: { type: boolean }
                      outcome: { type: string, enum: [pending, transientFailure, interrupted, succeeded, failed, cancelled, timedOut] }
                      message: { type: string }
            AuditEvent:
              type: object
              required: [time, actor, action, target, outcome, details]
              properties:
                sequence: { type: integer }
                time: { type: string, format: date-time }
                actor: { type: string }
                action: { type: string }
                target: { type: string }
                outcome: { type: string, enum: [success, failure] }
                details: { type: object, additionalProperties: { type: string } }
            AllowList:
              type: object
              additionalProperties: false
              description: Name or id patterns (* matches any characters) of what a refresh token may refresh.
              properties:
                connections: { type: array, items: { type: string } }
                projects: { type: array, items: { type: string } }
                workbooks: { type: array, items: { type: string } }
                datasources: { type: array, items: { type: string } }
            Token:
              type: object
              required: [id, name, hint, scopes, isAdmin, allowList, createdAt, createdBy]
              properties:
                id: { type: string }
                name: { type: string }
                hint: { type: string, description: The token's first 8 characters. }
                scopes:
                  type: array
                  items: { type: string, enum: [refresh, read, "connections:admin", "users:admin", "audit:read", "tableau:passthrough"] }
                isAdmin: { type: boolean }
                allowList: { $ref: "#/components/schemas/AllowList" }
                createdAt: { type: string, format: date-time }
                createdBy: { type: string }
                expiresAt: { type: string, format: date-time }
                revokedAt: { type: string, format: date-time }
            TokenCreate:
              type: object
              additionalProperties: false
              required: [name]
              properties:
                name: { type: string }
                scopes:
                  type: array
                  items: { type: string, enum: [refresh, read, "connections:admin", "users:admin", "audit:read", "tableau:passthrough"] }
                admin: { type: boolean }
                allowList: { $ref: "#/components/schemas/AllowList" }
                expiresAt: { type: string, format: date-time }
                expiresIn: { type: string, description: "90m, 12h, 30d or 8w" }
            # Access management, users and content (issue 7).
            AccessEventCreate:
              type: object
              additionalProperties: false
              required: [eventId, type, connection, user, role]
              properties:
                eventId: { type: string, maxLength: 200 }
                type: { type: string, enum: [granted, revoked] }
                connection: { type: string, description: Connection name or id. }
                user: { type: string, description: Tableau username or email. }
                role: { type: string, description: "Viewer, Explorer, ExplorerCanPublish, Creator, SiteAdministratorExplorer or SiteAdministratorCreator" }
            AccessEvent:
              type: object
              required: [connectionId, connectionName, eventId, type, user, role, actor, status, message, receivedAt]
              properties:
                connectionId: { type: string }
                connectionName: { type: string }
                eventId: { type: string }
                type: { type: string, enum: [granted, revoked] }
                user: { type: string }
                role: { type: string }
                actor: { type: string, description: "token:<name> or signature" }
                status: { type: string, enum: [pending, applied, unchanged, refused, failed] }
                message: { type: string }
                userId: { type: string }
                previousRole: { type: string }
                newRole: { type: string }
                receivedAt: { type: string, format: date-time }
                completedAt: { type: string, format: date-time }
                repeated: { type: boolean, description: True when the event id was seen before (in answers to POST). }
            SiteUser:
              type: object
              required: [id, name, siteRole]
              properties:
                id: { type: string }
                name: { type: string }
                fullName: { type: string }
                email: { type: string }
                siteRole: { type: string }
                authSetting: { type: string }
                lastLogin: { type: string, format: date-time }
            Paging:
              type: object
              description: Tableau's paging, unchanged (1-based pageNumber).
              required: [pageNumber, pageSize, totalAvailable]
              properties:
                pageNumber: { type: integer }
                pageSize: { type: integer }
                totalAvailable: { type: integer }
            ContentUsage:
              type: object
              required: [type, id, hitsTotal, hitsLastTwoWeeksTotal, hitsLastOneMonthTotal, hitsLastThreeMonthsTotal, hitsLastTwelveMonthsTotal]
              properties:
                type: { type: string, enum: [workbook, datasource] }
                id: { type: string }
                hitsTotal: { type: integer }
                hitsLastTwoWeeksTotal: { type: integer }
                hitsLastOneMonthTotal: { type: integer }
                hitsLastThreeMonthsTotal: { type: integer }
                hitsLastTwelveMonthsTotal: { type: integer }
        """#
}
