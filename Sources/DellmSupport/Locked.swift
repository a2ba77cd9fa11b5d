import Foundation

/// A value shared between tasks and threads, read and written under a lock.
///
/// `@unchecked Sendable`: `stored` is only touched inside `lock`, and `Value` is itself Sendable.
public final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    public init(_ value: Value) { stored = value }

    public var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }

    /// Reads and changes the value in one step.
    public func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.withLock { body(&stored) }
    }
}
