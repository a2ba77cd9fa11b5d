import DellmFleet
import DellmSupport
import Foundation
import Logging
import Metrics
import Prometheus

/// Bootstraps swift-metrics with the Prometheus backend and serves it on `port`.
enum MetricsEndpoint {
    static let registry = PrometheusCollectorRegistry()

    @discardableResult
    static func start(port: Int, host: String, logger: Logger) throws -> MetricsServer {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30),
        ]
        MetricsSystem.bootstrap(factory)
        let server = try MetricsServer(host: host, port: port) { registry.emitToBuffer() }
        logger.info("serving Prometheus metrics", metadata: ["address": "\(host):\(server.port)", "path": "/metrics"])
        return server
    }
}
