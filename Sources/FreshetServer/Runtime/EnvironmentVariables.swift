/// The `FRESHET_…` environment variables Freshet reads, so that a misspelt one is reported
/// instead of ignored without a word (issue 19). Unknown ones are warned about, not refused: the
/// environment is shared with the tools around Freshet, and a secret reference (`env:NAME`) may
/// name any variable. A setting read elsewhere adds its name to ``settings``.
package enum EnvironmentVariables {
    /// Every variable the `freshet` binary reads (a test checks the sources against this list).
    package static let settings: Set<String> = [
        "FRESHET_ACCESS_EVENT_SECRET", "FRESHET_ACCESS_EVENT_SECRET_FILE", "FRESHET_ALERT_MAX_ATTEMPTS", "FRESHET_ALERT_SECRET",
        "FRESHET_CONNECTION", "FRESHET_DATA_DIR", "FRESHET_DATABASE_PASSWORD_FILE", "FRESHET_DATABASE_TIMEOUT_SECONDS", "FRESHET_DATABASE_URL",
        "FRESHET_ENGINE_WORKERS", "FRESHET_FRESHNESS_INTERVAL", "FRESHET_FRESHNESS_METRICS_LIMIT", "FRESHET_HOST", "FRESHET_LEASE_SECONDS",
        "FRESHET_LOG_FORMAT", "FRESHET_LOG_LEVEL", "FRESHET_MASTER_KEY", "FRESHET_MASTER_KEY_FILE", "FRESHET_MAX_CONCURRENT_REFRESHES",
        "FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION", "FRESHET_PORT", "FRESHET_PREVIOUS_MASTER_KEYS", "FRESHET_PUBLIC_URL",
        "FRESHET_SECRET_HELPER_TIMEOUT", "FRESHET_SERVER", "FRESHET_TABLEAU_REFRESH_STARTS_PER_HOUR",
        "FRESHET_TABLEAU_STATUS_CHECKS_PER_HOUR", "FRESHET_TOKEN", "FRESHET_WARNING_INTERVAL",
    ]

    /// Variables Freshet's own scripts, tests and examples read (set around `freshet`, not for it).
    package static let tooling: Set<String> = [
        "FRESHET_BIN", "FRESHET_BINARY", "FRESHET_DATASOURCE", "FRESHET_CONSOLE_MEASURE", "FRESHET_PIP_UNCONSTRAINED",
        "FRESHET_SCHEMATHESIS_EXAMPLES", "FRESHET_SCHEMATHESIS_SECONDS", "FRESHET_TEST_POSTGRES_DIR", "FRESHET_TEST_POSTGRES_URL",
        "FRESHET_TEST_SKIP_POSTGRES",
    ]

    /// One warning per `FRESHET_…` variable in `environment` that Freshet does not read, naming
    /// the closest setting, sorted by name.
    package static func warnings(_ environment: [String: String]) -> [String] {
        environment.keys.filter { $0.hasPrefix("FRESHET_") && !settings.contains($0) && !tooling.contains($0) }.sorted().map { name in
            "\(name) is not a Freshet setting and is ignored (the closest one is \(closest(to: name))); "
                + "if a secret reference (env:\(name)) names it, this warning does not apply."
        }
    }

    /// The setting whose name is the fewest single-character edits away from `name`.
    static func closest(to name: String) -> String {
        settings.sorted().min { editDistance($0, name) < editDistance($1, name) } ?? "FRESHET_DATA_DIR"
    }

    /// Levenshtein distance between `a` and `b`.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
