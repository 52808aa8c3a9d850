extension OpenAPIDocument {
    /// The paths of access events, users, content and pass-through (issue 7).
    static let accessPaths = #"""
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
        """#
}
