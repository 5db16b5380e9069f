import Glibc

/// Overflow-checked sizes and offsets for public entry points: each throws
/// ``UringError`` before anything is allocated or handed to the kernel.
package enum SizeChecks {
    /// The machine's physical memory in bytes; no single allocation may exceed it.
    package static let physicalMemory: Int = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES))
        let size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return Int.max }
        let (bytes, overflow) = pages.multipliedReportingOverflow(by: size)
        return overflow ? Int.max : bytes
    }()

    /// `count × size` bytes, or `ENOMEM` naming the size when the product
    /// overflows or exceeds the machine's memory.
    package static func totalBytes(count: Int, size: Int, operation: String, what: String) throws(UringError) -> Int {
        let (total, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow, total <= physicalMemory else {
            let needed = overflow ? "more than \(Int.max)" : "\(total)"
            throw UringError(
                errno: .noMemory, operation: operation,
                detail: "\(count) \(what) of \(size) bytes need \(needed) bytes; this machine has \(physicalMemory)")
        }
        return total
    }

    /// `base + distance` as a file offset, or `EINVAL` when it passes the
    /// largest offset the kernel takes (`Int64.max`).
    static func offset(_ base: UInt64, plus distance: UInt64, operation: String, what: String) throws(UringError) -> UInt64 {
        let (sum, overflow) = base.addingReportingOverflow(distance)
        guard !overflow, sum <= UInt64(Int64.max) else {
            throw UringError(
                errno: .invalidArgument, operation: operation,
                detail: "\(what): offset \(base) + \(distance) passes the largest file offset, \(Int64.max)")
        }
        return sum
    }

    /// `index × size` as a file offset, or `EINVAL` when it overflows.
    static func offset(index: UInt64, size: Int, operation: String) throws(UringError) -> UInt64 {
        let (product, overflow) = index.multipliedReportingOverflow(by: UInt64(size))
        guard !overflow else {
            throw UringError(
                errno: .invalidArgument, operation: operation,
                detail: "block index \(index) × \(size) bytes passes the largest file offset, \(Int64.max)")
        }
        return try offset(product, plus: 0, operation: operation, what: "block index \(index)")
    }
}
