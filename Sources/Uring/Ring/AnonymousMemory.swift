import Glibc

/// Page-aligned, zeroed private memory from mmap(2), for the memory the
/// library shares with the kernel (NO_MMAP rings, provided-buffer rings).
enum AnonymousMemory {
    /// Maps `size` bytes; `populate` faults every page in now (`MAP_POPULATE`).
    /// - Throws: ``UringError`` for `mmap` whose detail names `purpose`.
    static func map(_ size: Int, populate: Bool, purpose: String) throws(UringError) -> UnsafeMutableRawPointer {
        let flags = MAP_PRIVATE | MAP_ANONYMOUS | (populate ? MAP_POPULATE : 0)
        let address = mmap(nil, size, PROT_READ | PROT_WRITE, flags, -1, 0)
        guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw UringError(
                errno: .init(rawValue: Glibc.errno), operation: "mmap",
                detail: "allocating \(size) bytes of \(purpose) failed")
        }
        return address
    }
}
