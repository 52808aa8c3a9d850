extension OpenAPIDocument {
    /// The paths of freshness and freshness policies (issue 17).
    static let freshnessPaths = #"""
          # Freshness (issue 17): docs/freshness.md.
          /api/v1/freshness:
            get:
              tags: [freshness]
              summary: Per item, the last successful refresh, its age, the last failure and Tableau's reason. Scope read.
              description: |
                Every data source and workbook Freshet has refreshed, by connection, type and name. An item is
                stale when its last refresh failed (refreshFailed), it never succeeded (neverSucceeded) or its
                age exceeds the most specific policy (item, then project, then connection; tooOld). A token with
                only the refresh scope sees the items of its allow-list.
              parameters:
                - { name: connection, in: query, description: Connection name or id (404 when unknown), schema: { type: string } }
                - { name: project, in: query, schema: { type: string } }
                - { name: stale, in: query, description: true for stale items only, schema: { type: boolean, default: false } }
              responses:
                "200":
                  description: The items.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [items, generatedAt]
                        properties:
                          items:
                            type: array
                            items: { $ref: "#/components/schemas/Freshness" }
                          generatedAt: { type: string, format: date-time }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/freshness/policies:
            get:
              tags: [freshness]
              summary: Every freshness policy. Scope read.
              responses:
                "200":
                  description: The policies.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [policies]
                        properties:
                          policies:
                            type: array
                            items: { $ref: "#/components/schemas/FreshnessPolicy" }
                default: { $ref: "#/components/responses/Problem" }
            put:
              tags: [freshness]
              summary: Set the maximum age of a connection's items, a project's or one item's. Scope connections:admin.
              description: |
                Replaces the policy the same scope had. An item is named by its name or Tableau id among the
                items Freshet tracks (404 when none matches). Audited as freshness.policySet.
              requestBody:
                required: true
                content:
                  application/json:
                    schema: { $ref: "#/components/schemas/FreshnessPolicySet" }
              responses:
                "200":
                  description: The policy as stored.
                  content:
                    application/json:
                      schema: { $ref: "#/components/schemas/FreshnessPolicy" }
                default: { $ref: "#/components/responses/Problem" }
            delete:
              tags: [freshness]
              summary: Remove the policy of a connection, project or item. Scope connections:admin.
              parameters:
                - { name: connection, in: query, required: true, schema: { type: string } }
                - { name: project, in: query, schema: { type: string } }
                - { name: itemType, in: query, schema: { type: string, enum: [datasource, workbook] } }
                - { name: item, in: query, description: Name or Tableau id, schema: { type: string } }
              responses:
                "200":
                  description: Removed.
                  content:
                    application/json:
                      schema: { type: object, required: [removed], properties: { removed: { type: boolean } } }
                "404": { $ref: "#/components/responses/Problem" }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/pipeline-events:
            post:
              tags: [freshness]
              summary: A pipeline reports its run failed or succeeded; downstream items are marked stale or cleared. Scope refresh.
              description: |
                Names tables (everything downstream, from the Metadata API lineage) and/or targets (like POST
                /api/v1/runs). Nothing is refreshed. A failure marks every affected item stale (staleReason
                pipelineFailed) until the same pipeline reports success. Every affected item must be in the
                token's allow-list (403 otherwise). Idempotent by eventId per connection: a repeated id answers
                the first event with repeated true; the same id with another pipeline, status or targets is 422.
              requestBody:
                required: true
                content:
                  application/json:
                    schema: { $ref: "#/components/schemas/PipelineEventCreate" }
              responses:
                "200":
                  description: Recorded (or the first event of a repeated id).
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [event, repeated]
                        properties:
                          event: { $ref: "#/components/schemas/PipelineEvent" }
                          repeated: { type: boolean }
                default: { $ref: "#/components/responses/Problem" }
            get:
              tags: [freshness]
              summary: Recent pipeline events, newest first. Scope read.
              parameters:
                - { name: connection, in: query, schema: { type: string } }
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
                            items: { $ref: "#/components/schemas/PipelineEvent" }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/quality-warnings:
            get:
              tags: [freshness]
              summary: Connections with data quality warnings on, and the warnings Freshet set. Scope read.
              responses:
                "200":
                  description: The setting and the warnings.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [connections, warnings]
                        properties:
                          connections: { type: array, items: { type: string } }
                          warnings:
                            type: array
                            items:
                              type: object
                              required: [connectionId, datasourceId, datasourceName, message, cause, createdAt]
                              properties:
                                connectionId: { type: string }
                                datasourceId: { type: string }
                                datasourceName: { type: string }
                                warningId: { type: string, description: "Tableau's id (absent while the add call is in flight)" }
                                message: { type: string }
                                cause: { type: string }
                                createdAt: { type: string, format: date-time }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/quality-warnings/connections/{connection}:
            parameters:
              - { $ref: "#/components/parameters/Connection" }
            put:
              tags: [freshness]
              summary: Turn Tableau data quality warnings on or off for a connection. Scope connections:admin.
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      required: [enabled]
                      properties: { enabled: { type: boolean } }
              responses:
                "200":
                  description: The setting.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [connection, enabled]
                        properties: { connection: { type: string }, enabled: { type: boolean } }
                default: { $ref: "#/components/responses/Problem" }
        """#

    /// The schemas of freshness (issue 17).
    static let freshnessSchemas = #"""
            # Freshness (issue 17).
            Freshness:
              type: object
              required: [connectionId, connection, itemType, itemId, itemName, stale]
              properties:
                connectionId: { type: string }
                connection: { type: string }
                itemType: { type: string, enum: [datasource, workbook] }
                itemId: { type: string }
                itemName: { type: string }
                project: { type: string }
                lastSuccessAt: { type: string, format: date-time }
                lastSuccessRunId: { type: string }
                ageSeconds: { type: integer, description: Seconds since the last successful refresh. }
                lastFailureAt: { type: string, format: date-time }
                lastFailureRunId: { type: string }
                lastFailureReason: { type: string, description: "Tableau's notes on the failure." }
                stale: { type: boolean }
                staleReason: { type: string, enum: [refreshFailed, neverSucceeded, tooOld, pipelineFailed] }
                pipelineFailure:
                  type: object
                  properties:
                    pipeline: { type: string }
                    eventId: { type: string }
                    at: { type: string, format: date-time }
                    reason: { type: string }
                staleSince: { type: string, format: date-time, description: When the freshness monitor found it stale. }
                maxAgeSeconds: { type: integer }
                policyScope: { type: string, enum: [connection, project, item] }
            FreshnessPolicy:
              type: object
              required: [scope, connectionId, connection, maxAgeSeconds, setBy, setAt]
              properties:
                scope: { type: string, enum: [connection, project, item] }
                connectionId: { type: string }
                connection: { type: string }
                project: { type: string }
                itemType: { type: string, enum: [datasource, workbook] }
                itemId: { type: string }
                itemName: { type: string }
                maxAgeSeconds: { type: integer }
                setBy: { type: string }
                setAt: { type: string, format: date-time }
            FreshnessPolicySet:
              type: object
              additionalProperties: false
              required: [connection, maxAgeSeconds]
              properties:
                connection: { type: string, description: Connection name or id. }
                project: { type: string }
                itemType: { type: string, enum: [datasource, workbook] }
                item: { type: string, description: Name or Tableau id of a tracked item. }
                maxAgeSeconds: { type: number, minimum: 1, maximum: 31622400 }
            PipelineEventCreate:
              type: object
              additionalProperties: false
              required: [eventId, connection, pipeline, status]
              properties:
                eventId: { type: string, maxLength: 200 }
                connection: { type: string }
                pipeline: { type: string, maxLength: 200 }
                status: { type: string, enum: [failed, succeeded] }
                reason: { type: string }
                tables: { type: array, items: { type: string, description: database.schema.table } }
                targets: { type: array, items: { $ref: "#/components/schemas/RunTarget" } }
            PipelineEvent:
              type: object
              required: [eventId, connectionId, pipeline, status, targets, actor, receivedAt, items]
              properties:
                eventId: { type: string }
                connectionId: { type: string }
                pipeline: { type: string }
                status: { type: string, enum: [failed, succeeded] }
                reason: { type: string }
                targets: { type: array, items: { type: string } }
                actor: { type: string }
                receivedAt: { type: string, format: date-time }
                items:
                  type: array
                  items:
                    type: object
                    required: [itemType, itemId, itemName]
                    properties:
                      itemType: { type: string, enum: [datasource, workbook] }
                      itemId: { type: string }
                      itemName: { type: string }
                      project: { type: string }
        """#
}
