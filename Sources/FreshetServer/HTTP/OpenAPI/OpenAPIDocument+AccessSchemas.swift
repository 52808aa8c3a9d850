extension OpenAPIDocument {
    /// The schemas of access events, users, content and pass-through.
    static let accessSchemas = #"""
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
