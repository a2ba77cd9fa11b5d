import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A peer that closes early must cost an error, never the process. hiredis writes to its socket with
/// write(2) (a Redis restart mid-write would raise SIGPIPE), the sandbox writes a program to a pipe
/// whose reader may be gone, and a metrics client may reset: so SIGPIPE is ignored process-wide, once,
/// by whatever of these a process uses first (and by `dellm` before anything runs). Writers then see
/// EPIPE, which each of them handles. (libpq and libcurl guard their own writes.)
public enum BrokenPipes {
    private static let ignored: Void = { signal(SIGPIPE, SIG_IGN); return () }()

    public static func ignore() { _ = ignored }
}
