extension OpenAPIDocument {
    /// Security schemes, parameters, responses and the schemas of the core routes.
    static let components = #"""
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
                secretMasked: { type: string, description: "Bullets plus the secret's last 4 characters; empty when secretRef is set." }
                secretRef: { type: string, description: "Where the secret is read at sign-in (env:NAME, file:PATH, exec:COMMAND ARGS…), as written; never the value." }
                apiVersionPin: { type: string }
                keepAliveDays: { type: integer, description: Sign in at least every this many days (absent = keep-alive off). }
                expiryWarningDays: { type: integer, description: The token lifetime check warns below this many days left. }
                tokenExpiresAt: { type: string, format: date-time, description: "When Tableau said the token expires (estimatedTimeToExpiration at the last sign-in)." }
                lastSignInAt: { type: string, format: date-time, description: The last sign-in with the credential. }
                createdAt: { type: string, format: date-time }
                updatedAt: { type: string, format: date-time }
            ConnectedApp:
              type: object
              additionalProperties: false
              properties:
                clientId: { type: string }
                secretId: { type: string }
                secretValue: { type: string, writeOnly: true }
                secretValueRef: { type: string, description: "A reference (env:, file:, exec:) instead of secretValue." }
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
                patSecretRef: { type: string, description: "A reference (env:NAME, file:/PATH, exec:COMMAND ARGS…) instead of patSecret." }
                connectedApp: { $ref: "#/components/schemas/ConnectedApp" }
                keepAliveDays: { type: integer, minimum: 0, description: "Keep-alive interval in days; 0 turns it off." }
                expiryWarningDays: { type: integer, minimum: 0, description: "Expiry warning threshold in days; 0 restores the default (14)." }
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
                patSecretRef: { type: string, description: "A reference (env:NAME, file:/PATH, exec:COMMAND ARGS…) instead of patSecret." }
                connectedApp: { $ref: "#/components/schemas/ConnectedApp" }
                keepAliveDays: { type: integer, minimum: 0, description: "Keep-alive interval in days; 0 turns it off." }
                expiryWarningDays: { type: integer, minimum: 0, description: "Expiry warning threshold in days; 0 restores the default (14)." }
            HealthCheckResult:
              type: object
              required: [check, passed, warning, message]
              properties:
                check: { type: string, enum: [apiConnection, sessionAndSite, contentAccess, userManagementScope, tokenLifetime] }
                passed: { type: boolean }
                warning: { type: boolean, description: Passed but needs attention (a token below its expiry warning threshold). }
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
                dbt:
                  type: object
                  description: "A dbt run: everything downstream of the models, seeds and snapshots that succeeded (their relations' lineage and the exposures whose url names a Tableau item by id)"
                  required: [runResults]
                  properties:
                    runResults: { type: object, description: "dbt's target/run_results.json (unique_id, status, relation_name of each result are read)" }
                    manifest: { type: object, description: "dbt's target/manifest.json (nodes' relations and exposures are read)" }
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
                project: { type: string, description: "The item's project when the run was accepted" }
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
                estimatedFinish: { type: string, format: date-time, description: "While the run waits on its job: when the job is expected to end, from the item's recent refresh durations (absent until Freshet saw one end)" }
                heldUntil: { type: string, format: date-time, description: "While Tableau holds the run's site (429 naming a wait, daily refresh capacity used up): until when; the run triggers again then" }
                heldReason: { type: string, description: "Why Tableau holds the site, in its words" }
                failureReason: { type: string, enum: [timeLimit, suspended, liveConnection, expiredCredentials, permissionDenied], description: "Why a failed run failed, when Tableau's words name a known reason; the notes start with its title and what to do" }
                attempts:
                  type: array
                  items:
                    type: object
                    required: [number, joinedExisting, reconciled, outcome]
                    properties:
                      number: { type: integer }
                      jobId: { type: string }
                      joinedExisting: { type: boolean }
                      reconciled: { type: boolean, description: "The job was found by reconciliation after the trigger call's answer was lost." }
                      startedAt: { type: string, format: date-time }
                      outcome: { type: string, enum: [pending, transientFailure, unknown, interrupted, succeeded, failed, cancelled, timedOut, held] }
                      message: { type: string }
                      expectedEndAt: { type: string, format: date-time, description: "When the attempt's job was expected to end" }
                      heldUntil: { type: string, format: date-time, description: "For a held attempt: until when Tableau held the site" }
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
