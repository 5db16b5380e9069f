import SystemPackage

extension UringError {
    /// Runs `body`, whose every error is a ``UringError`` but whose closures the
    /// standard library (`withUnsafeBytes`, `withCString`) types as `any Error`,
    /// and rethrows what it throws as the ``UringError`` it is.
    package static func rethrowing<Result>(_ body: () throws -> Result) throws(UringError) -> Result {
        do {
            return try body()
        } catch let error as UringError {
            throw error
        } catch {
            throw UringError(errno: .ioError, operation: "internal", detail: "an error that is not a UringError: \(error)")
        }
    }
}
