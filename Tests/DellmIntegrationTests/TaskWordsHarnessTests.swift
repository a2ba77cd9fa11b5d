@testable import DellmCore
@testable import DellmFleet
import Testing

/// What the compiler reads right must also pass what the fleet checks before it answers with it: the
/// verifier's sandbox tests and the plausibility harness on inputs of the kinds the words gave the
/// parameters. On the seen code sets through the fleet (stop 32), 14 right programs were refused there
/// and the model answered them wrongly: lists of numbers for "the list names", a number for "ch" and for
/// "prefix", a string for "s seconds", a list for "times", an error for "the first word that …" when none is.
@Suite(.enabled(if: Sandbox.shared.isAvailable, "needs bubblewrap"))
struct TaskWordsHarnessTests {
    static let tasks = [
        "Write a Python function longest_name(names) that returns the longest string in the list names.",
        "Write a Python function count_char(text, ch) that returns how many times ch appears in text.",
        "Write a Python function to_minutes(s) that converts a duration of s seconds into minutes.",
        "Write a Python function echo(word, times) that returns word repeated times times, separated by spaces.",
        "Write a Python function tagged(words, prefix) that returns a list with prefix added to the front of each word in words.",
        "Write a Python function first_capital(words) that returns the first word in words that starts with a capital letter.",
        "Write a Python function commas(items) that returns the strings in items joined with commas.",
        "Write a Python function ratio(part, whole) that returns part as a percentage of whole.",
    ]

    @Test(arguments: tasks)
    func compiledProgramsPassTheFleetsChecks(_ task: String) async throws {
        let p = try #require(CodeSpec.compile(task), "not compiled: \(task)")
        let check = await Sandbox.shared.check(code: p.code, tests: Verifier.codeTests(task: task).joined(separator: "\n"))
        #expect(check.passed, "\(p.code): \(check.detail)")
        let run = await Sandbox.shared.run(CodeSelection.harness(candidates: [p.code], function: p.function, inputs: p.inputs))
        let row = try #require(CodeSelection.outputs(from: run.stdout)?.first, "\(run.stdout) \(run.stderr)")
        #expect(CodeSelection.plausible(row, expected: nil), "\(p.code) on \(p.inputs): \(row)")
    }
}
