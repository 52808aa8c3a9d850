import Mustache

// The runs list's models answer Mustache's lookups directly: Mirror-based lookup (the default)
// reflects every model again for each name a template asks for, including names found further
// up the context stack, and made the runs page several times slower to render.

extension RunRowModel: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "path": path
        case "itemName": itemName
        case "itemType": itemType
        case "project": project
        case "connection": connection
        case "target": target
        case "state": state
        case "finished": finished
        case "actor": actor
        case "created": created
        case "createdISO": createdISO
        case "duration": duration
        case "jobId": jobId
        case "notes": notes
        default: nil
        }
    }
}

extension RunPages.ListModel: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "runs": runs
        case "states": states
        case "connection": connection
        case "item": item
        case "caller": caller
        case "next": next
        case "first": first
        case "live": live
        default: nil
        }
    }
}

extension RunPages.ListModel.StateOption: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": value
        case "selected": selected
        default: nil
        }
    }
}

extension LayoutModel: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "navigation": navigation
        case "body": body
        default: nil
        }
    }
}

extension ConsoleNavigation: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "links": links
        case "csrf": csrf
        case "tokenName": tokenName
        default: nil
        }
    }
}

extension ConsoleNavigation.Link: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "href": href
        case "label": label
        case "current": current
        default: nil
        }
    }
}
