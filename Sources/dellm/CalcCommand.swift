import ArgumentParser
import DellmCore
import Foundation

struct CalcCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calc",
        abstract: "Read arithmetic in words exactly as the calculator does, or say why it declines.",
        discussion: """
            Prints the steps and the answer the fleet's calculator would give ("Multiply 15 by 3, add 5, then \
            double it" → 15 × 3 = 45, 45 + 5 = 50, 50 × 2 = 100), or the word it could not place. A question \
            it declines goes to a model in the fleet. Exit status 0 when read, 1 when declined. With - the \
            questions are read from standard input, one per line.
            """
    )

    @Argument(help: "The question (- to read one question per line from standard input).")
    var words: [String]

    @Flag(name: .long, help: "One JSON object per question: text, values, steps, or declined.")
    var json = false

    func run() throws {
        let questions: [String]
        if words == ["-"] {
            questions = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n").map(String.init)
        } else {
            questions = [words.joined(separator: " ")]
        }
        var declined = 0
        for q in questions {
            switch ArithmeticGrammar.read(q) {
            case .success(let r):
                if json {
                    let steps = JSONValue.array(r.chains.flatMap(\.steps).map { .string($0.statement) })
                    writeStandardOutput(JSONValue.object(["text": .string(q), "values": .array(r.values.map { .number(Calculator.format($0)) }), "steps": steps]).serialized + "\n")
                } else {
                    writeStandardOutput((questions.count > 1 ? "\(q)\n" : "") + r.answer + "\n")
                }
            case .failure(let d):
                // A word problem the rules read (`WordProblems`, one step; `WordChains`, more) is answered without a model too.
                if let w = WordChains.wordProblem(q) {
                    if json {
                        writeStandardOutput(JSONValue.object(["text": .string(q), "values": .array([.number(Calculator.format(w.value))]),
                                                              "steps": .array(w.steps.map { .string($0) }), "rule": .string(w.rule)]).serialized + "\n")
                    } else {
                        writeStandardOutput((questions.count > 1 ? "\(q)\n" : "") + w.steps.joined(separator: "\n") + "\n")
                    }
                    continue
                }
                declined += 1
                if json {
                    writeStandardOutput(JSONValue.object(["text": .string(q), "declined": .string(d.reason)]).serialized + "\n")
                } else {
                    writeStandardOutput((questions.count > 1 ? "\(q)\n" : "") + "declined: \(d.reason)\n")
                }
            }
        }
        if declined > 0 { throw ExitCode(1) }
    }
}
