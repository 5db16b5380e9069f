import Uring
import UringAsync

extension IOBuffer {
    /// The first `count` bytes (default: all), for a send that names `operation` in its errors.
    /// - Throws: `UringError` `EINVAL` for a count outside the buffer.
    func prefix(_ count: Int?, for operation: String) throws(UringError) -> IOBuffer.Slice {
        let length = count ?? capacity
        guard length >= 0, length <= capacity else {
            throw UringError(
                errno: .invalidArgument, operation: operation, detail: "count \(length) is outside the buffer's capacity 0...\(capacity)")
        }
        return self[0..<length]
    }
}
