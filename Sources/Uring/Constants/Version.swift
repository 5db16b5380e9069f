/// The library's own facts (pyuring's `__version__`).
public enum SwiftUring {
    /// This release of swift-uring, as `major.minor.patch`.
    public static let version = "0.9.0"
}
