import ArgumentParser
import DellmCore
import DellmFleet
import DellmSupport
import Foundation
import Logging

/// The release (`dellm --version`); the stream and schema versions are separate (`v` on every
/// entry, and the migrations).
let dellmVersion = "0.26.0"

@main
struct Dellm: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dellm",
        abstract: "A fleet of small local language models behind Redis Streams and PostgreSQL.",
        discussion: """
            Settings come from the environment:
              DELLM_REDIS_URL     redis://127.0.0.1:6379
              DELLM_DATABASE_URL  postgresql://dellm@127.0.0.1:5432/dellm
              DELLM_MODEL_URL     http://127.0.0.1:8080
              DELLM_MODEL_API     openai (or ollama)
              DELLM_NAMESPACE     dellm
            eval "$(./ops/stack env)" sets them for the local stack; the README lists the rest.
            Shell completion: dellm --generate-completion-script bash (or zsh, fish); see the README.
            """,
        version: dellmVersion,
        subcommands: [Submit.self, Result.self, WorkerCommand.self, Ops.self, EvalCommand.self, Doctor.self, Bench.self, Migrate.self, SandboxCommand.self, CalcCommand.self, PlanCommand.self, ConsoleCommand.self]
    )

    /// A peer that closes a socket early (a metrics scrape reset, a dropped Redis or PostgreSQL
    /// connection) must cost an error, never the process: SIGPIPE is ignored before anything runs.
    static func main() async {
        BrokenPipes.ignore()
        do {
            var command = try parseAsRoot()
            if var async = command as? AsyncParsableCommand { try await async.run() } else { try command.run() }
        } catch {
            exit(withError: error)
        }
    }
}

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error (env DELLM_LOG_LEVEL).")
    var logLevel: String?

    @Option(name: .long, help: "A configuration file (YAML, see config/dellm.yaml); env DELLM_CONFIG. The environment overrides it.")
    var config: String?

    func bootstrap() throws -> (FleetConfig, Logger) {
        var env = ProcessInfo.processInfo.environment
        if let config { env["DELLM_CONFIG"] = config }
        let fleet: FleetConfig
        do { fleet = try FleetConfig(environment: env) } catch { throw fail("configuration: \(error)", code: 78) }
        let raw = logLevel ?? fleet.logLevel
        guard let level = Logger.Level(rawValue: raw) else {
            throw ValidationError("unknown log level '\(raw)'")
        }
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        return (fleet, Logger(label: "dellm"))
    }
}

/// An error the CLI reports as one line and a non-zero exit.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var code: Int32
    init(_ message: String, code: Int32 = 1) {
        self.message = message
        self.code = code
    }
    var description: String { message }
}

func fail(_ message: String, code: Int32 = 1) -> ExitCode {
    writeStandardError("dellm: \(message)\n")
    return ExitCode(code)
}

func printJSON(_ object: Any) {
    if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) {
        print(String(decoding: data, as: UTF8.self))
    }
}

func defaultUser() -> String {
    let env = ProcessInfo.processInfo.environment
    return env["DELLM_USER"] ?? env["USER"] ?? "local"
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the PostgreSQL schema migrations (workers also do this on start).")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, logger) = try global.bootstrap()
        let client = try FleetClient(config: config)
        do {
            let applied = try await client.store.prepare(species: config.species)
            print(applied.isEmpty ? "schema is up to date" : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
        } catch {
            logger.debug("migrate failed", metadata: ["error": "\(error)"])
            throw fail("\(error)")
        }
    }
}

/// Text to standard error or output, written whole with write(2): SIGPIPE is ignored, so a reader
/// that went away (`dellm … | head`) makes these writes fail quietly, where FileHandle's write(_:)
/// would trap.
func writeStandardError(_ text: String) { writeAll(2, text) }

func writeStandardOutput(_ text: String) { writeAll(1, text) }

private func writeAll(_ fd: Int32, _ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let n = bytes.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }
        bytes = bytes.dropFirst(n)
    }
}
