import ArgumentParser
import DellmCore
import Foundation

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show how ingest would plan a query: its parts, their types, and which part uses which result.",
        discussion: """
            Nothing is enqueued. Each part is printed with its type, the rule that chose it, and its inputs \
            (the parts whose results it uses); a part the calculator reads shows its steps. With - the \
            queries are read from standard input, one per line.
            """
    )

    @Argument(help: "The query (- to read one query per line from standard input).")
    var words: [String]

    func run() throws {
        let queries = words == ["-"]
            ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n").map(String.init)
            : [words.joined(separator: " ")]
        for q in queries {
            let plan = Planner.plan(q)
            var out = queries.count > 1 ? "\(q)\n" : ""
            if let p = plan.problem { out += "  cannot plan: \(p)\n" }
            for (i, part) in plan.parts.enumerated() {
                let uses = plan.inputs[i].isEmpty ? "" : " ← uses part " + plan.inputs[i].map { "\($0 + 1)" }.joined(separator: ", ")
                out += "  part \(i + 1) [\(part.type.rawValue)]\(uses): \(part.text)\n    rule: \(part.rule)\n"
                if part.type == .reasoning, let s = ExactTools.solve(part.text) {
                    out += "    \(s.tool) tool: \(s.working)\n"
                } else if part.type == .code {
                    if let program = CodeSpec.compile(part.text) {
                        out += "    task-words program (read from the task's words; run in the sandbox):\n"
                        out += program.code.split(separator: "\n").map { "      \($0)\n" }.joined()
                    } else {
                        out += "    task-words: not every word read; the model writes the code\n"
                    }
                } else if let w = part.waitsFor {
                    out += "    waits for part \(w + 1)'s result, then is enqueued with it put in\n"
                } else if part.type == .math {
                    switch ArithmeticGrammar.read(part.text) {
                    case .success(let r): out += "    calculator: \(r.summary)\n"
                    case .failure(let d):
                        if let w = WordChains.wordProblem(part.text) {
                            out += "    word-problem rule (\(w.rule)): " + w.steps.joined(separator: "; ") + " → \(Calculator.format(w.value))\n"
                        } else {
                            out += "    calculator declines (\(d.reason)), and the word-problem rules: a model answers\n"
                        }
                    }
                }
            }
            writeStandardOutput(out)
        }
    }
}
