import ArgumentParser
import DellmFleet
import DellmModel
import DellmSupport
import Foundation

/// Samples the model server's slots (`/slots` of llama-server) while something runs: how often they
/// were busy, for the report that the model was kept busy and not oversubscribed.
///
/// `@unchecked Sendable`: `task` is written once, in init, and only read after (to cancel it); the
/// counts are in `state`, behind its lock.
final class SlotSampler: @unchecked Sendable {
    struct Summary: Sendable {
        var slots: Int
        var samples: Int
        /// Busy slot-samples over all slot-samples.
        var utilisation: Double
        /// Samples with every slot busy.
        var allBusy: Double
        var text: String {
            samples == 0 ? "model slots: not sampled (no /slots endpoint)"
                : String(format: "model slots: %d; busy %.0f%% of the time, all %d busy in %.0f%% of %d samples", slots, utilisation * 100,
                         slots, allBusy * 100, samples)
        }
    }

    // Guarded by `lock` (Locked).
    private let state = Locked((slots: 0, samples: 0, busy: 0, full: 0))
    private var task: Task<Void, Never>?

    init(client: ModelClient, every: Duration = .milliseconds(500)) {
        let state = self.state
        task = Task {
            while !Task.isCancelled {
                if let s = try? await client.slots(), s.total > 0 {
                    state.withLock { $0 = (s.total, $0.samples + 1, $0.busy + s.busy, $0.full + (s.busy == s.total ? 1 : 0)) }
                }
                try? await Task.sleep(for: every)
            }
        }
    }

    func stop() -> Summary {
        task?.cancel()
        let s = state.value
        let slotSamples = max(1, s.slots * s.samples)
        return Summary(slots: s.slots, samples: s.samples, utilisation: Double(s.busy) / Double(slotSamples),
                       allBusy: s.samples > 0 ? Double(s.full) / Double(s.samples) : 0)
    }
}

struct SlotsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slots",
        abstract: "Sample the model server's slots (llama-server /slots) for a while: how many, and how often they are busy.")
    @Option(help: "Seconds to sample.") var seconds: Double = 10
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, _) = try global.bootstrap()
        let sampler = SlotSampler(client: config.model())
        try await Task.sleep(for: .seconds(seconds))
        print(sampler.stop().text)
    }
}
