import DellmFleet
import DellmPostgres
import DellmRedis
import Foundation
import Testing

/// What a user meets first at the command line, from the binary: `--version`, `--json` on `doctor`
/// and `ops dead show`, and `ops backlog --watch` piped (no screen codes; one JSON line per snapshot).
@Suite(.enabled(if: TestEnv.hasServers && ProcessFleet.binary != nil, "needs the test servers and DELLM_TEST_BIN (run ./ops/test)"))
struct CommandLineTests {
    static func cli(_ config: FleetConfig, _ args: [String], lines: Int? = nil) throws -> (status: Int32, out: String) {
        try ProcessFleet.cli(config, args, lines: lines)
    }

    @Test func versionDoctorAndDeadLetterSpeakJSON() async throws {
        let config = try TestEnv.config()
        _ = try await Store(db: PostgresConnection(url: config.databaseURL)).migrate()
        let version = try Self.cli(config, ["--version"])
        #expect(version.status == 0 && version.out.split(separator: ".").count == 3, "\(version)")

        let doctor = try Self.cli(config, ["doctor", "--quick", "--json"])
        let findings = try JSONSerialization.jsonObject(with: Data(doctor.out.utf8)) as? [[String: Any]]
        #expect(doctor.status == 0 && (findings?.count ?? 0) >= 2, "\(doctor)")
        #expect(findings?.allSatisfy { $0["name"] is String && $0["ok"] as? Bool == true } == true)

        let redis = try FleetClient(config: config).redis
        let id = try await redis.xadd(config.keys.dead, [("stream", config.keys.queries), ("reason", "a test's dead letter")])
        let shown = try Self.cli(config, ["ops", "dead", "show", id, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(shown.out.utf8)) as? [String: Any]
        #expect(object?["id"] as? String == id)
        #expect((object?["fields"] as? [String: String])?["reason"] == "a test's dead letter", "\(shown)")
        #expect(try Self.cli(config, ["ops", "dead", "show", "0-1"]).status == 3) // nothing there
    }

    @Test func aPipedWatchWritesSnapshotsWithoutScreenCodes() async throws {
        let config = try TestEnv.config()
        _ = try await Store(db: PostgresConnection(url: config.databaseURL)).migrate()
        let redis = try FleetClient(config: config).redis
        try await redis.ensureGroup(stream: config.keys.queries, group: "ingest")
        let json = try Self.cli(config, ["ops", "backlog", "--watch", "--json", "--interval", "0.2"], lines: 3)
        let lines = json.out.split(separator: "\n").prefix(3)
        #expect(lines.count == 3, "\(json)")
        for line in lines { // each a whole snapshot, on one line
            let snapshot = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [[String: Any]]
            #expect(snapshot?.contains { $0["stream"] as? String == config.keys.queries } == true, "\(line)")
        }
        let text = try Self.cli(config, ["ops", "backlog", "--watch", "--interval", "0.2"], lines: 12)
        #expect(text.out.contains("namespace \(config.namespace)") && text.out.contains("tasks:instant") && !text.out.contains("\u{1B}"), "\(text)")
    }
}
