import ArgumentParser
import DellmConsole
import Foundation

struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "console",
        abstract: "Serve the fleet live in a browser: queries drawn as their plans with votes and verdicts as they happen, streams with pause/resume, dead letters with replay, nodes, genomes, a submit box.",
        discussion: """
            Bound to 127.0.0.1 by default. Bound to another address it refuses to start without a token (--token or DELLM_CONSOLE_TOKEN), and every request must carry it: open http://HOST:PORT/?token=TOKEN. The page makes no external requests.
            """)
    @Option(help: "The port.") var port: Int = 8090
    @Option(help: "The address to bind (127.0.0.1; another address needs a token).") var host = "127.0.0.1"
    @Option(help: "The token requests must carry (default: env DELLM_CONSOLE_TOKEN).") var token: String?
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if !(1...65535).contains(port) { throw ValidationError("--port must be 1…65535") }
    }

    func run() async throws {
        let (config, logger) = try global.bootstrap()
        let server: ConsoleServer
        do {
            server = try ConsoleServer(config: config, host: host, port: UInt16(port), token: token ?? ProcessInfo.processInfo.environment["DELLM_CONSOLE_TOKEN"], logger: logger)
        } catch let e as ConsoleServer.Refused {
            throw fail(e.description, code: 64)
        }
        print("console: http://\(host):\(port)/\(server.token == nil ? "" : "?token=…")")
        do { try await server.run() } catch { throw fail("console: \(error)") }
    }
}
