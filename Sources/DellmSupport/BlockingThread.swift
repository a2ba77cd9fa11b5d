import Dispatch

/// A serial lane for blocking C calls (hiredis, libpq, libcurl).
///
/// Work submitted here runs on a libdispatch thread, never on Swift's cooperative pool, and one
/// call at a time, in order. A connection that owns a C handle owns one of these and touches the
/// handle only from inside `run`, which is what makes such a handle safe to share between tasks.
public final class BlockingThread: Sendable {
    private let queue: DispatchQueue

    public init(label: String) {
        self.queue = DispatchQueue(label: label)
    }

    /// Runs `body` on this lane and returns its result to the awaiting task.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
