extension OpenAPIDocument {
    /// The paths of alert routes and the alert outbox (issue 17).
    static let alertPaths = #"""
          # Alerts (issue 17): docs/alerts.md.
          /api/v1/alerts/routes:
            get:
              tags: [alerts]
              summary: Every alert route (URLs as scheme and host only). Scope read.
              responses:
                "200":
                  description: The routes.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [routes]
                        properties:
                          routes:
                            type: array
                            items: { $ref: "#/components/schemas/AlertRoute" }
                default: { $ref: "#/components/responses/Problem" }
            post:
              tags: [alerts]
              summary: Add a route (signed JSON webhook or Slack incoming webhook). Scope connections:admin.
              description: |
                URL https, or http to a loopback host; stored sealed. A webhook's signing secret is the one
                given (16 characters at least) or a new one, answered this once. 409 when the name is taken.
              requestBody:
                required: true
                content:
                  application/json:
                    schema: { $ref: "#/components/schemas/AlertRouteCreate" }
              responses:
                "201":
                  description: Added.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [route]
                        properties:
                          route: { $ref: "#/components/schemas/AlertRoute" }
                          secret: { type: string, description: The webhook's signing secret (shown once). }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/alerts/routes/{name}:
            parameters:
              - { name: name, in: path, required: true, schema: { type: string } }
            delete:
              tags: [alerts]
              summary: Remove a route; its pending deliveries are dead-lettered. Scope connections:admin.
              responses:
                "200":
                  description: Removed.
                  content:
                    application/json:
                      schema: { type: object, required: [removed], properties: { removed: { type: boolean } } }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/alerts/deliveries:
            get:
              tags: [alerts]
              summary: Outbox deliveries, newest first. Scope read.
              parameters:
                - { name: status, in: query, schema: { type: string, enum: [pending, delivered, dead] } }
                - { name: eventId, in: query, schema: { type: string } }
                - { name: limit, in: query, schema: { type: integer, minimum: 1, maximum: 1000, default: 100 } }
              responses:
                "200":
                  description: The deliveries.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [deliveries]
                        properties:
                          deliveries:
                            type: array
                            items: { $ref: "#/components/schemas/AlertDelivery" }
                default: { $ref: "#/components/responses/Problem" }
          /api/v1/alerts/deliveries/{id}/retry:
            parameters:
              - { name: id, in: path, required: true, schema: { type: string } }
            post:
              tags: [alerts]
              summary: Queue a dead-lettered delivery again. Scope connections:admin.
              responses:
                "200":
                  description: Queued.
                  content:
                    application/json:
                      schema: { type: object, required: [requeued], properties: { requeued: { type: boolean } } }
                default: { $ref: "#/components/responses/Problem" }
        """#

    /// The schemas of alerts (issue 17).
    static let alertSchemas = #"""
            # Alerts (issue 17).
            AlertRoute:
              type: object
              required: [id, name, format, url, signed, kinds, createdAt, createdBy]
              properties:
                id: { type: string }
                name: { type: string }
                format: { type: string, enum: [webhook, slack] }
                url: { type: string, description: Scheme and host only. }
                signed: { type: boolean }
                connectionId: { type: string }
                project: { type: string }
                kinds: { type: array, items: { type: string } }
                createdAt: { type: string, format: date-time }
                createdBy: { type: string }
            AlertRouteCreate:
              type: object
              additionalProperties: false
              required: [name, format, url]
              properties:
                name: { type: string, maxLength: 100 }
                format: { type: string, enum: [webhook, slack] }
                url: { type: string }
                secret: { type: string, minLength: 16 }
                connection: { type: string, description: Connection name or id (only its events). }
                project: { type: string }
                kinds: { type: array, items: { type: string }, description: "run.failed, run.recovered, freshness.stale, freshness.recovered, …" }
            AlertDelivery:
              type: object
              required: [id, eventId, kind, summary, route, status, attempts, createdAt]
              properties:
                id: { type: string }
                eventId: { type: string }
                kind: { type: string }
                summary: { type: string }
                route: { type: string }
                status: { type: string, enum: [pending, delivered, dead] }
                attempts: { type: integer }
                nextAttemptAt: { type: string, format: date-time }
                lastError: { type: string }
                createdAt: { type: string, format: date-time }
                deliveredAt: { type: string, format: date-time }
                connectionId: { type: string }
                itemName: { type: string }
                runId: { type: string }
        """#
}
