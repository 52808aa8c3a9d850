/// The OpenAPI 3.1 document of everything the server serves, at `GET /api/v1/openapi.yaml`.
/// Kept true by `OpenAPIDocumentTests` (every route documented, every documented route served).
/// Phase 2 adds the `/api/v1/runs…` paths under `paths:` (see the marker comment).
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
          - name: audit
          - name: tokens
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
          # Phase 2: /api/v1/runs and /api/v1/runs/{run} (create, get, list, cancel) go here.
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
        components:
          securitySchemes:
            bearer:
              type: http
              scheme: bearer
              description: An API token (fsh_…) from `freshet token create` or POST /api/v1/tokens.
          parameters:
            Connection:
              name: connection
              in: path
              required: true
              description: Connection name or id.
              schema: { type: string }
          responses:
            Problem:
              description: An RFC 9457 problem document.
              content:
                application/problem+json:
                  schema: { $ref: "#/components/schemas/Problem" }
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
        """#
}
