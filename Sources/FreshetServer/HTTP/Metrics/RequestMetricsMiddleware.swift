import Foundation
package import Hummingbird
import Logging
import NIOCore

/// Counts every request by method, route pattern and status, and logs one line per request
/// (method, route, status, duration — never headers or bodies, which may hold secrets).
package struct RequestMetricsMiddleware: RouterMiddleware {
    package typealias Context = FreshetRequestContext
    let metrics: PrometheusMetrics

    package init(metrics: PrometheusMetrics) {
        self.metrics = metrics
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            record(request, context: context, status: (error as? any HTTPResponseError)?.status.code ?? 500, start: start)
            throw error
        }
        record(request, context: context, status: response.status.code, start: start)
        return response
    }

    private func record(_ request: Request, context: Context, status: Int, start: ContinuousClock.Instant) {
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        metrics.apiRequest(method: request.method.rawValue, route: route, status: status)
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info(
            "request",
            metadata: [
                "http.method": .string(request.method.rawValue), "http.route": .string(route), "http.status": .stringConvertible(status),
                "duration_ms": .string(String(format: "%.1f", milliseconds)),
            ])
    }
}
