import ArgumentParser
import DellmCore
import Foundation

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run Python in exactly the sandbox the verifier and the specialists use.",
        subcommands: [SandboxRun.self, SandboxDescribe.self]
    )
}

struct SandboxRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run FILE.py in the sandbox; print its output and exit status.",
        discussion: """
            The file is given to python3 on standard input inside bubblewrap, as an unprivileged user with \
            no capabilities, in namespaces of its own, under the seccomp filter and the limits `dellm sandbox \
            describe` prints. The exit status is the program's (124 when it timed out, 125 when the sandbox \
            could not be entered). Use - for standard input.
            """
    )

    @Argument(help: "The Python file to run (- for standard input).")
    var file: String

    @Option(name: .long, help: "Wall-clock limit in seconds.")
    var timeout: Double = Sandbox.Limits().wallSeconds

    func run() async throws {
        let code: String
        do {
            let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
            code = String(decoding: data, as: UTF8.self)
        } catch {
            throw fail("cannot read \(file): \(error.localizedDescription)", code: 66)
        }
        var limits = Sandbox.Limits()
        limits.wallSeconds = timeout
        let r = await Sandbox(limits: limits).run(code)
        writeStandardOutput(r.stdout)
        writeStandardError(r.stderr)
        switch r.status {
        case .exited(let c):
            writeStandardError("dellm sandbox: exit status \(c)\n")
            throw ExitCode(c)
        case .timedOut:
            writeStandardError("dellm sandbox: timed out after \(timeout) s\n")
            throw ExitCode(124)
        case .unavailable(let why):
            throw fail("sandbox: \(why)", code: 125)
        }
    }
}

struct SandboxDescribe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "describe", abstract: "Print what holds the sandbox on this host.")
    func run() async throws { print(Sandbox.shared.description) }
}
